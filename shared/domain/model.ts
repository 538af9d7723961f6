/**
 * Domain vocabulary shared by core and renderer: enumerations and the zod schemas of the
 * objects that cross the API. Labels live in shared/i18n, not here.
 */
import { z } from 'zod';

/** 市 city → 区 district → 街道/镇 town → 社区/村 community → 网格 grid. */
export const AREA_LEVELS = ['city', 'district', 'town', 'community', 'grid'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
export const areaLevelSchema = z.enum(AREA_LEVELS);

/** Five-colour risk level (五色图): 0 green … 4 red. */
export const RISK_COLOURS = ['green', 'blue', 'yellow', 'orange', 'red'] as const;
export type RiskColour = (typeof RISK_COLOURS)[number];

export const CASE_SOURCES = [
  'grid', // 网格员上报
  'hotline', // 12345 热线
  'police110', // 110 警情转办
  'video_ai', // 视频智能发现
  'iot', // 物联感知告警
  'public', // 群众上报 (app, mini-program, Open311)
  'superior', // 上级交办
  'consultation', // 会商决策
] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const caseSourceSchema = z.enum(CASE_SOURCES);

/**
 * Workflow states of a case (GB/T 30428 closed loop). The transitions between them are defined
 * in shared/domain/workflow.ts.
 */
export const CASE_STATES = [
  'reported', // 待立案: collected, not yet verified/registered
  'registered', // 已立案, waiting for dispatch
  'cancelled', // 不予立案 (terminal)
  'dispatched', // 已派遣, waiting for the unit to accept; the deadline clock runs
  'accepted', // 处置中: the unit is working on it
  'returned', // 已回退: the unit says it is not theirs, back to the dispatcher
  'handled', // 已反馈, waiting for verification (核查)
  'rework', // 返工: verification failed, back to the unit
  'suspended', // 挂账: cannot be solved within the limit, parked with reasons
  'closed', // 已结案 (terminal unless reopened)
] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const caseStateSchema = z.enum(CASE_STATES);
export const OPEN_STATES: readonly CaseState[] = ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'handled', 'rework'];

export const URGENCIES = ['normal', 'urgent', 'critical'] as const; // 一般 / 紧急 / 特急
export type Urgency = (typeof URGENCIES)[number];
export const urgencySchema = z.enum(URGENCIES);

export const STAFF_ROLES = ['grid_worker', 'grid_leader', 'enforcement', 'inspector', 'police', 'firefighter', 'volunteer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const CAMERA_KINDS = ['fixed', 'ptz', 'dome', 'body', 'drone', 'highpoint'] as const;
export type CameraKind = (typeof CAMERA_KINDS)[number];

export const SENSOR_TYPES = [
  'water_level',
  'manhole',
  'smoke',
  'gas',
  'pm25',
  'noise',
  'strain',
  'temperature',
] as const;
export type SensorType = (typeof SENSOR_TYPES)[number];

export const MODES = ['normal', 'emergency'] as const; // 平时 / 战时
export type Mode = (typeof MODES)[number];
export const modeSchema = z.enum(MODES);

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
export const idSchema = z.string().min(1).max(80);
export const isoTimeSchema = z.string().datetime({ offset: true });

export const areaSchema = z.object({
  id: idSchema,
  parentId: idSchema.nullable(),
  level: areaLevelSchema,
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  centroid: z.tuple([lon, lat]),
  bbox: z.tuple([lon, lat, lon, lat]),
  population: z.number().int().nullable(),
  areaKm2: z.number().nullable(),
  /** 0 green … 4 red until the consultation model colours grids. */
  riskLevel: z.number().int().min(0).max(4),
  childCount: z.number().int(),
});
export type Area = z.infer<typeof areaSchema>;

export const departmentSchema = z.object({
  id: idSchema,
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  kind: z.string(),
});
export type Department = z.infer<typeof departmentSchema>;

export const unitSchema = z.object({
  id: idSchema,
  departmentId: idSchema,
  name: z.string(),
  areaId: idSchema.nullable(),
  phone: z.string().nullable(),
});
export type Unit = z.infer<typeof unitSchema>;

export const caseSummarySchema = z.object({
  id: idSchema,
  code: z.string(),
  title: z.string(),
  source: caseSourceSchema,
  categoryCode: z.string(),
  classCode: z.string(),
  state: caseStateSchema,
  urgency: urgencySchema,
  lon: lon,
  lat: lat,
  address: z.string(),
  gridId: idSchema.nullable(),
  districtId: idSchema.nullable(),
  townId: idSchema.nullable(),
  departmentId: idSchema.nullable(),
  reportedAt: isoTimeSchema,
  deadlineAt: isoTimeSchema.nullable(),
  closedAt: isoTimeSchema.nullable(),
  overdue: z.boolean(),
  /** 80 % of the allotted working time is used (预警); stays set once reached while the clock runs. */
  warning: z.boolean(),
  supervised: z.boolean(),
  /** 督办 level: 0 none, 1 centre, 2 district, 3 city (SUPERVISION_LEVELS in workflow.ts). */
  supervisionLevel: z.number().int().min(0).max(3),
  version: z.number().int(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseEventSchema = z.object({
  seq: z.number().int(),
  at: isoTimeSchema,
  action: z.string(),
  fromState: caseStateSchema.nullable(),
  toState: caseStateSchema.nullable(),
  actor: z.string(),
  role: z.string(),
  note: z.string(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

export const caseDetailSchema = caseSummarySchema.extend({
  description: z.string(),
  /** Masked (e.g. 138****5678) unless the caller's seat may see personal data. */
  reporterName: z.string().nullable(),
  reporterPhone: z.string().nullable(),
  unitId: idSchema.nullable(),
  assigneeId: idSchema.nullable(),
  communityId: idSchema.nullable(),
  registeredAt: isoTimeSchema.nullable(),
  dispatchedAt: isoTimeSchema.nullable(),
  history: z.array(caseEventSchema),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const cameraSchema = z.object({
  id: idSchema,
  name: z.string(),
  departmentId: idSchema.nullable(),
  gridId: idSchema.nullable(),
  lon,
  lat,
  heading: z.number(),
  fov: z.number(),
  kind: z.enum(CAMERA_KINDS),
  status: z.enum(['online', 'offline', 'fault']),
});
export type Camera = z.infer<typeof cameraSchema>;

export const sensorSchema = z.object({
  id: idSchema,
  name: z.string(),
  type: z.enum(SENSOR_TYPES),
  unit: z.string(),
  departmentId: idSchema.nullable(),
  gridId: idSchema.nullable(),
  lon,
  lat,
  intervalS: z.number().int(),
  status: z.enum(['normal', 'warning', 'alarm', 'offline']),
  lastValue: z.number().nullable(),
  lastAt: isoTimeSchema.nullable(),
});
export type Sensor = z.infer<typeof sensorSchema>;

export const staffSchema = z.object({
  id: idSchema,
  name: z.string(),
  role: z.enum(STAFF_ROLES),
  departmentId: idSchema.nullable(),
  unitId: idSchema.nullable(),
  gridId: idSchema.nullable(),
  lon: lon.nullable(),
  lat: lat.nullable(),
  positionAt: isoTimeSchema.nullable(),
  onDuty: z.boolean(),
});
export type Staff = z.infer<typeof staffSchema>;
