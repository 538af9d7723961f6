/**
 * Monitoring (监测预警), wired into the core: the sensor registry methods, readings, alarms and
 * ingest status; the embedded broker and the external broker client; the periodic jobs (silence,
 * escalation, retention, status events).
 */
import crypto from 'node:crypto';
import { ApiFailure } from '../../../shared/api';
import type { IngestStatus, MonitoringSettings } from '../../../shared/api/monitoring';
import { monitoringSettingsSchema } from '../../../shared/api/monitoring';
import { SENSOR_TYPES } from '../../../shared/domain/model';
import { SENSOR_TYPE_INFO, type SensorThresholds } from '../../../shared/domain/monitoring';
import { DAY_MS, toShanghaiIso } from '../../../shared/time';
import type { CoreContext } from '../core';
import { getMeta, setMeta, type Db } from '../db/store';
import { AlarmBook, toAlarm, type AlarmChange } from './alarms';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker';
import { CaseBridge } from './caseBridge';
import { startDemoFeed, type DemoFeed } from './demoFeed';
import { connectExternalBroker, type ExternalBroker, type ExternalBrokerOptions } from './external';
import { Ingest, type IngestOptions } from './ingest';
import { SensorRegistry } from './registry';
import { Retention } from './retention';
import { SensorCache } from './runtime';
import { alarmsInRange, chooseResolution, readSeries } from './series';
import { readMonitoringSettings, writeMonitoringSettings } from './settings';

/** MQTT options of the core (the host's --mqtt-port / --mqtt-url and their companions). */
export interface MqttOptions {
  /** Embedded broker port; 0 disables it. */
  port: number;
  /** Bind address of the embedded broker (default 127.0.0.1: loopback only). */
  host?: string;
  /** External broker (mqtt://, mqtts://, ws://, wss://); null for none. */
  url: string | null;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecure?: boolean;
  /** Fixed client id of the persistent session; default: one generated per store and kept in it. */
  clientId?: string;
  protocolVersion?: 4 | 5;
  sessionExpiryS?: number;
}

/** Tuning for tests and benchmarks. */
export interface MonitoringTuning extends IngestOptions {
  silenceCheckMs?: number;
  escalationCheckMs?: number;
  retentionMs?: number;
  statusMs?: number;
  /** Embedded broker on any free port (tests), overriding mqtt.port. */
  embeddedAnyPort?: boolean;
  /** Publish the demo sensors' readings to the embedded broker (default: when the store holds the demo city). */
  demoFeed?: boolean;
  demoExcursionEveryMs?: number;
}

export interface Monitoring {
  readonly ingest: Ingest;
  readonly alarms: AlarmBook;
  readonly sensors: SensorCache;
  readonly registry: SensorRegistry;
  readonly retention: Retention;
  readonly cases: CaseBridge;
  settings(): MonitoringSettings;
  /** The embedded broker's port, when it listens. */
  embeddedPort(): number | null;
  /** Resolves once the external broker connected and subscribed (immediately without one). */
  externalReady(): Promise<void>;
  status(): IngestStatus;
  /** Escalate due alarms now (tests; normally on a timer). */
  escalateNow(): void;
  /** Run the silence check now (tests; normally on a timer). */
  silenceNow(): void;
  /** Take a message as if it came from a broker (tests, tools). */
  handleMessage(topic: string, payload: Buffer | string): void;
}

/** Keyed by the store: the core object handed to hosts is a copy of the context, the store is shared. */
const instances = new WeakMap<Db, Monitoring>();

/** The core's monitoring runtime (after registerMonitoring). */
export function monitoringOf(ctx: Pick<CoreContext, 'db'>): Monitoring {
  const m = instances.get(ctx.db);
  if (!m) throw new Error('monitoring is not running in this core');
  return m;
}

/** Options for the external broker from the environment (user, password and TLS files stay out of the command line). */
export function mqttEnvOptions(env: NodeJS.ProcessEnv): Partial<MqttOptions> {
  const out: Partial<MqttOptions> = {};
  if (env.CITYOPS_MQTT_USERNAME) out.username = env.CITYOPS_MQTT_USERNAME;
  if (env.CITYOPS_MQTT_PASSWORD) out.password = env.CITYOPS_MQTT_PASSWORD;
  if (env.CITYOPS_MQTT_CA) out.caFile = env.CITYOPS_MQTT_CA;
  if (env.CITYOPS_MQTT_CERT) out.certFile = env.CITYOPS_MQTT_CERT;
  if (env.CITYOPS_MQTT_KEY) out.keyFile = env.CITYOPS_MQTT_KEY;
  if (env.CITYOPS_MQTT_INSECURE === '1') out.insecure = true;
  if (env.CITYOPS_MQTT_CLIENT_ID) out.clientId = env.CITYOPS_MQTT_CLIENT_ID;
  if (env.CITYOPS_MQTT_PROTOCOL === '4') out.protocolVersion = 4;
  if (env.CITYOPS_MQTT_HOST) out.host = env.CITYOPS_MQTT_HOST;
  return out;
}

const parseIso = (s: string): number => Date.parse(s);

export async function registerMonitoring(ctx: CoreContext, mqttOpts: MqttOptions | undefined, tuning: MonitoringTuning = {}): Promise<Monitoring> {
  const { db, registry, bus, log } = ctx;
  let settings = readMonitoringSettings(db);
  const getSettings = (): MonitoringSettings => settings;

  const sensors = new SensorCache(db, ctx.now);
  const alarms = new AlarmBook(db);
  const ingest = new Ingest(ctx, sensors, alarms, getSettings, tuning);
  const reg = new SensorRegistry(ctx, sensors, alarms);
  const retention = new Retention(db, getSettings, ctx.now);

  const announce = (id: string, action: AlarmChange['action']): void => {
    const row = alarms.row(id);
    if (!row) return;
    const alarm = toAlarm(row);
    if (action === 'raised') bus.emit('alarm.raised', { alarm });
    else bus.emit('alarm.updated', { alarm, action });
  };
  const cases = new CaseBridge(ctx, alarms, getSettings, (id) => announce(id, 'case'));
  const afterChanges = (changes: AlarmChange[]): void => {
    const consider: string[] = [];
    for (const c of changes) {
      announce(c.id, c.action);
      if (c.action === 'raised' || c.action === 'severity' || c.action === 'escalated') consider.push(c.id);
      if (c.action === 'cleared') cases.recordClear(c.id).catch((err: unknown) => log.warn('monitoring.case_note_failed', { alarm: c.id, error: String(err) }));
    }
    if (consider.length > 0) cases.consider(consider);
  };
  ingest.onAlarmChanges = afterChanges;

  // ---- brokers
  let embedded: EmbeddedBroker | null = null;
  let external: ExternalBroker | null = null;
  const onMessage = (topic: string, payload: Buffer | string): void => ingest.handleMessage(topic, payload);
  if (mqttOpts && (mqttOpts.port > 0 || tuning.embeddedAnyPort)) {
    embedded = await startEmbeddedBroker({ host: mqttOpts.host ?? '127.0.0.1', port: tuning.embeddedAnyPort ? 0 : mqttOpts.port, log, onMessage });
  }
  let feed: DemoFeed | null = null;
  const embeddedPort = embedded?.port ?? null;
  if ((tuning.demoFeed ?? getMeta(db, 'demo') !== null) && embeddedPort !== null) {
    const host = mqttOpts?.host && mqttOpts.host !== '0.0.0.0' && mqttOpts.host !== '::' ? mqttOpts.host : '127.0.0.1';
    feed = startDemoFeed(sensors, {
      url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${embeddedPort}`,
      log,
      ...(tuning.demoExcursionEveryMs !== undefined ? { excursionEveryMs: tuning.demoExcursionEveryMs } : {}),
    });
  }
  if (mqttOpts?.url) {
    let clientId = mqttOpts.clientId ?? getMeta(db, 'mqtt_client_id');
    if (!clientId) {
      clientId = `cityops-wall-${crypto.randomBytes(6).toString('hex')}`;
      setMeta(db, 'mqtt_client_id', clientId);
    }
    const extOpts: ExternalBrokerOptions = {
      url: mqttOpts.url,
      clientId,
      username: mqttOpts.username,
      password: mqttOpts.password,
      caFile: mqttOpts.caFile,
      certFile: mqttOpts.certFile,
      keyFile: mqttOpts.keyFile,
      insecure: mqttOpts.insecure,
      protocolVersion: mqttOpts.protocolVersion,
      sessionExpiryS: mqttOpts.sessionExpiryS ?? Math.round((settings.rawRetentionDays * DAY_MS) / 1000),
    };
    external = connectExternalBroker(extOpts, log, onMessage);
  }

  const status = (): IngestStatus => {
    const now = ctx.now();
    const e = embedded?.status();
    const x = external?.status();
    return {
      at: toShanghaiIso(now),
      since: toShanghaiIso(ctx.startedAt),
      ...ingest.rates(now),
      totals: { ...ingest.totals },
      rejectedByReason: { ...ingest.rejectedByReason },
      lastRejected: ingest.lastRejected.slice(0, 20),
      buffer: {
        pending: ingest.pending,
        lastFlushAt: ingest.lastFlush.at === null ? null : toShanghaiIso(ingest.lastFlush.at),
        lastFlushRows: ingest.lastFlush.rows,
        lastFlushMs: Math.round(ingest.lastFlush.ms * 100) / 100,
      },
      broker: {
        embedded: e ?? { enabled: false, listening: false, host: null, port: null, clients: 0, error: null },
        external: x ?? { enabled: false, url: null, clientId: null, state: 'disabled', lastError: null, connectedAt: null, sessionPresent: null },
      },
      retention: {
        rawDays: settings.rawRetentionDays,
        minuteDays: settings.minuteRetentionDays,
        hourDays: settings.hourRetentionDays,
        lastRunAt: retention.lastRunAt === null ? null : toShanghaiIso(retention.lastRunAt),
        lastDeleted: retention.lastDeleted,
      },
    };
  };

  const escalateNow = (): void => {
    if (settings.escalateAfterMin <= 0) return;
    const changes: AlarmChange[] = [];
    alarms.escalateDue(ctx.now(), settings.escalateAfterMin * 60_000, changes);
    if (changes.length > 0) afterChanges(changes);
  };
  const silenceNow = (): void => {
    ingest.checkSilence(ctx.now());
  };

  // ---- periodic jobs
  const every = (ms: number, fn: () => void, name: string): void => {
    const t = setInterval(() => {
      try {
        fn();
      } catch (err) {
        log.error('monitoring.job_failed', { job: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    }, ms);
    t.unref();
    ctx.timers.add(t);
  };
  every(tuning.statusMs ?? 2_000, () => bus.emit('ingest.status', status()), 'status');
  every(tuning.silenceCheckMs ?? 5_000, silenceNow, 'silence');
  every(tuning.escalationCheckMs ?? 15_000, escalateNow, 'escalation');
  every(tuning.retentionMs ?? 60_000, () => void retention.run().catch((err: unknown) => log.error('monitoring.retention_failed', { error: String(err) })), 'retention');

  ctx.onClose.push(async () => {
    // Order matters: no new messages, then write what was acknowledged.
    retention.stop();
    if (feed) await feed.close();
    if (external) await external.close();
    if (embedded) await embedded.close();
    ingest.close();
  });

  // ---- methods
  registry.register('sensors.get', ({ id }) => reg.detail(id));

  registry.register('sensors.upsert', (input) => reg.upsert(input));

  registry.register('sensors.delete', ({ id, actor }) => {
    const r = reg.delete(id, actor);
    for (const a of r.cleared) announce(a, 'cleared');
    return { id, deletedReadings: r.deletedReadings };
  });

  registry.register('sensors.import', ({ format, text, dryRun, atomic }) => reg.import(format, text, dryRun, atomic));

  const typeRules = (type: (typeof SENSOR_TYPES)[number]) => {
    const info = SENSOR_TYPE_INFO[type];
    return {
      type,
      name: info.name,
      nameEn: info.nameEn,
      unit: info.unit,
      categoryCode: info.categoryCode,
      defaults: info.rules,
      overrides: sensors.typeOverridesOf(type),
      effective: sensors.typeRulesOf(type),
    };
  };
  registry.register('sensors.typeRules', () => SENSOR_TYPES.map(typeRules));

  registry.register('sensors.setTypeRules', ({ type, thresholds, actor }) => {
    const clean: SensorThresholds = thresholds;
    db.prepare(
      `INSERT INTO sensor_type_rules(type, thresholds, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT(type) DO UPDATE SET thresholds = excluded.thresholds, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ).run(type, JSON.stringify(clean), ctx.now(), actor);
    sensors.loadTypeRules();
    log.info('monitoring.type_rules_changed', { type, actor });
    return typeRules(type);
  });

  registry.register('readings.series', ({ sensorId, from, to, resolution, maxPoints }) => {
    const s = sensors.get(sensorId, ctx.now());
    if (!s) throw new ApiFailure('not_found', `no sensor with id ${sensorId}`, 'input.sensorId');
    const end = to ? parseIso(to) : ctx.now();
    const start = from ? parseIso(from) : end - DAY_MS;
    if (start > end) throw new ApiFailure('validation', 'from is after to', 'input.from');
    const res = resolution === 'auto' ? chooseResolution(db, s.rid, start, end, maxPoints) : resolution;
    const series = readSeries(db, s.rid, start, end, res, maxPoints);
    return {
      sensorId,
      unit: s.unit,
      ...series,
      from: toShanghaiIso(start),
      to: toShanghaiIso(end),
      rules: s.rules,
      alarms: alarmsInRange(db, sensorId, start, end),
    };
  });

  registry.register('alarms.list', (q) => alarms.list(q, parseIso));

  registry.register('alarms.get', ({ id }) => ({ alarm: alarms.get(id), history: alarms.history(id) }));

  registry.register('alarms.acknowledge', ({ id, actor, note }) => {
    const row = alarms.acknowledge(id, actor, note, ctx.now());
    announce(id, 'acknowledged');
    return toAlarm(row);
  });

  registry.register('alarms.clear', ({ id, actor, note }) => {
    const row = alarms.clearById(id, actor, note, ctx.now());
    afterChanges([{ id, action: 'cleared' }]);
    return toAlarm(row);
  });

  registry.register('alarms.createCase', async ({ id, actor }) => {
    alarms.get(id);
    let r;
    try {
      r = await cases.file(id, actor);
    } catch (err) {
      throw new ApiFailure('unavailable', `the case could not be filed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { alarm: alarms.get(id), caseId: r.caseId, created: r.created };
  });

  registry.register('ingest.status', () => status());

  registry.register('monitoring.settings', () => settings);

  registry.register('monitoring.updateSettings', ({ actor, ...patch }) => {
    const next = monitoringSettingsSchema.parse({ ...settings, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
    if (next.minuteRetentionDays < next.rawRetentionDays || next.hourRetentionDays < next.minuteRetentionDays)
      throw new ApiFailure('validation', 'roll-ups must be kept at least as long as what they summarise: raw ≤ 1-minute ≤ 1-hour retention', 'input.minuteRetentionDays');
    writeMonitoringSettings(db, next, ctx.now());
    settings = next;
    log.info('monitoring.settings_changed', { actor, settings: next });
    return settings;
  });

  const monitoring: Monitoring = {
    ingest,
    alarms,
    sensors,
    registry: reg,
    retention,
    cases,
    settings: getSettings,
    embeddedPort: () => embedded?.port ?? null,
    externalReady: () => (external ? external.connected() : Promise.resolve()),
    status,
    escalateNow,
    silenceNow,
    handleMessage: onMessage,
  };
  instances.set(db, monitoring);
  log.info('monitoring.ready', { sensors: sensors.size, embedded: embedded?.port ?? null, external: mqttOpts?.url ? external?.status().url : null });
  return monitoring;
}
