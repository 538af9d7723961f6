/**
 * The evaluation's derived data (migration 002): `case_facts`, one narrow row per case, and
 * `eval_rollup`, the figures of every week and month bucket per group (all, department, unit,
 * grid, community, town, district). Day windows hold few cases and are computed from case_facts
 * directly (evaluation.ts), so they are not rolled up: at grid level a day bucket would hold less
 * than one case on average.
 *
 * Both are derived from the store and never written by the workflow directly: `syncFacts` finds
 * the cases changed since the last sync (change_log rows of entity 'cases', case_events rows), and
 * for each one subtracts the contributions of its old fact from the rollups, re-derives the fact
 * and adds its new contributions. Any writer (the workflow, the demo generator, an import, an
 * upstream sync) is therefore covered, and re-running is harmless. An empty facts table (a new
 * store, or after FACTS_VERSION changes) is rebuilt in full.
 *
 * What a case contributes (one bucket per period; the definitions of evaluation.ts):
 *   received   the bucket of reported_at
 *   registered the bucket of registered_at
 *   dispatched the bucket of dispatched_at (the last dispatch); extended: …and it has an approved extension
 *   closed     the bucket of closed_at, state closed; reworked: …and it failed verification at least
 *              once; handling_ms_sum/handling_n: its working time from dispatch to handling feedback
 *   due        the bucket of due_at = MIN(closed_at, deadline_at) (not for cancelled cases); and of
 *              those, as they are now: deferred (suspended, 挂账), closed_due (closed), on_time
 *              (closed and never overdue), overdue (overdue flag set)
 */
import type { WorkClock } from '../../../shared/domain/workclock';
import { dayNumberOf } from '../../../shared/domain/workclock';
import { DAY_MS } from '../../../shared/time';
import type { Db } from '../db/store';
import { getMeta, setMeta } from '../db/store';
import type { Logger } from '../log';
import { prep } from '../db/sql';

/** Bump when the facts or rollups change meaning: the next sync rebuilds them. */
export const FACTS_VERSION = 2;

/** The periods kept in eval_rollup (PERIOD_CODES): weeks and months. */
export const ROLLUP_PERIODS: readonly PeriodCode[] = [1, 2];

export const GROUP_KINDS = ['all', 'department', 'unit', 'grid', 'community', 'town', 'district'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
/** case_facts columns holding each kind's key (index = kind). */
export const KIND_COLUMN = ['0', 'dept', 'unit', 'grid', 'community', 'town', 'district'] as const;

export const PERIOD_CODES = { day: 0, week: 1, month: 2 } as const;
export type PeriodCode = 0 | 1 | 2;

export const METRIC_COLUMNS = [
  'received',
  'registered',
  'dispatched',
  'extended',
  'closed',
  'reworked',
  'handling_ms_sum',
  'handling_n',
  'due',
  'deferred',
  'closed_due',
  'on_time',
  'overdue',
] as const;
export type MetricColumn = (typeof METRIC_COLUMNS)[number];
const M = METRIC_COLUMNS.length;
const [RECEIVED, REGISTERED, DISPATCHED, EXTENDED, CLOSED, REWORKED, HSUM, HN, DUE, DEFERRED, CLOSED_DUE, ON_TIME, OVERDUE] = METRIC_COLUMNS.map((_, i) => i) as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

export interface Fact {
  rid: number;
  reportedAt: number;
  registeredAt: number | null;
  dispatchedAt: number | null;
  closedAt: number | null;
  deadlineAt: number | null;
  dueAt: number | null;
  lastAt: number;
  state: string;
  overdue: number;
  /** dept, unit, grid, community, town, district keys (0 = none). */
  keys: [number, number, number, number, number, number];
  rework: number;
  returns: number;
  extensions: number;
  handledAt: number | null;
  handlingMs: number | null;
}

// ---------------------------------------------------------------------------------------------
// Buckets

const monthStarts = new Map<number, number>();
/** The first day (Shanghai day number) of the period's bucket that contains day number `day`. */
export function bucketOf(period: PeriodCode, day: number): number {
  if (period === 0) return day;
  if (period === 1) {
    const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
    return day - ((weekday + 6) % 7);
  }
  let m = monthStarts.get(day);
  if (m === undefined) {
    const d = new Date(day * DAY_MS);
    m = Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS);
    monthStarts.set(day, m);
  }
  return m;
}

/** The first day number after the bucket that starts on `start`. */
export function bucketEnd(period: PeriodCode, start: number): number {
  if (period === 0) return start + 1;
  if (period === 1) return start + 7;
  const d = new Date(start * DAY_MS);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS);
}

// ---------------------------------------------------------------------------------------------
// Accumulating rollup deltas

const KEY_SPACE = 16_777_216; // 2^24 keys per kind
const composite = (period: number, bucket: number, kind: number, key: number): number => ((period * 65_536 + bucket) * 8 + kind) * KEY_SPACE + key;

export class RollupDelta {
  private readonly index = new Map<number, number>();
  private vals = new Float64Array(4096 * M);
  private count = 0;

  slot(period: number, bucket: number, kind: number, key: number): number {
    if (key < 0 || key >= KEY_SPACE) throw new RangeError(`rollup key out of range: ${key}`);
    if (bucket < 0 || bucket >= 65_536) throw new RangeError(`rollup bucket out of range (a date before 1970 or after 2149?): ${bucket}`);
    const c = composite(period, bucket, kind, key);
    let i = this.index.get(c);
    if (i === undefined) {
      i = this.count++;
      if ((i + 1) * M > this.vals.length) {
        const grown = new Float64Array(this.vals.length * 2);
        grown.set(this.vals);
        this.vals = grown;
      }
      this.index.set(c, i);
    }
    return i * M;
  }

  add(slot: number, metric: number, v: number): void {
    this.vals[slot + metric]! += v;
  }

  get size(): number {
    return this.count;
  }

  /** Entries in primary-key order, skipping all-zero deltas. */
  *entries(): Generator<{ period: number; bucket: number; kind: number; key: number; values: Float64Array }> {
    const keys = [...this.index.keys()].sort((a, b) => a - b);
    for (const c of keys) {
      const i = this.index.get(c)!;
      const values = this.vals.subarray(i * M, i * M + M);
      if (values.every((v) => v === 0)) continue;
      const key = c % KEY_SPACE;
      let rest = (c - key) / KEY_SPACE;
      const kind = rest % 8;
      rest = (rest - kind) / 8;
      const bucket = rest % 65_536;
      const period = (rest - bucket) / 65_536;
      yield { period, bucket, kind, key, values };
    }
  }
}

/** Add (sign 1) or remove (sign −1) a fact's contributions to every bucket and group. */
export function contribute(f: Fact, sign: 1 | -1, acc: RollupDelta): void {
  const dRep = dayNumberOf(f.reportedAt);
  const dReg = f.registeredAt === null ? -1 : dayNumberOf(f.registeredAt);
  const dDis = f.dispatchedAt === null ? -1 : dayNumberOf(f.dispatchedAt);
  const closed = f.state === 'closed' && f.closedAt !== null;
  const dClo = closed ? dayNumberOf(f.closedAt!) : -1;
  const dDue = f.dueAt === null ? -1 : dayNumberOf(f.dueAt);
  for (const period of ROLLUP_PERIODS) {
    const bRep = bucketOf(period, dRep);
    const bReg = dReg < 0 ? -1 : bucketOf(period, dReg);
    const bDis = dDis < 0 ? -1 : bucketOf(period, dDis);
    const bClo = dClo < 0 ? -1 : bucketOf(period, dClo);
    const bDue = dDue < 0 ? -1 : bucketOf(period, dDue);
    for (let kind = 0; kind < 7; kind++) {
      const key = kind === 0 ? 0 : f.keys[kind - 1]!;
      // A case's instants mostly share one week or month: look each distinct bucket up once.
      let lastBucket = bRep;
      let s = acc.slot(period, bRep, kind, key);
      acc.add(s, RECEIVED, sign);
      if (bReg >= 0) {
        if (bReg !== lastBucket) s = acc.slot(period, (lastBucket = bReg), kind, key);
        acc.add(s, REGISTERED, sign);
      }
      if (bDis >= 0) {
        if (bDis !== lastBucket) s = acc.slot(period, (lastBucket = bDis), kind, key);
        acc.add(s, DISPATCHED, sign);
        if (f.extensions > 0) acc.add(s, EXTENDED, sign);
      }
      if (bClo >= 0) {
        if (bClo !== lastBucket) s = acc.slot(period, (lastBucket = bClo), kind, key);
        acc.add(s, CLOSED, sign);
        if (f.rework > 0) acc.add(s, REWORKED, sign);
        if (f.handlingMs !== null) {
          acc.add(s, HSUM, sign * f.handlingMs);
          acc.add(s, HN, sign);
        }
      }
      if (bDue >= 0) {
        if (bDue !== lastBucket) s = acc.slot(period, (lastBucket = bDue), kind, key);
        acc.add(s, DUE, sign);
        if (f.state === 'suspended') acc.add(s, DEFERRED, sign);
        if (closed) {
          acc.add(s, CLOSED_DUE, sign);
          if (f.overdue === 0) acc.add(s, ON_TIME, sign);
        }
        if (f.overdue === 1) acc.add(s, OVERDUE, sign);
      }
    }
  }
}

function applyDelta(db: Db, acc: RollupDelta): void {
  const cols = METRIC_COLUMNS.join(', ');
  const stmt = prep(
    db,
    `INSERT INTO eval_rollup(period, bucket, kind, key, ${cols}) VALUES (?, ?, ?, ?, ${METRIC_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT(period, bucket, kind, key) DO UPDATE SET ${METRIC_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  );
  for (const e of acc.entries()) stmt.run(e.period, e.bucket, e.kind, e.key, ...Array.from(e.values, (v) => Math.round(v)));
}

// ---------------------------------------------------------------------------------------------
// Group keys: text ids → integer keys

export interface KeyMaps {
  department: Map<string, number>;
  unit: Map<string, number>;
  area: Map<string, number>;
}

const keyMapCache = new WeakMap<Db, KeyMaps>();

function loadKeyMaps(db: Db): KeyMaps {
  const m = (sql: string): Map<string, number> => new Map((db.prepare(sql).raw().all() as Array<[string, number]>).map(([id, k]) => [id, k]));
  const maps = {
    department: m('SELECT id, rowid FROM departments'),
    unit: m('SELECT id, rowid FROM units'),
    area: m('SELECT id, rid FROM areas'),
  };
  keyMapCache.set(db, maps);
  return maps;
}

/** id → key maps, reloaded when an id is unknown (areas or units added since). */
export function keyMaps(db: Db): { maps: KeyMaps; resolve: (map: keyof KeyMaps, id: string | null) => number } {
  let maps = keyMapCache.get(db) ?? loadKeyMaps(db);
  let reloaded = false;
  const resolve = (map: keyof KeyMaps, id: string | null): number => {
    if (id === null) return 0;
    let k = maps[map].get(id);
    if (k === undefined && !reloaded) {
      maps = loadKeyMaps(db);
      reloaded = true;
      k = maps[map].get(id);
    }
    return k ?? 0;
  };
  return { maps, resolve };
}

// ---------------------------------------------------------------------------------------------
// Deriving facts

type CaseFactRow = [
  rid: number,
  id: string,
  state: string,
  reportedAt: number,
  registeredAt: number | null,
  dispatchedAt: number | null,
  closedAt: number | null,
  deadlineAt: number | null,
  overdue: number,
  departmentId: string | null,
  unitId: string | null,
  gridId: string | null,
  communityId: string | null,
  townId: string | null,
  districtId: string | null,
];
const CASE_FACT_COLUMNS =
  'rid, id, state, reported_at, registered_at, dispatched_at, closed_at, deadline_at, overdue, department_id, unit_id, grid_id, community_id, town_id, district_id';

interface EventCounts {
  rework: number;
  returns: number;
  extensions: number;
  handledAt: number | null;
}
const EVENT_COUNTS_SQL = `SUM(action = 'verify_fail'), SUM(action = 'return'), SUM(action IN ('approve_extension', 'extend')), MAX(CASE WHEN action = 'handle' THEN at END)`;

function deriveFact(
  r: CaseFactRow,
  ev: EventCounts,
  resolve: (map: keyof KeyMaps, id: string | null) => number,
  clock: WorkClock,
  old: Fact | null,
): Fact {
  const [rid, , state, reportedAt, registeredAt, dispatchedAt, closedAtRaw, deadlineAt, overdue] = r;
  const closedAt = state === 'closed' ? closedAtRaw : null;
  const dueAt = state === 'cancelled' ? null : closedAt === null ? deadlineAt : deadlineAt === null ? closedAt : Math.min(closedAt, deadlineAt);
  const lastAt = Math.max(reportedAt, registeredAt ?? 0, dispatchedAt ?? 0, closedAt ?? 0, deadlineAt ?? 0);
  let handlingMs: number | null = null;
  if (closedAt !== null && dispatchedAt !== null) {
    const end = ev.handledAt !== null && ev.handledAt >= dispatchedAt ? ev.handledAt : closedAt;
    if (old && old.handlingMs !== null && old.dispatchedAt === dispatchedAt && old.closedAt === closedAt && old.handledAt === ev.handledAt) handlingMs = old.handlingMs;
    else handlingMs = end >= dispatchedAt ? clock.workingMsBetween(dispatchedAt, end) : null;
  }
  return {
    rid,
    reportedAt,
    registeredAt,
    dispatchedAt,
    closedAt,
    deadlineAt,
    dueAt,
    lastAt,
    state,
    overdue: overdue === 1 ? 1 : 0,
    keys: [resolve('department', r[9]), resolve('unit', r[10]), resolve('area', r[11]), resolve('area', r[12]), resolve('area', r[13]), resolve('area', r[14])],
    rework: ev.rework,
    returns: ev.returns,
    extensions: ev.extensions,
    handledAt: ev.handledAt,
    handlingMs,
  };
}

const FACT_COLUMNS =
  'case_rid, reported_at, registered_at, dispatched_at, closed_at, deadline_at, due_at, last_at, state, overdue, dept, unit, grid, community, town, district, rework_count, return_count, extension_count, handled_at, handling_ms';

type FactDbRow = [number, number, number | null, number | null, number | null, number | null, number | null, number, string, number, number, number, number, number, number, number, number, number, number, number | null, number | null];

const fromDb = (r: FactDbRow): Fact => ({
  rid: r[0],
  reportedAt: r[1],
  registeredAt: r[2],
  dispatchedAt: r[3],
  closedAt: r[4],
  deadlineAt: r[5],
  dueAt: r[6],
  lastAt: r[7],
  state: r[8],
  overdue: r[9],
  keys: [r[10], r[11], r[12], r[13], r[14], r[15]],
  rework: r[16],
  returns: r[17],
  extensions: r[18],
  handledAt: r[19],
  handlingMs: r[20],
});

const toDb = (f: Fact): unknown[] => [
  f.rid,
  f.reportedAt,
  f.registeredAt,
  f.dispatchedAt,
  f.closedAt,
  f.deadlineAt,
  f.dueAt,
  f.lastAt,
  f.state,
  f.overdue,
  ...f.keys,
  f.rework,
  f.returns,
  f.extensions,
  f.handledAt,
  f.handlingMs,
];

const sameFact = (a: Fact, b: Fact): boolean => JSON.stringify(toDb(a)) === JSON.stringify(toDb(b));

const WRITE_FACT_SQL = `INSERT OR REPLACE INTO case_facts(${FACT_COLUMNS}) VALUES (${FACT_COLUMNS.split(',')
  .map(() => '?')
  .join(', ')})`;

function writeFact(db: Db, f: Fact): void {
  prep(db, WRITE_FACT_SQL).run(...toDb(f));
}

const noEvents: EventCounts = { rework: 0, returns: 0, extensions: 0, handledAt: null };

// ---------------------------------------------------------------------------------------------
// Sync

const META_CHANGE = 'facts_change_seq';
const META_EVENT = 'facts_event_seq';
const META_VERSION = 'facts_version';
const CHUNK = 20_000;

export interface SyncResult {
  mode: 'none' | 'incremental' | 'rebuild';
  cases: number;
  rollupRows: number;
  ms: number;
}

/** Bring case_facts and eval_rollup up to date with the store. */
export function syncFacts(db: Db, clock: WorkClock, log?: Logger): SyncResult {
  const started = performance.now();
  const maxChange = (prep(db, 'SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get() as number) ?? 0;
  const maxEvent = (prep(db, 'SELECT COALESCE(MAX(seq), 0) FROM case_events').pluck().get() as number) ?? 0;
  const version = Number(getMeta(db, META_VERSION) ?? '0');
  const sinceChange = Number(getMeta(db, META_CHANGE) ?? '0') || 0;
  const sinceEvent = Number(getMeta(db, META_EVENT) ?? '0') || 0;
  let result: SyncResult;
  if (version !== FACTS_VERSION) {
    result = db.transaction(() => rebuild(db, clock))();
  } else if (maxChange <= sinceChange && maxEvent <= sinceEvent) {
    return { mode: 'none', cases: 0, rollupRows: 0, ms: performance.now() - started };
  } else {
    result = db.transaction(() => incremental(db, clock, sinceChange, sinceEvent))();
  }
  db.transaction(() => {
    setMeta(db, META_CHANGE, String(maxChange));
    setMeta(db, META_EVENT, String(maxEvent));
    setMeta(db, META_VERSION, String(FACTS_VERSION));
  })();
  result.ms = performance.now() - started;
  if (result.mode === 'rebuild' || result.ms > 200) log?.info('cases.facts_synced', { mode: result.mode, cases: result.cases, rollupRows: result.rollupRows, ms: Math.round(result.ms) });
  return result;
}

function rebuild(db: Db, clock: WorkClock): SyncResult {
  // Bulk load: without its secondary indexes the table fills several times faster; they are
  // recreated from their own definitions afterwards (inside the same transaction).
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case_facts' AND sql IS NOT NULL").all() as Array<{
    name: string;
    sql: string;
  }>;
  for (const ix of indexes) db.exec(`DROP INDEX "${ix.name.replaceAll('"', '""')}"`);
  db.exec('DELETE FROM case_facts; DELETE FROM eval_rollup;');
  const result = loadAll(db, clock);
  for (const ix of indexes) db.exec(ix.sql);
  return result;
}

function loadAll(db: Db, clock: WorkClock): SyncResult {
  const { resolve } = keyMaps(db);
  const acc = new RollupDelta();
  const rowsStmt = prep(db, `SELECT ${CASE_FACT_COLUMNS} FROM cases WHERE rid > ? ORDER BY rid LIMIT ?`).raw();
  const evStmt = prep(
    db,
    `SELECT case_id, ${EVENT_COUNTS_SQL} FROM case_events WHERE case_id IN (SELECT id FROM cases WHERE rid > ? AND rid <= ?) GROUP BY case_id`,
  ).raw();
  let last = 0;
  let total = 0;
  for (;;) {
    const rows = rowsStmt.all(last, CHUNK) as CaseFactRow[];
    if (rows.length === 0) break;
    const upTo = rows[rows.length - 1]![0];
    const ev = new Map<string, EventCounts>();
    for (const [id, rework, returns, extensions, handledAt] of evStmt.all(last, upTo) as Array<[string, number, number, number, number | null]>) {
      ev.set(id, { rework, returns, extensions, handledAt });
    }
    for (const r of rows) {
      const f = deriveFact(r, ev.get(r[1]) ?? noEvents, resolve, clock, null);
      writeFact(db, f);
      contribute(f, 1, acc);
    }
    total += rows.length;
    last = upTo;
  }
  applyDelta(db, acc);
  return { mode: 'rebuild', cases: total, rollupRows: acc.size, ms: 0 };
}

function incremental(db: Db, clock: WorkClock, sinceChange: number, sinceEvent: number): SyncResult {
  const { resolve } = keyMaps(db);
  const acc = new RollupDelta();
  const changed = prep(db, "SELECT DISTINCT entity_id FROM change_log WHERE seq > ? AND entity = 'cases' AND op <> 'delete'").pluck().all(sinceChange) as string[];
  const evIds = new Set(prep(db, 'SELECT DISTINCT case_id FROM case_events WHERE seq > ?').pluck().all(sinceEvent) as string[]);
  const ids = new Set([...changed, ...evIds]);
  const rowStmt = prep(db, `SELECT ${CASE_FACT_COLUMNS} FROM cases WHERE id = ?`).raw();
  const oldStmt = prep(db, `SELECT ${FACT_COLUMNS} FROM case_facts WHERE case_rid = ?`).raw();
  const evStmt = prep(db, `SELECT ${EVENT_COUNTS_SQL} FROM case_events WHERE case_id = ?`).raw();
  let n = 0;
  for (const id of ids) {
    const r = rowStmt.get(id) as CaseFactRow | undefined;
    if (!r) continue;
    const oldRow = oldStmt.get(r[0]) as FactDbRow | undefined;
    const old = oldRow ? fromDb(oldRow) : null;
    let ev: EventCounts;
    if (evIds.has(id) || !old) {
      const [rework, returns, extensions, handledAt] = evStmt.get(id) as [number | null, number | null, number | null, number | null];
      ev = { rework: rework ?? 0, returns: returns ?? 0, extensions: extensions ?? 0, handledAt };
    } else ev = { rework: old.rework, returns: old.returns, extensions: old.extensions, handledAt: old.handledAt };
    const f = deriveFact(r, ev, resolve, clock, old);
    if (old && sameFact(old, f)) continue;
    if (old) contribute(old, -1, acc);
    contribute(f, 1, acc);
    writeFact(db, f);
    n++;
  }
  const deleted = prep(db, "SELECT 1 FROM change_log WHERE seq > ? AND entity = 'cases' AND op = 'delete' LIMIT 1").get(sinceChange);
  if (deleted) {
    const orphans = prep(db, `SELECT ${FACT_COLUMNS} FROM case_facts f WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.rid = f.case_rid)`).raw().all() as FactDbRow[];
    for (const o of orphans) {
      contribute(fromDb(o), -1, acc);
      prep(db, 'DELETE FROM case_facts WHERE case_rid = ?').run(o[0]);
      n++;
    }
  }
  applyDelta(db, acc);
  return { mode: 'incremental', cases: n, rollupRows: acc.size, ms: 0 };
}
