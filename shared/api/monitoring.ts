/**
 * API of monitoring and early warning (监测预警): the sensor registry, readings, alarms, ingest
 * status, and official warnings (CAP 1.2). See shared/domain/monitoring.ts for the vocabulary.
 */
import { z } from 'zod';
import { defineEvent, defineMethod } from './contract';
import { idSchema, isoTimeSchema, sensorSchema, SENSOR_TYPES } from '../domain/model';
import {
  ALARM_KINDS,
  ALARM_SEVERITIES,
  ALARM_STATES,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  SENSOR_STATUSES,
  WARNING_STATES,
  alarmKindSchema,
  alarmSeveritySchema,
  alarmStateSchema,
  capAlertSchema,
  capReferenceSchema,
  effectiveRulesSchema,
  sensorThresholdsSchema,
  sensorTypeSchema,
  warningColourSchema,
} from '../domain/monitoring';

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const actorSchema = z.string().trim().min(1).max(60);

// ---------------------------------------------------------------------------------------------
// Alarms

export const alarmSchema = z.object({
  id: idSchema,
  sensorId: idSchema,
  sensorName: z.string(),
  sensorType: sensorTypeSchema,
  unit: z.string(),
  kind: alarmKindSchema,
  severity: alarmSeveritySchema,
  state: alarmStateSchema,
  /** One line for the strip and the list, e.g. "水位 0.32 m ≥ 告警线 0.15 m". */
  message: z.string(),
  /** The value that triggered it most recently, and the threshold it crossed. */
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  lon,
  lat,
  gridId: idSchema.nullable(),
  departmentId: idSchema.nullable(),
  raisedAt: isoTimeSchema,
  lastTriggeredAt: isoTimeSchema,
  /** How often the condition was met while the alarm stayed open (repeats never open a new alarm). */
  triggerCount: z.number().int(),
  acknowledgedAt: isoTimeSchema.nullable(),
  acknowledgedBy: z.string().nullable(),
  ackNote: z.string().nullable(),
  clearedAt: isoTimeSchema.nullable(),
  clearedBy: z.string().nullable(),
  clearNote: z.string().nullable(),
  autoCleared: z.boolean(),
  /** How many times it escalated while unacknowledged. */
  escalation: z.number().int(),
  escalatedAt: isoTimeSchema.nullable(),
  caseId: idSchema.nullable(),
  /** Why the automatic case could not be filed (the seat can retry with alarms.createCase). */
  caseError: z.string().nullable(),
  version: z.number().int(),
});
export type Alarm = z.infer<typeof alarmSchema>;

export const alarmQuerySchema = z
  .object({
    states: z.array(alarmStateSchema).max(ALARM_STATES.length).optional(),
    /** Shortcut: raised + acknowledged. */
    open: z.boolean().optional(),
    severities: z.array(alarmSeveritySchema).max(ALARM_SEVERITIES.length).optional(),
    kinds: z.array(alarmKindSchema).max(ALARM_KINDS.length).optional(),
    sensorTypes: z.array(sensorTypeSchema).max(SENSOR_TYPES.length).optional(),
    sensorId: idSchema.optional(),
    /** Any area: alarms of sensors in grids under it. */
    areaId: idSchema.optional(),
    departmentId: idSchema.optional(),
    from: isoTimeSchema.optional(),
    to: isoTimeSchema.optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type AlarmQuery = z.input<typeof alarmQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Sensors

export const sensorDetailSchema = sensorSchema.extend({
  /** The sensor's own overrides, as stored (the canonical thresholds shape). */
  thresholds: sensorThresholdsSchema,
  /** What the core evaluates: the type's rules merged with the overrides. */
  rules: effectiveRulesSchema,
  departmentName: z.string().nullable(),
  gridName: z.string().nullable(),
  version: z.number().int(),
  updatedAt: isoTimeSchema,
  openAlarms: z.array(alarmSchema),
  recentAlarms: z.array(alarmSchema),
});
export type SensorDetail = z.infer<typeof sensorDetailSchema>;

export const sensorInputSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[^\s()'"/#+]+$/, 'an id may not contain spaces, quotes, parentheses, slashes, # or +'),
    name: z.string().trim().min(1).max(120),
    type: sensorTypeSchema,
    /** Defaults to the type's usual unit. */
    unit: z.string().max(20).optional(),
    lon,
    lat,
    /** Department id or code (e.g. SW). */
    departmentId: z.string().min(1).max(80).nullable().optional(),
    /** Resolved from the location when omitted. */
    gridId: idSchema.nullable().optional(),
    intervalS: z.number().int().min(1).max(86_400 * 7).default(300),
    thresholds: sensorThresholdsSchema.optional(),
  })
  .strict();
export type SensorInput = z.input<typeof sensorInputSchema>;

export const importErrorSchema = z.object({ row: z.number().int(), id: z.string().nullable(), message: z.string() });

export const sensorTypeRulesSchema = z.object({
  type: sensorTypeSchema,
  name: z.string(),
  nameEn: z.string(),
  unit: z.string(),
  categoryCode: z.string(),
  /** The shipped defaults. */
  defaults: effectiveRulesSchema,
  /** What the centre changed for the whole type. */
  overrides: sensorThresholdsSchema,
  effective: effectiveRulesSchema,
});

// ---------------------------------------------------------------------------------------------
// Ingest status

export const INGEST_REJECT_REASONS = [
  'bad_topic', // not a SensorThings Observations topic
  'unknown_datastream', // no sensor with that id
  'malformed_json',
  'invalid_payload', // JSON, but not an observation (or a batch of them)
  'non_numeric_result',
  'bad_time', // phenomenonTime is not an ISO-8601 instant
  'future_time', // phenomenonTime too far ahead of the clock
  'too_old', // older than the raw retention window
  'too_large', // payload or batch over the limits
  'store_failed', // the store refused the batch (disk full…): logged
] as const;
export type IngestRejectReason = (typeof INGEST_REJECT_REASONS)[number];
export const ingestRejectReasonSchema = z.enum(INGEST_REJECT_REASONS);

export const BROKER_STATES = ['disabled', 'connecting', 'connected', 'reconnecting', 'offline', 'error'] as const;

export const ingestStatusSchema = z.object({
  at: isoTimeSchema,
  since: isoTimeSchema,
  /** Averages over the last 10 seconds. */
  messagesPerSec: z.number(),
  readingsPerSec: z.number(),
  totals: z.object({
    messages: z.number().int(),
    readings: z.number().int(),
    stored: z.number().int(),
    /** Already stored (same sensor and phenomenonTime): a broker redelivery, not counted twice. */
    duplicates: z.number().int(),
    rejected: z.number().int(),
  }),
  rejectedByReason: z.record(ingestRejectReasonSchema, z.number().int()),
  lastRejected: z.array(
    z.object({
      at: isoTimeSchema,
      reason: ingestRejectReasonSchema,
      topic: z.string(),
      detail: z.string(),
      /** The start of the offending payload (at most 300 characters). */
      payload: z.string(),
    }),
  ),
  buffer: z.object({
    pending: z.number().int(),
    lastFlushAt: isoTimeSchema.nullable(),
    lastFlushRows: z.number().int(),
    lastFlushMs: z.number(),
  }),
  broker: z.object({
    embedded: z.object({
      enabled: z.boolean(),
      listening: z.boolean(),
      host: z.string().nullable(),
      port: z.number().int().nullable(),
      clients: z.number().int(),
      error: z.string().nullable(),
    }),
    external: z.object({
      enabled: z.boolean(),
      /** Without the password. */
      url: z.string().nullable(),
      clientId: z.string().nullable(),
      state: z.enum(BROKER_STATES),
      lastError: z.string().nullable(),
      connectedAt: isoTimeSchema.nullable(),
      /** Whether the broker resumed our persistent session on the last connect. */
      sessionPresent: z.boolean().nullable(),
    }),
  }),
  retention: z.object({
    rawDays: z.number(),
    minuteDays: z.number(),
    hourDays: z.number(),
    lastRunAt: isoTimeSchema.nullable(),
    lastDeleted: z.number().int(),
  }),
});
export type IngestStatus = z.infer<typeof ingestStatusSchema>;

export const monitoringSettingsSchema = z.object({
  /** Raw readings are kept this many days; 1-minute and 1-hour roll-ups longer. */
  rawRetentionDays: z.number().min(1).max(365),
  minuteRetentionDays: z.number().min(1).max(3650),
  hourRetentionDays: z.number().min(1).max(36500),
  /** An alarm of at least this severity files a case by itself ('none': never). */
  caseSeverity: z.enum([...ALARM_SEVERITIES, 'none']),
  /** An alarm unacknowledged this long escalates (0: never). */
  escalateAfterMin: z.number().min(0).max(1440),
  /** Readings stamped further ahead of the clock are refused. */
  futureToleranceS: z.number().int().min(0).max(86_400),
  /** Raise `offline` alarms for silent devices. */
  offlineAlarms: z.boolean(),
});
export type MonitoringSettings = z.infer<typeof monitoringSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// Official warnings (CAP)

export const WARNING_SOURCES = ['http', 'folder', 'api'] as const;

export const warningSummarySchema = z.object({
  id: idSchema,
  identifier: z.string(),
  sender: z.string(),
  sent: isoTimeSchema,
  status: z.enum(CAP_STATUSES),
  msgType: z.enum(CAP_MSG_TYPES),
  scope: z.enum(CAP_SCOPES),
  state: z.enum(WARNING_STATES),
  colour: warningColourSchema,
  /** 蓝色 / 黄色 / 橙色 / 红色. */
  colourName: z.string(),
  language: z.string(),
  event: z.string(),
  headline: z.string().nullable(),
  senderName: z.string().nullable(),
  severity: z.enum(CAP_SEVERITIES),
  urgency: z.enum(CAP_URGENCIES),
  certainty: z.enum(CAP_CERTAINTIES),
  effective: isoTimeSchema,
  onset: isoTimeSchema.nullable(),
  expires: isoTimeSchema.nullable(),
  areaDescs: z.array(z.string()),
  bbox: z.tuple([lon, lat, lon, lat]).nullable(),
  languages: z.array(z.string()),
  receivedAt: isoTimeSchema,
  source: z.enum(WARNING_SOURCES),
  /** The warning that replaced this one (Update) or withdrew it (Cancel). */
  replacedBy: idSchema.nullable(),
  /** Stored warnings this message refers to. */
  referencesIds: z.array(idSchema),
});
export type WarningSummary = z.infer<typeof warningSummarySchema>;

const warningFeaturesSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({
        warningId: idSchema,
        areaDesc: z.string(),
        colour: warningColourSchema,
        event: z.string(),
        headline: z.string().nullable(),
        /** polygon, circle (drawn as a 64-gon), or geocode (the matched area's boundary). */
        shape: z.enum(['polygon', 'circle', 'geocode']),
      }),
      geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
    }),
  ),
});

export const warningInsideSchema = z.object({
  grids: z.array(z.object({ id: idSchema, name: z.string(), code: z.string() })),
  cameras: z.array(z.object({ id: idSchema, name: z.string(), status: z.string() })),
  sensors: z.array(z.object({ id: idSchema, name: z.string(), type: sensorTypeSchema, status: z.enum(SENSOR_STATUSES) })),
  counts: z.object({ grids: z.number().int(), cameras: z.number().int(), sensors: z.number().int() }),
  /** Lists are capped at `limit` entries each; counts are exact. */
  truncated: z.boolean(),
});

// ---------------------------------------------------------------------------------------------

const seriesResolutionSchema = z.enum(['auto', 'raw', '1m', '1h']);

export const monitoringMethods = {
  'sensors.get': defineMethod({
    summary: 'One sensor with its thresholds, effective rules, department, open alarms and recent alarm history.',
    input: z.object({ id: idSchema }).strict(),
    output: sensorDetailSchema,
  }),
  'sensors.upsert': defineMethod({
    summary: 'Create or edit a sensor (registry). The grid is resolved from the location unless given; the department may be an id or a code.',
    mutates: true,
    input: sensorInputSchema.extend({ expectedVersion: z.number().int().optional() }).strict(),
    output: z.object({ sensor: sensorDetailSchema, created: z.boolean() }),
  }),
  'sensors.delete': defineMethod({
    summary: 'Remove a sensor with its readings; its open alarms are cleared.',
    mutates: true,
    input: z.object({ id: idSchema, actor: actorSchema }).strict(),
    output: z.object({ id: idSchema, deletedReadings: z.number().int() }),
  }),
  'sensors.import': defineMethod({
    summary:
      'Import sensors from CSV (header: id,name,type,unit,lon,lat,department,grid,interval_s,warn,alarm,critical,dir) or GeoJSON (Point features). ' +
      'dryRun checks only; atomic (default) stores nothing when any row is wrong.',
    mutates: true,
    input: z
      .object({
        format: z.enum(['csv', 'geojson']),
        text: z.string().min(1).max(20_000_000),
        dryRun: z.boolean().default(false),
        atomic: z.boolean().default(true),
      })
      .strict(),
    output: z.object({
      created: z.number().int(),
      updated: z.number().int(),
      rows: z.number().int(),
      stored: z.boolean(),
      errors: z.array(importErrorSchema),
    }),
  }),
  'sensors.typeRules': defineMethod({
    summary: 'The alarm rules of every sensor type: shipped defaults, the centre\u2019s overrides, and what applies.',
    input: z.object({}).strict(),
    output: z.array(sensorTypeRulesSchema),
  }),
  'sensors.setTypeRules': defineMethod({
    summary: 'Override the rules of one sensor type (undefined fields inherit the shipped default, null switches a rule off).',
    mutates: true,
    input: z.object({ type: sensorTypeSchema, thresholds: sensorThresholdsSchema, actor: actorSchema }).strict(),
    output: sensorTypeRulesSchema,
  }),
  'readings.series': defineMethod({
    summary:
      'Readings of one sensor for a chart (default: the last 24 h). Times are epoch milliseconds. `auto` picks raw readings when they are few, else 1-minute or 1-hour roll-ups (v = mean, with min/max).',
    input: z
      .object({
        sensorId: idSchema,
        from: isoTimeSchema.optional(),
        to: isoTimeSchema.optional(),
        resolution: seriesResolutionSchema.default('auto'),
        maxPoints: z.number().int().min(10).max(100_000).default(3_000),
      })
      .strict(),
    output: z.object({
      sensorId: idSchema,
      unit: z.string(),
      resolution: z.enum(['raw', '1m', '1h']),
      from: isoTimeSchema,
      to: isoTimeSchema,
      t: z.array(z.number()),
      v: z.array(z.number()),
      min: z.array(z.number()).nullable(),
      max: z.array(z.number()).nullable(),
      /** True when more points existed than maxPoints (the newest are kept). */
      truncated: z.boolean(),
      rules: effectiveRulesSchema,
      alarms: z.array(z.object({ id: idSchema, kind: alarmKindSchema, severity: alarmSeveritySchema, raisedAt: isoTimeSchema, clearedAt: isoTimeSchema.nullable() })),
    }),
  }),
  'alarms.list': defineMethod({
    summary: 'Alarms, newest first, filtered by state, severity, kind, sensor, area, department and time.',
    input: alarmQuerySchema,
    output: z.object({ total: z.number().int(), items: z.array(alarmSchema), counts: z.record(alarmSeveritySchema, z.number().int()) }),
  }),
  'alarms.get': defineMethod({
    summary: 'One alarm with its history (raised, severity changes, escalations, acknowledgement, clearing, case).',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({
      alarm: alarmSchema,
      history: z.array(z.object({ at: isoTimeSchema, action: z.string(), actor: z.string(), note: z.string(), severity: alarmSeveritySchema })),
    }),
  }),
  'alarms.acknowledge': defineMethod({
    summary: 'Acknowledge a raised alarm (who and when are recorded; stops escalation).',
    mutates: true,
    input: z.object({ id: idSchema, actor: actorSchema, note: z.string().max(500).default('') }).strict(),
    output: alarmSchema,
  }),
  'alarms.clear': defineMethod({
    summary: 'Clear an open alarm by hand (who, when and why are recorded; the linked case gets a note).',
    mutates: true,
    input: z.object({ id: idSchema, actor: actorSchema, note: z.string().max(500).default('') }).strict(),
    output: alarmSchema,
  }),
  'alarms.createCase': defineMethod({
    summary: 'File a case (source IoT) for an alarm by hand; answers the existing case when it already has one.',
    mutates: true,
    input: z.object({ id: idSchema, actor: actorSchema }).strict(),
    output: z.object({ alarm: alarmSchema, caseId: idSchema, created: z.boolean() }),
  }),
  'ingest.status': defineMethod({
    summary: 'Ingest health for the console: messages/s, rejections by reason with the last samples, broker connection, write buffer, retention.',
    input: z.object({}).strict(),
    output: ingestStatusSchema,
  }),
  'monitoring.settings': defineMethod({
    summary: 'Monitoring settings: retention windows, case threshold, escalation delay, clock tolerance.',
    input: z.object({}).strict(),
    output: monitoringSettingsSchema,
  }),
  'monitoring.updateSettings': defineMethod({
    summary: 'Change some monitoring settings.',
    mutates: true,
    input: monitoringSettingsSchema.partial().extend({ actor: actorSchema }).strict(),
    output: monitoringSettingsSchema,
  }),
} as const;

export const monitoringEvents = {
  'sensors.readings': defineEvent({
    summary:
      'Readings just stored (compact, for the map): the latest value per sensor of one write batch, with its time (epoch ms) and status; also sent when sensors go offline (value and time of their last reading, null if none).',
    payload: z.object({
      at: isoTimeSchema,
      ids: z.array(idSchema),
      values: z.array(z.number().nullable()),
      times: z.array(z.number().nullable()),
      status: z.array(z.enum(SENSOR_STATUSES)),
    }),
  }),
  'alarm.raised': defineEvent({ summary: 'A new alarm was raised.', payload: z.object({ alarm: alarmSchema }) }),
  'alarm.updated': defineEvent({
    summary: 'An alarm changed: severity, escalated, acknowledged, cleared, or a case was filed.',
    payload: z.object({ alarm: alarmSchema, action: z.enum(['severity', 'escalated', 'acknowledged', 'cleared', 'case']) }),
  }),
  'ingest.status': defineEvent({ summary: 'Ingest health, every 2 seconds.', payload: ingestStatusSchema }),
} as const;

export const warningMethods = {
  'warnings.list': defineMethod({
    summary: 'Official warnings (CAP), newest first; by default only those in force (active).',
    input: z
      .object({
        states: z.array(z.enum(WARNING_STATES)).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.array(warningSummarySchema),
  }),
  'warnings.get': defineMethod({
    summary: 'One warning: the parsed CAP alert (every info block and language), its areas as GeoJSON, and the grids, cameras and sensors inside them.',
    input: z.object({ id: idSchema, limit: z.number().int().min(1).max(20_000).default(500) }).strict(),
    output: z.object({ warning: warningSummarySchema, alert: capAlertSchema, features: warningFeaturesSchema, inside: warningInsideSchema }),
  }),
  'warnings.features': defineMethod({
    summary:
      'The areas of the warnings in force as GeoJSON, for the map layer: now, or at a past moment `at` (replay: the warnings the room had received by then that were in force then, withdrawn ones until their withdrawal).',
    input: z.object({ at: z.string().datetime({ offset: true }).optional() }).strict(),
    output: warningFeaturesSchema,
  }),
  'warnings.ingest': defineMethod({
    summary:
      'Accept a CAP 1.2 alert (XML). Update and Cancel replace or withdraw earlier alerts by reference. Invalid XML or a schema violation: a validation error, nothing stored. Same as POST /api/cap.',
    mutates: true,
    input: z.object({ xml: z.string().min(1).max(5_000_000), source: z.enum(WARNING_SOURCES).default('api') }).strict(),
    output: z.object({
      warning: warningSummarySchema,
      /** The same alert (sender + identifier) was already stored: nothing changed. */
      duplicate: z.boolean(),
      /** Earlier warnings this message superseded or cancelled. */
      affected: z.array(warningSummarySchema),
      unmatchedReferences: z.array(capReferenceSchema),
    }),
  }),
} as const;

export const warningEvents = {
  'warning.changed': defineEvent({
    summary: 'An official warning arrived, was superseded or cancelled, came into force, or expired.',
    payload: z.object({ warning: warningSummarySchema, change: z.enum(['created', 'activated', 'superseded', 'cancelled', 'expired']) }),
  }),
} as const;
