/**
 * Ingest: MQTT messages → validated readings → batched writes → rules and alarms → events.
 *
 * Topics and payloads (OGC SensorThings MQTT, DESIGN.md):
 * - `v1.1/Datastreams(<id>)/Observations` (also `v1.0/…`, and `Datastreams('<id>')`): one
 *   observation `{"phenomenonTime": ISO-8601, "result": number}`, or a JSON array of them (the
 *   batch form for gateways).
 * - `v1.1/Observations`: one observation or an array, each naming its datastream as
 *   `"Datastream": {"@iot.id": "<id>"}` (SensorThings' own way) or `"datastream": "<id>"`.
 * A missing phenomenonTime means "now" (as in SensorThings); an interval `start/end` counts at its end.
 *
 * Anything wrong is rejected per observation, counted by reason, and the last few kept for the
 * console; never thrown. Accepted readings are buffered and written in one transaction every
 * `flushMs` (or sooner when `maxBatch` are waiting), together with their 1-minute and 1-hour
 * roll-ups, the sensors' live columns and the alarms they raise or clear.
 */
import type { IngestRejectReason, IngestStatus } from '../../../shared/api/monitoring';
import { INGEST_REJECT_REASONS } from '../../../shared/api/monitoring';
import { DAY_MS, toShanghaiIso } from '../../../shared/time';
import type { SensorStatus } from '../../../shared/domain/monitoring';
import type { CoreContext } from '../core';
import type { AlarmBook, AlarmChange } from './alarms';
import { evaluateReading, silentFor } from './rules';
import type { SensorCache, SensorRuntime } from './runtime';
import type { MonitoringSettings } from '../../../shared/api/monitoring';

export interface IngestOptions {
  /** Write the buffer at least this often (ms). */
  flushMs?: number;
  /** Write at once when this many readings are waiting. */
  maxBatch?: number;
  /** Hard cap of the buffer: beyond it, a message is written synchronously before the next. */
  maxBuffer?: number;
  /** Largest payload accepted (bytes). */
  maxPayloadBytes?: number;
  /** Most observations in one batch message. */
  maxBatchItems?: number;
  /** How many rejected samples to keep for the console. */
  keepRejected?: number;
}

interface Pending {
  sensor: SensorRuntime;
  t: number;
  v: number;
}

interface Bucket {
  rid: number;
  t: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  last: number;
  lastT: number;
}

export interface FlushResult {
  stored: number;
  duplicates: number;
  changes: AlarmChange[];
}

const TOPIC_ONE = /^v1\.[01]\/Datastreams\((.+)\)\/Observations$/;
const TOPIC_MANY = /^v1\.[01]\/Observations$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** Raw readings are keyed by 10-second bucket first (migration 003). */
export const RAW_BUCKET = 10_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

class Rejection {
  constructor(
    readonly reason: IngestRejectReason,
    readonly detail: string,
  ) {}
}

/** The datastream id inside `Datastreams(...)`: quotes removed (OData string keys). */
function unquote(id: string): string {
  const m = /^'(.*)'$/.exec(id);
  return m ? m[1]!.replace(/''/g, "'") : id;
}

export class Ingest {
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;
  private readonly opts: Required<IngestOptions>;
  private readonly stmt;

  readonly totals = { messages: 0, readings: 0, stored: 0, duplicates: 0, rejected: 0 };
  readonly rejectedByReason: Record<IngestRejectReason, number>;
  readonly lastRejected: IngestStatus['lastRejected'] = [];
  private readonly window: Array<{ sec: number; messages: number; readings: number }> = [];
  lastFlush: { at: number | null; rows: number; ms: number } = { at: null, rows: 0, ms: 0 };

  /** Called after each write with the alarm changes (outside the transaction). */
  onAlarmChanges: (changes: AlarmChange[]) => void = () => {};

  constructor(
    private readonly ctx: CoreContext,
    private readonly sensors: SensorCache,
    private readonly alarms: AlarmBook,
    private readonly settings: () => MonitoringSettings,
    options: IngestOptions = {},
  ) {
    this.opts = {
      flushMs: options.flushMs ?? 100,
      maxBatch: options.maxBatch ?? 5_000,
      maxBuffer: options.maxBuffer ?? 100_000,
      maxPayloadBytes: options.maxPayloadBytes ?? 1024 * 1024,
      maxBatchItems: options.maxBatchItems ?? 10_000,
      keepRejected: options.keepRejected ?? 50,
    };
    this.rejectedByReason = Object.fromEntries(INGEST_REJECT_REASONS.map((r) => [r, 0])) as Record<IngestRejectReason, number>;
    const db = ctx.db;
    const rollup = (table: string): string =>
      `INSERT INTO ${table}(t, sensor_rid, n, sum, min, max, last, last_t) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(t, sensor_rid) DO UPDATE SET n = n + excluded.n, sum = sum + excluded.sum,
         min = min(min, excluded.min), max = max(max, excluded.max),
         last = CASE WHEN excluded.last_t >= last_t THEN excluded.last ELSE last END, last_t = max(last_t, excluded.last_t)`;
    this.stmt = {
      raw: db.prepare('INSERT OR IGNORE INTO readings(b, sensor_rid, t, v) VALUES (?, ?, ?, ?)'),
      m1: db.prepare(rollup('readings_1m')),
      h1: db.prepare(rollup('readings_1h')),
      live: db.prepare('UPDATE sensors SET last_value = ?, last_at = ?, status = ? WHERE rid = ? AND (last_at IS NULL OR last_at <= ?)'),
      status: db.prepare('UPDATE sensors SET status = ? WHERE rid = ?'),
    };
  }

  // ---- receiving

  /** Take one MQTT message. Never throws. */
  handleMessage(topic: string, payload: Buffer | string, receivedAt: number = this.ctx.now()): void {
    if (this.closed) return;
    this.totals.messages++;
    this.count(receivedAt, 1, 0);
    const text = typeof payload === 'string' ? payload : payload.toString('utf8');
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size > this.opts.maxPayloadBytes) return this.reject(receivedAt, 'too_large', topic, `payload of ${size} bytes (limit ${this.opts.maxPayloadBytes})`, text);

    let datastream: string | null = null;
    const one = TOPIC_ONE.exec(topic);
    if (one) datastream = unquote(one[1]!);
    else if (!TOPIC_MANY.test(topic)) return this.reject(receivedAt, 'bad_topic', topic, 'expected v1.1/Datastreams(<id>)/Observations or v1.1/Observations', text);

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return this.reject(receivedAt, 'malformed_json', topic, err instanceof Error ? err.message : 'not JSON', text);
    }
    const items = Array.isArray(body) ? body : [body];
    if (items.length === 0) return this.reject(receivedAt, 'invalid_payload', topic, 'an empty batch', text);
    if (items.length > this.opts.maxBatchItems) return this.reject(receivedAt, 'too_large', topic, `${items.length} observations in one message (limit ${this.opts.maxBatchItems})`, text);

    const settings = this.settings();
    const latest = receivedAt + settings.futureToleranceS * 1000;
    const earliest = receivedAt - settings.rawRetentionDays * DAY_MS;
    let accepted = 0;
    for (let i = 0; i < items.length; i++) {
      const r = this.parseObservation(items[i], datastream, receivedAt, latest, earliest);
      if (r instanceof Rejection) {
        this.reject(receivedAt, r.reason, topic, items.length > 1 ? `[${i}] ${r.detail}` : r.detail, items.length > 1 ? JSON.stringify(items[i]) ?? '' : text);
        continue;
      }
      this.buffer.push(r);
      accepted++;
    }
    if (accepted > 0) {
      this.totals.readings += accepted;
      this.count(receivedAt, 0, accepted);
      this.schedule();
    }
  }

  private parseObservation(item: unknown, datastream: string | null, now: number, latest: number, earliest: number): Pending | Rejection {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return new Rejection('invalid_payload', 'an observation must be a JSON object');
    const o = item as Record<string, unknown>;
    let id = datastream;
    if (id === null) {
      const ds = o.Datastream;
      const ref = typeof ds === 'object' && ds !== null ? (ds as Record<string, unknown>)['@iot.id'] : undefined;
      const raw = ref ?? o.datastream ?? o.datastreamId;
      if (typeof raw === 'string' && raw.length > 0) id = raw;
      else if (typeof raw === 'number' && Number.isFinite(raw)) id = String(raw);
      else return new Rejection('invalid_payload', 'no datastream: give "Datastream": {"@iot.id": …} or publish to v1.1/Datastreams(<id>)/Observations');
    }
    if (!('result' in o)) return new Rejection('invalid_payload', 'no "result"');
    const v = o.result;
    if (typeof v !== 'number' || !Number.isFinite(v)) return new Rejection('non_numeric_result', `result is ${JSON.stringify(v)?.slice(0, 40) ?? typeof v}, not a number`);
    let t: number;
    const pt = o.phenomenonTime;
    if (pt === undefined || pt === null) t = now;
    else if (typeof pt === 'string') {
      const instant = pt.includes('/') ? pt.slice(pt.indexOf('/') + 1) : pt;
      t = ISO_INSTANT.test(instant) ? Date.parse(instant) : NaN;
      if (Number.isNaN(t)) return new Rejection('bad_time', `phenomenonTime ${JSON.stringify(pt).slice(0, 60)} is not an ISO-8601 instant with a time zone`);
    } else return new Rejection('bad_time', 'phenomenonTime must be an ISO-8601 string');
    if (t > latest) return new Rejection('future_time', `phenomenonTime ${toShanghaiIso(t)} is ${Math.round((t - now) / 1000)} s ahead of the clock`);
    if (t < earliest) return new Rejection('too_old', `phenomenonTime ${toShanghaiIso(t)} is older than the raw retention window`);
    const sensor = this.sensors.get(id, now);
    if (!sensor) return new Rejection('unknown_datastream', `no sensor with datastream id ${JSON.stringify(id).slice(0, 90)}`);
    return { sensor, t, v };
  }

  private reject(at: number, reason: IngestRejectReason, topic: string, detail: string, payload: string): void {
    this.totals.rejected++;
    this.rejectedByReason[reason]++;
    this.sample(at, reason, topic, detail, payload);
  }

  /** Keep a rejected sample for the console. */
  private sample(at: number, reason: IngestRejectReason, topic: string, detail: string, payload: string): void {
    this.lastRejected.unshift({ at: toShanghaiIso(at), reason, topic: topic.slice(0, 200), detail: detail.slice(0, 300), payload: payload.slice(0, 300) });
    if (this.lastRejected.length > this.opts.keepRejected) this.lastRejected.length = this.opts.keepRejected;
  }

  private count(at: number, messages: number, readings: number): void {
    const sec = Math.floor(at / 1000);
    let b = this.window[this.window.length - 1];
    if (!b || b.sec !== sec) {
      b = { sec, messages: 0, readings: 0 };
      this.window.push(b);
      while (this.window.length > 0 && this.window[0]!.sec <= sec - 10) this.window.shift();
    }
    b.messages += messages;
    b.readings += readings;
  }

  /** Averages over the last 10 complete seconds. */
  rates(now: number): { messagesPerSec: number; readingsPerSec: number } {
    const sec = Math.floor(now / 1000);
    let m = 0,
      r = 0;
    for (const b of this.window)
      if (b.sec >= sec - 10 && b.sec < sec) {
        m += b.messages;
        r += b.readings;
      }
    return { messagesPerSec: m / 10, readingsPerSec: r / 10 };
  }

  get pending(): number {
    return this.buffer.length;
  }

  private schedule(): void {
    if (this.buffer.length >= this.opts.maxBuffer) {
      this.flush();
      return;
    }
    if (this.buffer.length >= this.opts.maxBatch) {
      if (!this.immediate)
        this.immediate = setImmediate(() => {
          this.immediate = null;
          this.flush();
        });
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.opts.flushMs);
    }
  }

  // ---- writing

  /** Write everything buffered now, in one transaction. Never throws. */
  flush(): FlushResult {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
    const result: FlushResult = { stored: 0, duplicates: 0, changes: [] };
    if (this.buffer.length === 0) return result;
    const batch = this.buffer;
    this.buffer = [];
    const started = performance.now();
    const now = this.ctx.now();
    const touched = new Map<SensorRuntime, { t: number; v: number }>();
    try {
      this.ctx.db.transaction(() => this.write(batch, now, result, touched))();
    } catch (err) {
      // A refused write (disk full, I/O error): nothing of the batch is stored; the rule state may
      // have moved on, so it is rebuilt from the store.
      this.ctx.log.error('ingest.write_failed', { rows: batch.length, error: err instanceof Error ? err.message : String(err) });
      this.totals.rejected += batch.length;
      this.rejectedByReason.store_failed += batch.length;
      this.sample(now, 'store_failed', '(store)', err instanceof Error ? err.message : String(err), `${batch.length} readings`);
      this.alarms.loadOpen();
      this.sensors.reload();
      return { stored: 0, duplicates: 0, changes: [] };
    }
    this.totals.stored += result.stored;
    this.totals.duplicates += result.duplicates;
    this.lastFlush = { at: now, rows: batch.length, ms: performance.now() - started };
    if (result.stored > 0) this.ctx.touch(now);
    if (touched.size > 0) {
      const ids: string[] = [];
      const values: number[] = [];
      const times: number[] = [];
      const status: SensorStatus[] = [];
      for (const [s, r] of touched) {
        ids.push(s.id);
        values.push(r.v);
        times.push(r.t);
        status.push(s.status);
      }
      this.ctx.bus.emit('sensors.readings', { at: toShanghaiIso(now), ids, values, times, status });
    }
    if (result.changes.length > 0) this.onAlarmChanges(result.changes);
    return result;
  }

  private write(batch: Pending[], now: number, result: FlushResult, touched: Map<SensorRuntime, { t: number; v: number }>): void {
    const inserted: Pending[] = [];
    for (const r of batch) {
      if (this.stmt.raw.run(Math.floor(r.t / RAW_BUCKET), r.sensor.rid, r.t, r.v).changes === 1) inserted.push(r);
      else result.duplicates++;
    }
    result.stored = inserted.length;
    if (inserted.length === 0) return;

    // roll-ups, aggregated per (sensor, bucket) in memory first: one upsert per bucket and batch
    const m1 = new Map<number, Bucket>();
    const h1 = new Map<number, Bucket>();
    const add = (map: Map<number, Bucket>, rid: number, step: number, t: number, v: number): void => {
      const index = Math.floor(t / step);
      const key = rid * 1e8 + index; // bucket indexes stay below 1e8 (minutes until the year 2160)
      const b = map.get(key);
      if (!b) map.set(key, { rid, t: index * step, n: 1, sum: v, min: v, max: v, last: v, lastT: t });
      else {
        b.n++;
        b.sum += v;
        if (v < b.min) b.min = v;
        if (v > b.max) b.max = v;
        if (t >= b.lastT) {
          b.last = v;
          b.lastT = t;
        }
      }
    };
    for (const r of inserted) {
      add(m1, r.sensor.rid, MINUTE, r.t, r.v);
      add(h1, r.sensor.rid, HOUR, r.t, r.v);
    }
    for (const b of m1.values()) this.stmt.m1.run(b.t, b.rid, b.n, b.sum, b.min, b.max, b.last, b.lastT);
    for (const b of h1.values()) this.stmt.h1.run(b.t, b.rid, b.n, b.sum, b.min, b.max, b.last, b.lastT);

    // rules, per sensor in time order
    inserted.sort((a, b) => a.sensor.rid - b.sensor.rid || a.t - b.t);
    const changes = result.changes;
    for (const r of inserted) {
      const s = r.sensor;
      s.silenceBase = Math.max(s.silenceBase, r.t);
      // back online when a reading measured within the silence limit arrives (not an old one replayed)
      if (this.alarms.hasOpen(s.id, 'offline') && silentFor(s.rules, s.intervalS, r.t, now) === null) {
        this.alarms.autoClear(s, { kind: 'offline', action: 'clear', value: r.v, reason: 'recovered' }, now, changes);
        s.status = 'normal';
      }
      const res = evaluateReading(s.rules, s.rule, this.alarms.openKinds(s.id), r.t, r.v);
      if (res) {
        for (const o of res.outcomes) {
          if (o.action === 'raise') this.alarms.raise(s, o, now, changes);
          else this.alarms.autoClear(s, o, now, changes);
        }
        s.status = this.alarms.hasOpen(s.id, 'offline') ? 'offline' : res.status;
      }
      const cur = touched.get(s);
      if (!cur || r.t >= cur.t) touched.set(s, { t: r.t, v: r.v });
    }
    for (const [s, r] of touched) this.stmt.live.run(r.v, r.t, s.status, s.rid, r.t);
  }

  // ---- silence

  /** Mark sensors that went silent as offline (and raise `offline` alarms). */
  checkSilence(now: number): AlarmChange[] {
    const changes: AlarmChange[] = [];
    const settings = this.settings();
    const gone: SensorRuntime[] = [];
    const silent: Array<{ s: SensorRuntime; minutes: number }> = [];
    for (const s of this.sensors.all()) {
      const minutes = silentFor(s.rules, s.intervalS, s.silenceBase, now);
      if (minutes === null) continue;
      if (s.status !== 'offline') gone.push(s);
      if (settings.offlineAlarms && !this.alarms.hasOpen(s.id, 'offline')) silent.push({ s, minutes });
    }
    if (gone.length === 0 && silent.length === 0) return changes;
    this.ctx.db.transaction(() => {
      for (const s of gone) {
        s.status = 'offline';
        this.stmt.status.run('offline', s.rid);
      }
      for (const { s, minutes } of silent)
        this.alarms.raise(
          s,
          {
            kind: 'offline',
            action: 'raise',
            severity: 'warning',
            value: s.rule.lastV,
            threshold: s.rules.silenceFactor === null ? null : s.rules.silenceFactor * s.intervalS,
            measure: minutes,
            intervalS: s.intervalS,
          },
          now,
          changes,
        );
    })();
    if (gone.length > 0)
      this.ctx.bus.emit('sensors.readings', {
        at: toShanghaiIso(now),
        ids: gone.map((s) => s.id),
        values: gone.map((s) => s.rule.lastV),
        times: gone.map((s) => s.rule.lastT),
        status: gone.map(() => 'offline' as const),
      });
    if (changes.length > 0) this.onAlarmChanges(changes);
    return changes;
  }

  /** Stop taking messages and write what is buffered. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
