/**
 * The indicator model (指标模型) as data: what the five-colour map (五色图), the risk models and the
 * daily safety indices (平安六指数) are computed from.
 *
 * A model is a persisted, versioned config (DESIGN.md convention 10):
 * - its *format* (the shape of the JSON) carries `format`; older formats are migrated to the current
 *   one by MODEL_FORMAT_MIGRATIONS, one function per version, each with a fixture under
 *   shared/domain/fixtures/indicator-model.v<n>.json;
 * - its *content* is revised by people (a weight, a threshold): every revision is stored whole with
 *   who and when (main/core/consult/models.ts), and results name the revision they were computed with.
 *
 * Indicators read the store only through a fixed set of parameterised source kinds (no user SQL).
 * Pure TypeScript: the maths lives in ./scoring.ts.
 */
import { z } from 'zod';
import { CASE_SOURCES, SENSOR_TYPES } from './model';

/** The current format of a model config. */
export const MODEL_FORMAT = 1;

export const INDICATOR_DOMAINS = [
  'public_security', // 治安
  'fire', // 消防安全
  'production', // 生产安全
  'traffic', // 交通
  'environment', // 市容环境
  'dispute', // 矛盾纠纷
  'health', // 公共卫生
  'infrastructure', // 城市设施
  'general', // 综合
] as const;
export type IndicatorDomain = (typeof INDICATOR_DOMAINS)[number];

export const DOMAIN_LABELS: Readonly<Record<IndicatorDomain, { zh: string; en: string }>> = {
  public_security: { zh: '治安', en: 'Public security' },
  fire: { zh: '消防安全', en: 'Fire safety' },
  production: { zh: '生产安全', en: 'Production safety' },
  traffic: { zh: '交通', en: 'Traffic' },
  environment: { zh: '市容环境', en: 'City appearance' },
  dispute: { zh: '矛盾纠纷', en: 'Disputes' },
  health: { zh: '公共卫生', en: 'Public health' },
  infrastructure: { zh: '城市设施', en: 'Infrastructure' },
  general: { zh: '综合', en: 'General' },
};

/** Colours of the five risk levels green … red (五色图), for the wall, the console and the briefing. */
export const RISK_LEVEL_HEX = ['#27a35a', '#2f80ed', '#f2c94c', '#f2994a', '#eb3b3b'] as const;
export const RISK_LEVEL_ZH = ['绿', '蓝', '黄', '橙', '红'] as const;

export const SOURCE_KINDS = [
  'case_count', // cases reported (or closed) in a window, by class/category/source
  'overdue_cases', // cases open and past their deadline at the scoring instant
  'supervised_cases', // open cases under supervision (督办)
  'sensor_alarms', // sensor alarms raised in a window
  'offline_devices', // sensors / cameras offline now
  'warnings_in_force', // CAP warnings in force over the area at the scoring instant
  'inspection_findings', // hazards found by site inspections (平安码) in a window
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const WARNING_SEVERITIES = ['minor', 'moderate', 'severe', 'extreme'] as const;
export type WarningSeverity = (typeof WARNING_SEVERITIES)[number];

const MAX_WINDOW_HOURS = 24 * 92;
const windowHours = z.number().int().min(1).max(MAX_WINDOW_HOURS);
const classCodes = z.array(z.string().regex(/^\d{2}$/)).min(1).max(20);
const categoryCodes = z.array(z.string().regex(/^\d{4}$/)).min(1).max(200);
const slug = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _ (start with a letter)');

export const sourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('case_count'),
      windowHours,
      /** Count cases reported in the window, or cases closed in it. */
      event: z.enum(['reported', 'closed']).default('reported'),
      classCodes: classCodes.optional(),
      categoryCodes: categoryCodes.optional(),
      sources: z.array(z.enum(CASE_SOURCES)).min(1).max(CASE_SOURCES.length).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('overdue_cases'), classCodes: classCodes.optional(), categoryCodes: categoryCodes.optional() }).strict(),
  z.object({ kind: z.literal('supervised_cases'), classCodes: classCodes.optional(), categoryCodes: categoryCodes.optional() }).strict(),
  z.object({ kind: z.literal('sensor_alarms'), windowHours, sensorTypes: z.array(z.enum(SENSOR_TYPES)).min(1).optional() }).strict(),
  z
    .object({
      kind: z.literal('offline_devices'),
      devices: z.array(z.enum(['sensor', 'camera'])).min(1).max(2),
      sensorTypes: z.array(z.enum(SENSOR_TYPES)).min(1).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('warnings_in_force'), minSeverity: z.enum(WARNING_SEVERITIES).default('minor') }).strict(),
  z.object({ kind: z.literal('inspection_findings'), windowHours, majorOnly: z.boolean().default(false) }).strict(),
]);
export type IndicatorSource = z.output<typeof sourceSchema>;

export const normalisationMethodSchema = z.discriminatedUnion('kind', [
  /**
   * (value − lo) ÷ (hi − lo), clamped to 0…1. lo = `min` or the smallest value among the grids;
   * hi = `max`, or the `clipQuantile` quantile (nearest rank) of the grids' values, or the largest.
   */
  z
    .object({
      kind: z.literal('minmax'),
      min: z.number().optional(),
      max: z.number().optional(),
      clipQuantile: z.number().min(0.5).max(1).optional(),
    })
    .strict(),
  /** A step function: scores[k] where k = how many breaks are ≤ value (breaks ascending). */
  z
    .object({
      kind: z.literal('thresholds'),
      breaks: z.array(z.number()).min(1).max(10),
      scores: z.array(z.number().min(0).max(1)).min(2).max(11),
    })
    .strict(),
]);
export type NormalisationMethod = z.output<typeof normalisationMethodSchema>;

export const NORMALISE_PER = ['grid', 'population', 'area_km2'] as const;
export type NormalisePer = (typeof NORMALISE_PER)[number];

export const normalisationSchema = z
  .object({
    /** Divide the raw value by the grid's population or area (÷ unit); 'grid' keeps it per grid. */
    per: z.enum(NORMALISE_PER).default('grid'),
    /** E.g. 10000 with per 'population': a rate per 10,000 residents. */
    unit: z.number().positive().default(1),
    method: normalisationMethodSchema,
  })
  .strict();
export type Normalisation = z.output<typeof normalisationSchema>;

export const indicatorSchema = z
  .object({
    id: slug,
    name: z.string().min(1).max(40),
    nameEn: z.string().max(80).default(''),
    domain: z.enum(INDICATOR_DOMAINS),
    source: sourceSchema,
    normalise: normalisationSchema,
    /** Whether a higher raw value raises the model's score (risk) or lowers it. */
    direction: z.enum(['increases', 'decreases']).default('increases'),
    weight: z.number().min(0).max(1000),
  })
  .strict();
export type IndicatorDef = z.output<typeof indicatorSchema>;

export const ROLLUP_WEIGHTS = ['population', 'area', 'equal'] as const;
export type RollupWeight = (typeof ROLLUP_WEIGHTS)[number];

export const MODEL_KINDS = ['risk', 'precision'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const modelConfigSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    id: slug,
    name: z.string().min(1).max(40),
    nameEn: z.string().max(80).default(''),
    description: z.string().max(500).default(''),
    /**
     * 'risk': a 0–100 risk score, five colours by `levels`. 'precision' (浙江 精密智控指数): the
     * weighted sub-indicator score (0–100, higher is better) × the coefficient of the area's
     * five-colour level in the `precision.basedOn` risk model.
     */
    kind: z.enum(MODEL_KINDS).default('risk'),
    indicators: z.array(indicatorSchema).min(1).max(24),
    /** Score thresholds of blue, yellow, orange, red (ascending): level = how many are ≤ score. */
    levels: z.object({ thresholds: z.tuple([z.number(), z.number(), z.number(), z.number()]) }).strict(),
    rollup: z.object({ weightBy: z.enum(ROLLUP_WEIGHTS).default('population') }).strict(),
    precision: z
      .object({
        basedOn: slug,
        /** Coefficients for green, blue, yellow, orange, red. */
        coefficients: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]),
      })
      .strict()
      .optional(),
    /** A risk model with `index` yields one of the daily safety indices: 100 − the city's score. */
    index: z.object({ id: slug, name: z.string().min(1).max(20), nameEn: z.string().max(60).default(''), order: z.number().int().min(0).max(99) }).strict().optional(),
    /** Shown in pickers; the primary model's grid colours are written to areas.risk_level (the wall's 五色图). */
    primary: z.boolean().default(false),
  })
  .strict()
  .superRefine((m, ctx) => {
    const t = m.levels.thresholds;
    for (let i = 1; i < t.length; i++)
      if (!(t[i]! > t[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['levels', 'thresholds', i], message: 'thresholds must be strictly ascending' });
    if (t[0] <= 0 || t[3] > 100) ctx.addIssue({ code: 'custom', path: ['levels', 'thresholds'], message: 'thresholds must lie in (0, 100]' });
    const ids = new Set<string>();
    m.indicators.forEach((ind, i) => {
      if (ids.has(ind.id)) ctx.addIssue({ code: 'custom', path: ['indicators', i, 'id'], message: `duplicate indicator id ${ind.id}` });
      ids.add(ind.id);
      const method = ind.normalise.method;
      if (method.kind === 'thresholds') {
        if (method.scores.length !== method.breaks.length + 1)
          ctx.addIssue({ code: 'custom', path: ['indicators', i, 'normalise', 'method', 'scores'], message: 'scores needs one more entry than breaks' });
        for (let k = 1; k < method.breaks.length; k++)
          if (!(method.breaks[k]! > method.breaks[k - 1]!))
            ctx.addIssue({ code: 'custom', path: ['indicators', i, 'normalise', 'method', 'breaks', k], message: 'breaks must be strictly ascending' });
      } else if (method.min !== undefined && method.max !== undefined && !(method.max > method.min)) {
        ctx.addIssue({ code: 'custom', path: ['indicators', i, 'normalise', 'method', 'max'], message: 'max must be greater than min' });
      }
    });
    if (!m.indicators.some((ind) => ind.weight > 0)) ctx.addIssue({ code: 'custom', path: ['indicators'], message: 'at least one indicator needs a positive weight' });
    if (m.kind === 'precision') {
      if (!m.precision) ctx.addIssue({ code: 'custom', path: ['precision'], message: 'a precision model names its risk model and coefficients' });
      else if (m.precision.basedOn === m.id) ctx.addIssue({ code: 'custom', path: ['precision', 'basedOn'], message: 'a precision model cannot be based on itself' });
      if (m.index) ctx.addIssue({ code: 'custom', path: ['index'], message: 'only risk models yield safety indices' });
    } else if (m.precision) {
      ctx.addIssue({ code: 'custom', path: ['precision'], message: 'only precision models take precision settings' });
    }
  });
export type ModelConfig = z.output<typeof modelConfigSchema>;
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

/**
 * Format migrations: MODEL_FORMAT_MIGRATIONS[n] turns a format-n document into format n+1.
 * Format 1 is the first shipped format, so there is none yet; a new format adds its function here,
 * bumps MODEL_FORMAT and adds a fixture (shared/domain/fixtures/indicator-model.v<n>.json).
 */
export const MODEL_FORMAT_MIGRATIONS: Readonly<Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>> = {};

export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/** Bring a stored or imported model document of any known format to the current one, and validate it. */
export function parseModelConfig(raw: unknown): ModelConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModelFormatError('a model config is a JSON object');
  let doc = raw as Record<string, unknown>;
  const format = doc.format;
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) throw new ModelFormatError('a model config carries an integer `format` ≥ 1');
  if (format > MODEL_FORMAT) throw new ModelFormatError(`model format ${format} is newer than this version of CityOps Wall knows (${MODEL_FORMAT})`);
  for (let v = format; v < MODEL_FORMAT; v++) {
    const step = MODEL_FORMAT_MIGRATIONS[v];
    if (!step) throw new ModelFormatError(`no migration from model format ${v}`);
    doc = { ...step(doc), format: v + 1 };
  }
  return modelConfigSchema.parse(doc);
}

/** One recorded change between two revisions of a model (for the audit trail). */
export interface ModelChange {
  path: string;
  from: unknown;
  to: unknown;
}

/**
 * The differences between two configs, with readable paths: indicators are named by id
 * (`indicators[fire_cases].weight`), so a reordering is not reported as a change of every weight.
 */
export function diffModels(before: ModelConfig, after: ModelConfig): ModelChange[] {
  const out: ModelChange[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (Array.isArray(a) && Array.isArray(b) && path.endsWith('indicators')) {
      const byId = (xs: unknown[]): Map<string, unknown> => new Map(xs.map((x) => [String((x as { id: unknown }).id), x]));
      const am = byId(a);
      const bm = byId(b);
      for (const [id, x] of am) {
        if (!bm.has(id)) out.push({ path: `${path}[${id}]`, from: x, to: null });
        else walk(x, bm.get(id), `${path}[${id}]`);
      }
      for (const [id, y] of bm) if (!am.has(id)) out.push({ path: `${path}[${id}]`, from: null, to: y });
      return;
    }
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, from: a ?? null, to: b ?? null });
  };
  walk(before, after, '');
  return out;
}

// ---------------------------------------------------------------------------------------------
// The shipped models. Seeded at revision 1 by the core when absent; then edited as data.
// ---------------------------------------------------------------------------------------------

const perGridMinmax = (clipQuantile = 0.95): Normalisation => ({ per: 'grid', unit: 1, method: { kind: 'minmax', clipQuantile } });
const perPopMinmax = (clipQuantile = 0.95): Normalisation => ({ per: 'population', unit: 10_000, method: { kind: 'minmax', clipQuantile } });
const perKm2Minmax = (clipQuantile = 0.95): Normalisation => ({ per: 'area_km2', unit: 1, method: { kind: 'minmax', clipQuantile } });
const steps = (breaks: number[], scores: number[]): Normalisation => ({ per: 'grid', unit: 1, method: { kind: 'thresholds', breaks, scores } });

const ind = (
  id: string,
  name: string,
  nameEn: string,
  domain: IndicatorDomain,
  source: IndicatorSource,
  normalise: Normalisation,
  weight: number,
  direction: IndicatorDef['direction'] = 'increases',
): IndicatorDef => ({ id, name, nameEn, domain, source, normalise, weight, direction });

const cases = (windowHours: number, filter: { classCodes?: string[]; categoryCodes?: string[]; sources?: Array<(typeof CASE_SOURCES)[number]> }): IndicatorSource => ({
  kind: 'case_count',
  windowHours,
  event: 'reported',
  ...filter,
});

/**
 * Default colour thresholds. Grid scores are sparse (most grids have no case of a given kind in a
 * week), so the bands sit low: on the Hangzhou demo about 3/4 of the grids stay green, 1 in 7 is
 * blue, 1 in 12 yellow, and a few in a hundred orange or red. Centres tune them per model.
 */
const THRESHOLDS: [number, number, number, number] = [10, 20, 30, 40];
const WEEK = 168;
const MONTH = 720;

const base = (id: string, name: string, nameEn: string, description: string, indicators: IndicatorDef[]): ModelConfig => ({
  format: MODEL_FORMAT,
  id,
  name,
  nameEn,
  description,
  kind: 'risk',
  indicators,
  levels: { thresholds: [...THRESHOLDS] },
  rollup: { weightBy: 'population' },
  primary: false,
});

/** 综合风险: six indicators over all domains; the primary model (the wall's 五色图). */
export const COMPOSITE_MODEL: ModelConfig = {
  ...base('composite', '综合风险', 'Composite risk', '余杭区式综合指标模型：案件密度、超期、督办、突发事件、感知告警、预警', [
    ind('case_rate', '7日案件密度', 'Cases per 10,000 residents, 7 days', 'general', cases(WEEK, {}), perPopMinmax(), 25),
    ind('overdue', '超期案件', 'Overdue cases', 'general', { kind: 'overdue_cases' }, steps([1, 3, 6, 10], [0, 0.25, 0.5, 0.75, 1]), 20),
    ind('supervised', '督办案件', 'Supervised cases', 'general', { kind: 'supervised_cases' }, steps([1, 2, 4], [0, 0.4, 0.7, 1]), 10),
    ind('emergencies', '7日突发事件', 'Emergencies, 7 days', 'general', cases(WEEK, { classCodes: ['05'] }), perGridMinmax(), 20),
    ind('sensor_alarms', '7日感知告警', 'Sensor alarms, 7 days', 'infrastructure', { kind: 'sensor_alarms', windowHours: WEEK }, perGridMinmax(), 15),
    ind('warnings', '生效预警', 'Warnings in force', 'general', { kind: 'warnings_in_force', minSeverity: 'moderate' }, steps([1, 2], [0, 0.6, 1]), 10),
  ]),
  primary: true,
};

export const DISPUTE_MODEL: ModelConfig = base('dispute', '矛盾风险', 'Dispute risk', '矛盾纠纷：邻里、物业、欠薪、噪声投诉', [
  ind('neighbour', '邻里纠纷', 'Neighbour disputes', 'dispute', cases(MONTH, { categoryCodes: ['1001'] }), perPopMinmax(), 30),
  ind('property', '物业纠纷', 'Property disputes', 'dispute', cases(MONTH, { categoryCodes: ['1003'] }), perPopMinmax(), 20),
  ind('wages', '欠薪讨薪', 'Unpaid wages', 'dispute', cases(MONTH, { categoryCodes: ['1004'] }), perGridMinmax(), 25),
  ind('noise', '噪声扰民', 'Noise complaints', 'dispute', cases(WEEK, { categoryCodes: ['1002', '0301'] }), perPopMinmax(), 10),
  ind('dispute_overdue', '纠纷超期', 'Overdue disputes', 'dispute', { kind: 'overdue_cases', categoryCodes: ['1001', '1003', '1004'] }, steps([1, 2, 4], [0, 0.5, 0.8, 1]), 15),
]);
DISPUTE_MODEL.index = { id: 'harmony', name: '矛盾化解指数', nameEn: 'Dispute resolution', order: 4 };

export const PRODUCTION_MODEL: ModelConfig = base('production', '生产安全', 'Production safety', '企业安全隐患、燃气、危化品、检查发现', [
  ind('hazards', '企业安全隐患', 'Enterprise hazards', 'production', cases(MONTH, { categoryCodes: ['1103'] }), perGridMinmax(), 30),
  ind('gas_use', '燃气使用隐患', 'Unsafe gas use', 'production', cases(MONTH, { categoryCodes: ['1104', '0503'] }), perGridMinmax(), 20),
  ind('chemicals', '危化品泄漏', 'Chemical leaks', 'production', cases(MONTH, { categoryCodes: ['0508'] }), steps([1, 2], [0, 0.7, 1]), 15),
  ind('findings', '检查发现隐患', 'Inspection findings', 'production', { kind: 'inspection_findings', windowHours: MONTH, majorOnly: false }, perGridMinmax(), 20),
  ind('gas_alarms', '燃气告警', 'Gas sensor alarms', 'production', { kind: 'sensor_alarms', windowHours: WEEK, sensorTypes: ['gas'] }, perGridMinmax(), 15),
]);
PRODUCTION_MODEL.index = { id: 'production', name: '生产安全指数', nameEn: 'Production safety', order: 2 };

export const FIRE_MODEL: ModelConfig = base('fire', '消防安全', 'Fire safety', '火灾、消防通道、电动车充电、消防设施、烟感', [
  ind('fires', '30日火灾', 'Fires, 30 days', 'fire', cases(MONTH, { categoryCodes: ['0505'] }), steps([1, 2, 3], [0, 0.5, 0.8, 1]), 30),
  ind('fire_lanes', '消防通道堵塞', 'Blocked fire lanes', 'fire', cases(MONTH, { categoryCodes: ['1101'] }), perGridMinmax(), 20),
  ind('ebike', '电动车违规充电', 'Illegal e-bike charging', 'fire', cases(MONTH, { categoryCodes: ['1102'] }), perPopMinmax(), 20),
  ind('hydrants', '消防栓损坏', 'Damaged hydrants', 'fire', { kind: 'overdue_cases', categoryCodes: ['0603'] }, steps([1], [0, 1]), 10),
  ind('smoke', '烟感告警', 'Smoke alarms', 'fire', { kind: 'sensor_alarms', windowHours: WEEK, sensorTypes: ['smoke'] }, perGridMinmax(), 20),
]);
FIRE_MODEL.index = { id: 'fire', name: '消防安全指数', nameEn: 'Fire safety', order: 1 };

export const SECURITY_MODEL: ModelConfig = base('security', '治安警情', 'Police incidents', '110 警情、治安隐患、人员聚集、街面秩序', [
  ind('police', '7日110警情', '110 referrals, 7 days', 'public_security', cases(WEEK, { sources: ['police110'] }), perPopMinmax(), 35),
  ind('security_hazards', '治安隐患', 'Public security hazards', 'public_security', cases(MONTH, { categoryCodes: ['1006'] }), perGridMinmax(), 25),
  ind('crowds', '人员聚集', 'Crowd gatherings', 'public_security', cases(WEEK, { categoryCodes: ['0509'] }), steps([1, 2], [0, 0.6, 1]), 20),
  ind('street_order', '街面秩序', 'Street order', 'public_security', cases(WEEK, { classCodes: ['04'] }), perKm2Minmax(), 10),
  ind('cameras_off', '离线摄像头', 'Cameras offline', 'public_security', { kind: 'offline_devices', devices: ['camera'] }, steps([1, 3], [0, 0.5, 1]), 10),
]);
SECURITY_MODEL.index = { id: 'security', name: '社会治安指数', nameEn: 'Public security', order: 0 };

export const TRAFFIC_MODEL: ModelConfig = base('traffic', '交通安全', 'Traffic safety', '交通事故、交通设施、乱停放、渣土车', [
  ind('accidents', '7日交通事故', 'Accidents, 7 days', 'traffic', cases(WEEK, { categoryCodes: ['0506'] }), perGridMinmax(), 40),
  ind('facilities', '交通设施损坏', 'Damaged traffic facilities', 'traffic', cases(MONTH, { classCodes: ['07'] }), perKm2Minmax(), 20),
  ind('parking', '乱停放', 'Bad parking', 'traffic', cases(WEEK, { categoryCodes: ['0404', '0405'] }), perKm2Minmax(), 20),
  ind('muck', '渣土车违规', 'Muck trucks', 'traffic', cases(MONTH, { categoryCodes: ['0307', '0303'] }), perGridMinmax(), 20),
]);
TRAFFIC_MODEL.index = { id: 'traffic', name: '交通安全指数', nameEn: 'Traffic safety', order: 3 };

export const OPERATION_MODEL: ModelConfig = base('operation', '城市运行', 'City operation', '市容环境、市政设施、超期、感知设备与预警', [
  ind('appearance', '市容环境', 'City appearance', 'environment', cases(WEEK, { classCodes: ['01', '02'] }), perKm2Minmax(), 25),
  ind('utilities', '市政设施', 'Public utilities', 'infrastructure', cases(WEEK, { classCodes: ['06'] }), perKm2Minmax(), 20),
  ind('op_overdue', '超期案件', 'Overdue cases', 'general', { kind: 'overdue_cases' }, steps([1, 3, 6], [0, 0.4, 0.7, 1]), 20),
  ind('water_alarms', '水位井盖告警', 'Water level and manhole alarms', 'infrastructure', { kind: 'sensor_alarms', windowHours: WEEK, sensorTypes: ['water_level', 'manhole'] }, perGridMinmax(), 15),
  ind('devices_off', '离线设备', 'Devices offline', 'infrastructure', { kind: 'offline_devices', devices: ['sensor', 'camera'] }, steps([1, 3, 6], [0, 0.4, 0.7, 1]), 10),
  ind('op_warnings', '生效预警', 'Warnings in force', 'general', { kind: 'warnings_in_force', minSeverity: 'minor' }, steps([1, 2], [0, 0.5, 1]), 10),
]);
OPERATION_MODEL.index = { id: 'operation', name: '城市运行指数', nameEn: 'City operation', order: 5 };

/** 浙江 精密智控指数 as a precision model: sub-indicators × the coefficient of the 综合风险 colour. */
export const PRECISION_MODEL: ModelConfig = {
  ...base('precision', '精密智控指数', 'Precision index', '子指标加权评分 × 五色等级系数（绿1.0 蓝0.95 黄0.9 橙0.8 红0.7）', [
    ind('closed', '7日结案', 'Cases closed, 7 days', 'general', { kind: 'case_count', windowHours: WEEK, event: 'closed' }, perGridMinmax(), 35),
    ind('p_overdue', '超期案件', 'Overdue cases', 'general', { kind: 'overdue_cases' }, steps([1, 3, 6], [0, 0.4, 0.7, 1]), 30, 'decreases'),
    ind('p_devices', '离线设备', 'Devices offline', 'infrastructure', { kind: 'offline_devices', devices: ['sensor', 'camera'] }, steps([1, 3], [0, 0.5, 1]), 15, 'decreases'),
    ind('p_public', '7日群众诉求', 'Public complaints, 7 days', 'general', cases(WEEK, { sources: ['hotline', 'public'] }), perPopMinmax(), 20, 'decreases'),
  ]),
  kind: 'precision',
  precision: { basedOn: 'composite', coefficients: [1, 0.95, 0.9, 0.8, 0.7] },
};

/** Every shipped model, in display order. The six with `index` make the 平安六指数. */
export const DEFAULT_MODELS: readonly ModelConfig[] = [
  COMPOSITE_MODEL,
  DISPUTE_MODEL,
  PRODUCTION_MODEL,
  FIRE_MODEL,
  SECURITY_MODEL,
  TRAFFIC_MODEL,
  OPERATION_MODEL,
  PRECISION_MODEL,
].map((m) => modelConfigSchema.parse(m));
