/**
 * Readings of one sensor for charts: raw or roll-ups, bounded in size. The tables are keyed time
 * first (migration 003), so one sensor's rows are read by seeking bucket by bucket: a recursive
 * CTE lists the buckets and a CROSS JOIN keeps it the outer loop (one primary-key seek each).
 */
import type { AlarmKind } from '../../../shared/domain/monitoring';
import { severityOfRank, type AlarmSeverity } from '../../../shared/domain/monitoring';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { RAW_BUCKET } from './ingest';

export type Resolution = 'raw' | '1m' | '1h';

export interface Series {
  resolution: Resolution;
  t: number[];
  v: number[];
  min: number[] | null;
  max: number[] | null;
  truncated: boolean;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

const buckets = (step: string): string =>
  `WITH RECURSIVE bk(k) AS (SELECT @from UNION ALL SELECT k + ${step} FROM bk WHERE k + ${step} <= @to)`;

/** Readings of a sensor in [from, to], counted from the 1-minute roll-up (1,440 seeks a day). */
export function countReadings(db: Db, rid: number, from: number, to: number): number {
  return (
    (db
      .prepare(`${buckets(String(MINUTE))} SELECT COALESCE(SUM(r.n), 0) FROM bk CROSS JOIN readings_1m r ON r.t = bk.k AND r.sensor_rid = @rid`)
      .pluck()
      .get({ from: from - (from % MINUTE), to, rid }) as number) ?? 0
  );
}

/** Pick the finest resolution that fits in maxPoints. */
export function chooseResolution(db: Db, rid: number, from: number, to: number, maxPoints: number): Resolution {
  if (countReadings(db, rid, from, to) <= maxPoints) return 'raw';
  return (to - from) / MINUTE <= maxPoints ? '1m' : '1h';
}

export function readSeries(db: Db, rid: number, from: number, to: number, resolution: Resolution, maxPoints: number): Series {
  if (resolution === 'raw') {
    const rows = db
      .prepare(`${buckets('1')} SELECT r.t, r.v FROM bk CROSS JOIN readings r ON r.b = bk.k AND r.sensor_rid = @rid AND r.t >= @t0 AND r.t <= @t1`)
      .raw()
      .all({ from: Math.floor(from / RAW_BUCKET), to: Math.floor(to / RAW_BUCKET), rid, t0: from, t1: to }) as Array<[number, number]>;
    rows.sort((a, b) => a[0] - b[0]);
    const truncated = rows.length > maxPoints;
    const kept = truncated ? rows.slice(rows.length - maxPoints) : rows;
    return { resolution, t: kept.map((r) => r[0]), v: kept.map((r) => r[1]), min: null, max: null, truncated };
  }
  const step = resolution === '1m' ? MINUTE : HOUR;
  const table = resolution === '1m' ? 'readings_1m' : 'readings_1h';
  const rows = db
    .prepare(`${buckets(String(step))} SELECT r.t, r.sum / r.n, r.min, r.max FROM bk CROSS JOIN ${table} r ON r.t = bk.k AND r.sensor_rid = @rid`)
    .raw()
    .all({ from: from - (from % step), to, rid }) as Array<[number, number, number, number]>;
  const truncated = rows.length > maxPoints;
  const kept = truncated ? rows.slice(rows.length - maxPoints) : rows;
  return { resolution, t: kept.map((r) => r[0]), v: kept.map((r) => r[1]), min: kept.map((r) => r[2]), max: kept.map((r) => r[3]), truncated };
}

/** Delete every reading and roll-up of one sensor (when it leaves the registry). */
export function deleteSensorReadings(db: Db, rid: number, now: number, keep: { rawDays: number; minuteDays: number; hourDays: number }): number {
  const day = 86_400_000;
  const raw = db
    .prepare(`${buckets('1')} DELETE FROM readings WHERE (b, sensor_rid) IN (SELECT k, @rid FROM bk)`)
    .run({ from: Math.floor((now - keep.rawDays * day - day) / RAW_BUCKET), to: Math.floor((now + day) / RAW_BUCKET), rid }).changes;
  db.prepare(`${buckets(String(MINUTE))} DELETE FROM readings_1m WHERE (t, sensor_rid) IN (SELECT k, @rid FROM bk)`).run({
    from: Math.floor((now - keep.minuteDays * day - day) / MINUTE) * MINUTE,
    to: now + day,
    rid,
  });
  db.prepare(`${buckets(String(HOUR))} DELETE FROM readings_1h WHERE (t, sensor_rid) IN (SELECT k, @rid FROM bk)`).run({
    from: Math.floor((now - keep.hourDays * day - day) / HOUR) * HOUR,
    to: now + day,
    rid,
  });
  return raw;
}

export function alarmsInRange(
  db: Db,
  sensorId: string,
  from: number,
  to: number,
): Array<{ id: string; kind: AlarmKind; severity: AlarmSeverity; raisedAt: string; clearedAt: string | null }> {
  const rows = db
    .prepare('SELECT id, kind, severity, raised_at, cleared_at FROM alarms WHERE sensor_id = ? AND raised_at <= ? AND (cleared_at IS NULL OR cleared_at >= ?) ORDER BY raised_at LIMIT 500')
    .all(sensorId, to, from) as Array<{ id: string; kind: AlarmKind; severity: number; raised_at: number; cleared_at: number | null }>;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    severity: severityOfRank(r.severity),
    raisedAt: toShanghaiIso(r.raised_at),
    clearedAt: r.cleared_at === null ? null : toShanghaiIso(r.cleared_at),
  }));
}
