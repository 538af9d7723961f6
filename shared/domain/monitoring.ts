/**
 * Monitoring and early warning (监测预警): the vocabulary shared by the core and the screens.
 *
 * - Sensor rules: the canonical shape of `sensors.thresholds` (per sensor) and of the per-type
 *   defaults, and how the two merge into the rules the core evaluates.
 * - Alarms: kinds, severities, lifecycle states.
 * - Official warnings (CAP 1.2): the parsed alert as it crosses the API, and the Chinese colour
 *   levels (蓝/黄/橙/红) mapped from CAP severity.
 * - Small geometry helpers for warning areas (circles, polygon intersection).
 *
 * Pure TypeScript: no Node, DOM or Electron imports.
 */
import { z } from 'zod';
import { BBoxBuilder, distanceM, pointInPolygon, type PolygonCoords } from '../geo';
import { SENSOR_TYPES, type SensorType } from './model';

// ---------------------------------------------------------------------------------------------
// Sensor rules

export const THRESHOLD_DIRECTIONS = ['above', 'below'] as const;
export type ThresholdDirection = (typeof THRESHOLD_DIRECTIONS)[number];

/** Alarm severities, lowest first. 预警 / 告警 / 严重告警. */
export const ALARM_SEVERITIES = ['warning', 'alarm', 'critical'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];
export const alarmSeveritySchema = z.enum(ALARM_SEVERITIES);
export const severityRank = (s: AlarmSeverity): number => ALARM_SEVERITIES.indexOf(s) + 1;
export const severityOfRank = (rank: number): AlarmSeverity => ALARM_SEVERITIES[Math.max(0, Math.min(ALARM_SEVERITIES.length - 1, rank - 1))]!;

/**
 * The thresholds of one sensor, stored as JSON in `sensors.thresholds` (the canonical shape).
 * Every field is optional: a missing field inherits the sensor type's rule; `null` switches that
 * rule off for this sensor. The ladder dir/warn/alarm/critical goes together: setting any of them
 * replaces the type's ladder (levels left out are off). The demo's
 * `{"warn":…,"alarm":…,"dir":"above"}` is a valid value (no critical level).
 */
export const sensorThresholdsSchema = z
  .object({
    /** Which side of the thresholds is bad. */
    dir: z.enum(THRESHOLD_DIRECTIONS).optional(),
    warn: z.number().finite().nullable().optional(),
    alarm: z.number().finite().nullable().optional(),
    critical: z.number().finite().nullable().optional(),
    /** How far back past the warning threshold a value must return before an alarm clears (units of the sensor). */
    hysteresis: z.number().finite().min(0).optional(),
    /** Rate of change: |Δvalue| per minute above which a `rate` alarm is raised. */
    ratePerMin: z.number().finite().positive().nullable().optional(),
    rateSeverity: alarmSeveritySchema.optional(),
    /** A value unchanged for this many minutes (and at least 3 readings) is "stuck". */
    stuckMinutes: z.number().finite().positive().nullable().optional(),
    /** No reading for this many × the expected interval: the device is offline. */
    silenceFactor: z.number().finite().min(1).max(1000).nullable().optional(),
  })
  .strict();
export type SensorThresholds = z.infer<typeof sensorThresholdsSchema>;

/** The rules the core evaluates for one sensor, every field resolved. */
export interface EffectiveRules {
  dir: ThresholdDirection;
  warn: number | null;
  alarm: number | null;
  critical: number | null;
  hysteresis: number;
  ratePerMin: number | null;
  rateSeverity: AlarmSeverity;
  stuckMinutes: number | null;
  silenceFactor: number | null;
}
export const effectiveRulesSchema = z.object({
  dir: z.enum(THRESHOLD_DIRECTIONS),
  warn: z.number().nullable(),
  alarm: z.number().nullable(),
  critical: z.number().nullable(),
  hysteresis: z.number(),
  ratePerMin: z.number().nullable(),
  rateSeverity: alarmSeveritySchema,
  stuckMinutes: z.number().nullable(),
  silenceFactor: z.number().nullable(),
});

export interface SensorTypeInfo {
  /** Usual unit of the readings. */
  unit: string;
  /** 中文名 / English name. */
  name: string;
  nameEn: string;
  /** The case subcategory (shared/domain/catalogue.ts) an alarm of this type files under. */
  categoryCode: string;
  rules: EffectiveRules;
}

const rules = (r: Partial<EffectiveRules> & Pick<EffectiveRules, 'warn' | 'alarm'>): EffectiveRules => ({
  dir: 'above',
  critical: null,
  hysteresis: 0,
  ratePerMin: null,
  rateSeverity: 'warning',
  stuckMinutes: null,
  silenceFactor: 3,
  ...r,
});

/**
 * The shipped per-type defaults (editable per type in the store, overridable per sensor).
 * Levels follow common practice: road water depth 15 cm (GB/T 30428 道路积水 filing condition),
 * gas 25 %LEL low alarm, PM2.5 AQI bands (75 轻度 / 150 重度 / 250 严重), night noise limits…
 */
export const SENSOR_TYPE_INFO: Readonly<Record<SensorType, SensorTypeInfo>> = {
  water_level: {
    unit: 'm',
    name: '水位',
    nameEn: 'Water level',
    categoryCode: '0504',
    rules: rules({ warn: 0.1, alarm: 0.15, critical: 0.3, hysteresis: 0.02, ratePerMin: 0.05 }),
  },
  manhole: { unit: '°', name: '井盖倾角', nameEn: 'Manhole tilt', categoryCode: '0601', rules: rules({ warn: 5, alarm: 10, critical: 20, hysteresis: 1 }) },
  smoke: { unit: '%obs/m', name: '烟感', nameEn: 'Smoke', categoryCode: '0505', rules: rules({ warn: 5, alarm: 10, critical: 20, hysteresis: 1, ratePerMin: 5 }) },
  gas: { unit: '%LEL', name: '可燃气体', nameEn: 'Combustible gas', categoryCode: '0503', rules: rules({ warn: 10, alarm: 25, critical: 50, hysteresis: 2, ratePerMin: 10 }) },
  pm25: { unit: 'µg/m³', name: 'PM2.5', nameEn: 'PM2.5', categoryCode: '0306', rules: rules({ warn: 75, alarm: 150, critical: 250, hysteresis: 5, stuckMinutes: 180 }) },
  noise: { unit: 'dB(A)', name: '噪声', nameEn: 'Noise', categoryCode: '1002', rules: rules({ warn: 65, alarm: 75, critical: 85, hysteresis: 2, stuckMinutes: 60 }) },
  strain: {
    unit: 'µε',
    name: '桥梁应变',
    nameEn: 'Structural strain',
    categoryCode: '0902',
    rules: rules({ warn: 800, alarm: 1200, critical: 1500, hysteresis: 50, ratePerMin: 200, rateSeverity: 'alarm', stuckMinutes: 120 }),
  },
  temperature: { unit: '°C', name: '温度', nameEn: 'Temperature', categoryCode: '0608', rules: rules({ warn: 60, alarm: 80, critical: 100, hysteresis: 2, stuckMinutes: 240 }) },
};

export const sensorTypeSchema = z.enum(SENSOR_TYPES);

/**
 * Merge a type's rules with a sensor's overrides (undefined inherits, null disables).
 * The threshold ladder (dir, warn, alarm, critical) is taken as a whole: an override that sets
 * any of them replaces the ladder, and the levels it leaves out are off. (Inheriting one level
 * from the type could put it on the wrong side of the others, e.g. a type's critical line below
 * a sensor's alarm line.)
 */
export function mergeRules(base: EffectiveRules, over: SensorThresholds | null | undefined): EffectiveRules {
  if (!over) return { ...base };
  const pick = <K extends keyof EffectiveRules>(k: K, v: EffectiveRules[K] | undefined): EffectiveRules[K] => (v === undefined ? base[k] : v);
  const ladder = over.dir !== undefined || over.warn !== undefined || over.alarm !== undefined || over.critical !== undefined;
  return {
    dir: pick('dir', over.dir),
    warn: ladder ? (over.warn ?? null) : base.warn,
    alarm: ladder ? (over.alarm ?? null) : base.alarm,
    critical: ladder ? (over.critical ?? null) : base.critical,
    hysteresis: pick('hysteresis', over.hysteresis),
    ratePerMin: pick('ratePerMin', over.ratePerMin),
    rateSeverity: pick('rateSeverity', over.rateSeverity),
    stuckMinutes: pick('stuckMinutes', over.stuckMinutes),
    silenceFactor: pick('silenceFactor', over.silenceFactor),
  };
}

/** Parse a stored thresholds JSON leniently: unknown or invalid fields are dropped, never thrown. */
export function parseThresholds(json: string | null | undefined): SensorThresholds {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, unknown> = {};
  const shape = sensorThresholdsSchema.shape;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!Object.prototype.hasOwnProperty.call(shape, k)) continue;
    const field = shape[k as keyof typeof shape];
    if (field.safeParse(v).success) out[k] = v;
  }
  return out as SensorThresholds;
}

/** Which threshold level a value is at: 0 normal, 1 warning, 2 alarm, 3 critical. */
export function thresholdLevel(r: EffectiveRules, v: number): number {
  if (r.dir === 'above') {
    if (r.critical !== null && v >= r.critical) return 3;
    if (r.alarm !== null && v >= r.alarm) return 2;
    if (r.warn !== null && v >= r.warn) return 1;
    return 0;
  }
  if (r.critical !== null && v <= r.critical) return 3;
  if (r.alarm !== null && v <= r.alarm) return 2;
  if (r.warn !== null && v <= r.warn) return 1;
  return 0;
}

/** The lowest configured threshold (the one a value must fall back past, with hysteresis, to clear). */
export function firstThreshold(r: EffectiveRules): number | null {
  return r.warn ?? r.alarm ?? r.critical;
}

/** Whether a value is back in the normal band, hysteresis included. */
export function isClearOf(r: EffectiveRules, v: number): boolean {
  const first = firstThreshold(r);
  if (first === null) return true;
  return r.dir === 'above' ? v < first - r.hysteresis : v > first + r.hysteresis;
}

/** Coloured bands for a chart: [from, to, level] in value space (level 1 warning … 3 critical). */
export function thresholdBands(r: EffectiveRules): Array<{ from: number | null; to: number | null; level: 1 | 2 | 3 }> {
  const levels: Array<[number | null, 1 | 2 | 3]> = [
    [r.warn, 1],
    [r.alarm, 2],
    [r.critical, 3],
  ];
  const set = levels.filter((l): l is [number, 1 | 2 | 3] => l[0] !== null);
  return set.map(([limit, level], i) => {
    const next = set[i + 1]?.[0] ?? null;
    return r.dir === 'above' ? { from: limit, to: next, level } : { from: next, to: limit, level };
  });
}

// ---------------------------------------------------------------------------------------------
// Alarms

export const ALARM_KINDS = [
  'threshold', // 超限: value past warning/alarm/critical thresholds
  'rate', // 突变: rate of change too fast
  'stuck', // 数据停滞: value unchanged too long
  'offline', // 离线: no reading for N× the interval
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];
export const alarmKindSchema = z.enum(ALARM_KINDS);

/** Device-health kinds: they do not escalate, and they never file cases by themselves. */
export const DEVICE_HEALTH_KINDS: readonly AlarmKind[] = ['stuck', 'offline'];

export const ALARM_STATES = ['raised', 'acknowledged', 'cleared'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
export const alarmStateSchema = z.enum(ALARM_STATES);

export const SENSOR_STATUSES = ['normal', 'warning', 'alarm', 'offline'] as const;
export type SensorStatus = (typeof SENSOR_STATUSES)[number];

/** A case's urgency for an alarm of this severity. */
export const URGENCY_OF_SEVERITY: Readonly<Record<AlarmSeverity, 'normal' | 'urgent' | 'critical'>> = {
  warning: 'normal',
  alarm: 'urgent',
  critical: 'critical',
};

// ---------------------------------------------------------------------------------------------
// Official warnings: CAP 1.2 (OASIS Common Alerting Protocol)

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const;
export const CAP_RESPONSE_TYPES = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type CapSeverity = (typeof CAP_SEVERITIES)[number];

/** Chinese warning colour levels (预警信号颜色), most severe last. */
export const WARNING_COLOURS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningColour = (typeof WARNING_COLOURS)[number];
export const warningColourSchema = z.enum(WARNING_COLOURS);
export const WARNING_COLOUR_ZH: Readonly<Record<WarningColour, string>> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };
export const WARNING_COLOUR_HEX: Readonly<Record<WarningColour, string>> = { blue: '#1e6fff', yellow: '#ffd400', orange: '#ff8a00', red: '#e8262b' };

/** CAP severity → colour level: Extreme 红, Severe 橙, Moderate 黄, Minor/Unknown 蓝. */
export const COLOUR_OF_CAP_SEVERITY: Readonly<Record<CapSeverity, WarningColour>> = {
  Extreme: 'red',
  Severe: 'orange',
  Moderate: 'yellow',
  Minor: 'blue',
  Unknown: 'blue',
};

/**
 * The colour of a warning: Chinese issuers name it in the event or headline (暴雨橙色预警), and
 * that wins; otherwise it follows the CAP severity.
 */
export function warningColour(severity: CapSeverity, ...texts: Array<string | null | undefined>): WarningColour {
  const named: Array<[RegExp, WarningColour]> = [
    [/红色|\bred\b/i, 'red'],
    [/橙色|\borange\b/i, 'orange'],
    [/黄色|\byellow\b/i, 'yellow'],
    [/蓝色|\bblue\b/i, 'blue'],
  ];
  for (const t of texts) {
    if (!t) continue;
    for (const [re, colour] of named) if (re.test(t)) return colour;
  }
  return COLOUR_OF_CAP_SEVERITY[severity];
}

const lonSchema = z.number().min(-180).max(180);
const latSchema = z.number().min(-90).max(90);
const valuePairSchema = z.object({ valueName: z.string(), value: z.string() });

/** A CAP area. Coordinates are converted to GeoJSON order [lon, lat]. */
export const capAreaSchema = z.object({
  areaDesc: z.string(),
  /** Closed rings, [lon, lat] pairs. */
  polygons: z.array(z.array(z.tuple([lonSchema, latSchema]))),
  circles: z.array(z.object({ lon: lonSchema, lat: latSchema, radiusKm: z.number().min(0) })),
  geocodes: z.array(valuePairSchema),
  altitude: z.number().nullable(),
  ceiling: z.number().nullable(),
});
export type CapArea = z.infer<typeof capAreaSchema>;

export const capInfoSchema = z.object({
  language: z.string(),
  categories: z.array(z.enum(CAP_CATEGORIES)),
  event: z.string(),
  responseTypes: z.array(z.enum(CAP_RESPONSE_TYPES)),
  urgency: z.enum(CAP_URGENCIES),
  severity: z.enum(CAP_SEVERITIES),
  certainty: z.enum(CAP_CERTAINTIES),
  audience: z.string().nullable(),
  eventCodes: z.array(valuePairSchema),
  /** ISO-8601 with the sender's offset, as sent. */
  effective: z.string().nullable(),
  onset: z.string().nullable(),
  expires: z.string().nullable(),
  senderName: z.string().nullable(),
  headline: z.string().nullable(),
  description: z.string().nullable(),
  instruction: z.string().nullable(),
  web: z.string().nullable(),
  contact: z.string().nullable(),
  parameters: z.array(valuePairSchema),
  resources: z.array(
    z.object({ resourceDesc: z.string(), mimeType: z.string(), size: z.number().nullable(), uri: z.string().nullable(), digest: z.string().nullable() }),
  ),
  areas: z.array(capAreaSchema),
});
export type CapInfo = z.infer<typeof capInfoSchema>;

export const capReferenceSchema = z.object({ sender: z.string(), identifier: z.string(), sent: z.string() });
export type CapReference = z.infer<typeof capReferenceSchema>;

export const capAlertSchema = z.object({
  identifier: z.string(),
  sender: z.string(),
  sent: z.string(),
  status: z.enum(CAP_STATUSES),
  msgType: z.enum(CAP_MSG_TYPES),
  source: z.string().nullable(),
  scope: z.enum(CAP_SCOPES),
  restriction: z.string().nullable(),
  addresses: z.string().nullable(),
  codes: z.array(z.string()),
  note: z.string().nullable(),
  references: z.array(capReferenceSchema),
  incidents: z.string().nullable(),
  infos: z.array(capInfoSchema),
});
export type CapAlert = z.infer<typeof capAlertSchema>;

/**
 * Where a stored warning stands. `pending`: not yet effective; `active`: in force; `expired`;
 * `superseded` (an Update replaced it); `cancelled` (a Cancel withdrew it); `inactive`: not an
 * actual warning (Test, Exercise, Draft, System; Cancel/Ack/Error messages themselves).
 */
export const WARNING_STATES = ['pending', 'active', 'expired', 'superseded', 'cancelled', 'inactive'] as const;
export type WarningState = (typeof WARNING_STATES)[number];

/** Pick the info block to show: the first in the preferred language, else Chinese, else the first. */
export function preferredInfo<T extends { language: string }>(infos: readonly T[], language = 'zh-CN'): T | null {
  if (infos.length === 0) return null;
  const lang = language.toLowerCase();
  const base = lang.split('-')[0]!;
  return (
    infos.find((i) => i.language.toLowerCase() === lang) ??
    infos.find((i) => i.language.toLowerCase().split('-')[0] === base) ??
    infos.find((i) => i.language.toLowerCase().startsWith('zh')) ??
    infos[0]!
  );
}

// ---------------------------------------------------------------------------------------------
// Geometry for warning areas

/** A circle as a closed ring of `segments` points ([lon, lat]), for maps and intersection tests. */
export function circleRing(lon: number, lat: number, radiusKm: number, segments = 64): Array<[number, number]> {
  const ring: Array<[number, number]> = [];
  const dLat = radiusKm / 110.574;
  const dLon = radiusKm / (111.32 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  for (let i = 0; i < segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  return ring;
}

/** [minLon, minLat, maxLon, maxLat] of a CAP area (polygons and circles). Null when it has neither. */
export function capAreaBbox(area: Pick<CapArea, 'polygons' | 'circles'>): [number, number, number, number] | null {
  const b = new BBoxBuilder();
  for (const ring of area.polygons) for (const [x, y] of ring) b.add(x, y);
  for (const c of area.circles) {
    const dLat = c.radiusKm / 110.574;
    const dLon = c.radiusKm / (111.32 * Math.max(0.01, Math.cos((c.lat * Math.PI) / 180)));
    b.add(c.lon - dLon, c.lat - dLat);
    b.add(c.lon + dLon, c.lat + dLat);
  }
  return b.box();
}

/** Whether a point lies in a CAP area's polygons or circles (geocodes are resolved elsewhere). */
export function pointInCapArea(lon: number, lat: number, area: Pick<CapArea, 'polygons' | 'circles'>): boolean {
  for (const ring of area.polygons) if (pointInPolygon(lon, lat, [ring])) return true;
  for (const c of area.circles) if (distanceM(lon, lat, c.lon, c.lat) <= c.radiusKm * 1000) return true;
  return false;
}

type Pt = readonly [number, number] | number[];

function segmentsCross(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o = (p: Pt, q: Pt, r: Pt): number => (q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!);
  const d1 = o(c, d, a),
    d2 = o(c, d, b),
    d3 = o(a, b, c),
    d4 = o(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Whether two polygons (outer ring first, holes after) overlap: a vertex inside the other, or crossing edges. */
export function polygonsIntersect(a: PolygonCoords, b: PolygonCoords): boolean {
  const outerA = a[0],
    outerB = b[0];
  if (!outerA || !outerB || outerA.length === 0 || outerB.length === 0) return false;
  if (outerA.some((p) => pointInPolygon(p[0]!, p[1]!, b))) return true;
  if (outerB.some((p) => pointInPolygon(p[0]!, p[1]!, a))) return true;
  for (let i = 0; i + 1 < outerA.length; i++)
    for (let j = 0; j + 1 < outerB.length; j++) if (segmentsCross(outerA[i]!, outerA[i + 1]!, outerB[j]!, outerB[j + 1]!)) return true;
  return false;
}

/** Distance in metres from a point to a segment (local equirectangular projection: fine at city scale). */
function pointSegmentM(lon: number, lat: number, a: Pt, b: Pt): number {
  const kx = 111_320 * Math.cos((lat * Math.PI) / 180);
  const ky = 110_574;
  const ax = (a[0]! - lon) * kx,
    ay = (a[1]! - lat) * ky,
    bx = (b[0]! - lon) * kx,
    by = (b[1]! - lat) * ky;
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Whether a polygon and a circle overlap. */
export function polygonIntersectsCircle(poly: PolygonCoords, lon: number, lat: number, radiusKm: number): boolean {
  if (pointInPolygon(lon, lat, poly)) return true;
  const r = radiusKm * 1000;
  for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) if (pointSegmentM(lon, lat, ring[i]!, ring[i + 1]!) <= r) return true;
  return false;
}
