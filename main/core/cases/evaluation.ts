/**
 * 综合评价 (GB/T 30428.4 style, as applied by cities; DOMAIN.md): the closed loop's figures per
 * department, unit or area, for one window.
 *
 * Window W = [from, to): one Asia/Shanghai day, Monday–Sunday week or calendar month.
 * asOf = min(to, now): a running window is evaluated up to now.
 * States (closed, suspended, overdue flag) are taken as they are when the query runs.
 *
 * - received   受理数   cases reported in W.
 * - registered 立案数   cases registered (立案) in W.
 * - dispatched 派遣数   cases dispatched in W (their last dispatch: a re-dispatch after a return
 *                        counts in its own window).
 * - closed     结案数   cases closed (结案, state closed) in W.
 * - due        应结案数 cases whose due instant lies in [from, asOf). The due instant of a case is
 *                        its deadline (the category's limit from dispatch on the working clock, plus
 *                        approved extensions, shifted by pauses), or its closing if it closed before
 *                        the deadline; a case closed without dispatch (当场解决) is due when closed.
 *                        Cancelled cases (不予立案, merged duplicates) and cases neither dispatched nor
 *                        closed are never due.
 * - deferred   缓办数   due cases that are suspended (挂账: approved as not solvable within the
 *                        limit); they count neither for nor against the unit.
 * - closedDue           due cases that are closed (by a case due in W and closed after W too).
 * - closedOnTime 按期结案数  closedDue cases that were never overdue (the handling feedback came
 *                        within the limit; waiting for verification does not count against it).
 * - 结案率   = closedDue ÷ (due − deferred)
 * - 按期结案率 = closedOnTime ÷ (due − deferred)
 * - overdue    超期数   due cases flagged overdue (closed late, or still open past the deadline).
 * - 返工率 = reworked ÷ closed: of the cases closed in W, those that failed verification (返工) at
 *            least once.
 * - 延期率 = extended ÷ dispatched: of the cases dispatched in W, those with an approved extension.
 * - 回退率 = returned ÷ (dispatched + returned): returns (回退) made in W over the dispatches the
 *            group received in W (each return is a dispatch that bounced). A return counts for the
 *            department/unit that returned it; for area groups, for the case's area.
 * - avgHandlingWorkHours: working hours from the (last) dispatch to the last handling feedback
 *            (处置反馈; the closing when there was none), averaged over the cases closed in W.
 *
 * Attribution: the case's current department and unit (责任主体唯一) and the areas of its location.
 * Week and month figures come from eval_rollup (facts.ts); days, and filters the rollups cannot
 * answer (a department's figures inside one area…), are computed from case_facts with the same
 * definitions.
 */
import { ApiFailure } from '../../../shared/api/contract';
import type { EvaluationGroup, EvaluationPeriod, EvaluationRow } from '../../../shared/api/evaluation';
import { dayNumberStart } from '../../../shared/domain/workclock';
import { DAY_MS, shanghaiDay, toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { getAreaRow } from '../areas/queries';
import { GROUP_KINDS, KIND_COLUMN, METRIC_COLUMNS, PERIOD_CODES, ROLLUP_PERIODS, bucketEnd, bucketOf, keyMaps } from './facts';
import { prep } from '../db/sql';

export interface EvaluationArgs {
  groupBy: EvaluationGroup;
  period: EvaluationPeriod;
  date?: string | undefined;
  areaId?: string | undefined;
  departmentId?: string | undefined;
}

export interface EvaluationResult {
  groupBy: EvaluationGroup;
  period: EvaluationPeriod;
  from: string;
  to: string;
  asOf: string;
  rows: EvaluationRow[];
  total: EvaluationRow;
}

type Figures = Record<(typeof METRIC_COLUMNS)[number] | 'returned', number>;
const zero = (): Figures => ({
  received: 0,
  registered: 0,
  dispatched: 0,
  extended: 0,
  closed: 0,
  reworked: 0,
  handling_ms_sum: 0,
  handling_n: 0,
  due: 0,
  deferred: 0,
  closed_due: 0,
  on_time: 0,
  overdue: 0,
  returned: 0,
});

/** Area kinds and the areas.level they group by. */
const AREA_LEVEL: Partial<Record<EvaluationGroup, number>> = { district: 2, town: 3, community: 4, grid: 5 };
/** case_facts column of each areas.level (the city has none: it contains every case). */
const LEVEL_COLUMN: Record<number, string | null> = { 1: null, 2: 'district', 3: 'town', 4: 'community', 5: 'grid' };

export function evaluationWindow(period: EvaluationPeriod, date: string | undefined, now: number): { from: number; to: number; asOf: number } {
  const day = date ?? shanghaiDay(now);
  const dayN = Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
  if (!Number.isFinite(dayN)) throw new ApiFailure('validation', `input.date: not a day: ${day}`, 'input.date');
  const p = PERIOD_CODES[period];
  const b = bucketOf(p, dayN);
  const from = dayNumberStart(b);
  const to = dayNumberStart(bucketEnd(p, b));
  return { from, to, asOf: Math.min(to, Math.max(from, now)) };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

function toRow(key: string | null, name: string, f: Figures): EvaluationRow {
  const net = f.due - f.deferred;
  return {
    key,
    name,
    received: f.received,
    registered: f.registered,
    dispatched: f.dispatched,
    closed: f.closed,
    due: f.due,
    deferred: f.deferred,
    closedDue: f.closed_due,
    closedOnTime: f.on_time,
    overdue: f.overdue,
    reworked: f.reworked,
    extended: f.extended,
    returned: f.returned,
    closeRate: ratio(f.closed_due, net),
    onTimeRate: ratio(f.on_time, net),
    reworkRate: ratio(f.reworked, f.closed),
    extensionRate: ratio(f.extended, f.dispatched),
    returnRate: ratio(f.returned, f.dispatched + f.returned),
    avgHandlingWorkHours: f.handling_n > 0 ? Math.round((f.handling_ms_sum / f.handling_n / 3_600_000) * 100) / 100 : null,
  };
}

interface Filters {
  /** case_facts column, key and id of the area filter (null: none). */
  area: { column: string; rid: number; id: string; level: number } | null;
  /** departments.rowid and id of the department filter (null: none). */
  dept: number | null;
  deptId: string | null;
}

function resolveFilters(db: Db, args: EvaluationArgs): Filters {
  let area: Filters['area'] = null;
  if (args.areaId) {
    const row = getAreaRow(db, args.areaId);
    if (!row) throw new ApiFailure('not_found', `no area with id ${args.areaId}`, 'input.areaId');
    const column = LEVEL_COLUMN[row.level] ?? null;
    if (column) area = { column, rid: row.rid, id: row.id, level: row.level };
  }
  let dept: number | null = null;
  if (args.departmentId) {
    const k = prep(db, 'SELECT rowid FROM departments WHERE id = ?').pluck().get(args.departmentId) as number | undefined;
    if (k === undefined) throw new ApiFailure('not_found', `no department with id ${args.departmentId}`, 'input.departmentId');
    dept = k;
  }
  return { area, dept, deptId: dept === null ? null : (args.departmentId ?? null) };
}

/** Keys (area rids) of the given level inside an area. */
function areaKeysWithin(db: Db, rootRid: number, level: number): Set<number> {
  const rows = prep(
    db,
    `WITH RECURSIVE sub(id, rid, level) AS (SELECT id, rid, level FROM areas WHERE rid = ?
       UNION ALL SELECT a.id, a.rid, a.level FROM areas a JOIN sub ON a.parent_id = sub.id WHERE sub.level < ?)
     SELECT rid FROM sub WHERE level = ?`,
  )
    .pluck()
    .all(rootRid, level, level) as number[];
  return new Set(rows);
}

export function evaluate(db: Db, args: EvaluationArgs, now: number): EvaluationResult {
  const { from, to, asOf } = evaluationWindow(args.period, args.date, now);
  const kind = GROUP_KINDS.indexOf(args.groupBy);
  const col = KIND_COLUMN[kind]!;
  const filters = resolveFilters(db, args);
  const groupLevel = AREA_LEVEL[args.groupBy];
  const rollupOk =
    ROLLUP_PERIODS.includes(PERIOD_CODES[args.period]) &&
    (filters.area === null || (groupLevel !== undefined && filters.area.level <= groupLevel && filters.dept === null)) &&
    (filters.dept === null || args.groupBy === 'department' || args.groupBy === 'unit');
  const figures = rollupOk ? fromRollups(db, args, kind, col, filters, from, to, asOf) : fromFacts(db, col, filters, from, to, asOf);
  addReturns(db, args.groupBy, filters, from, asOf, figures);

  const names = groupNames(db, args.groupBy);
  const rows = [...figures.entries()]
    .filter(([, f]) => Object.values(f).some((v) => v !== 0))
    .map(([key, f]) => {
      const n = names.get(key);
      return toRow(n?.id ?? null, n?.name ?? '（未指定）', f);
    })
    .sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const total = zero();
  for (const f of figures.values()) for (const k of Object.keys(total) as Array<keyof Figures>) total[k] += f[k];
  return {
    groupBy: args.groupBy,
    period: args.period,
    from: toShanghaiIso(from),
    to: toShanghaiIso(to),
    asOf: toShanghaiIso(asOf),
    rows,
    total: toRow(null, '合计', total),
  };
}

function fromRollups(db: Db, args: EvaluationArgs, kind: number, col: string, filters: Filters, from: number, to: number, asOf: number): Map<number, Figures> {
  const p = PERIOD_CODES[args.period];
  const bucket = Math.round((from + 8 * 3_600_000) / DAY_MS);
  let allowed: Set<number> | null = null;
  if (filters.area && AREA_LEVEL[args.groupBy] !== undefined) allowed = areaKeysWithin(db, filters.area.rid, AREA_LEVEL[args.groupBy]!);
  if (filters.dept !== null) {
    if (args.groupBy === 'department') allowed = new Set([filters.dept]);
    else {
      const depId = prep(db, 'SELECT id FROM departments WHERE rowid = ?').pluck().get(filters.dept) as string;
      allowed = new Set(prep(db, 'SELECT rowid FROM units WHERE department_id = ?').pluck().all(depId) as number[]);
    }
  }
  const out = new Map<number, Figures>();
  const rows = prep(db, `SELECT key, ${METRIC_COLUMNS.join(', ')} FROM eval_rollup WHERE period = ? AND bucket = ? AND kind = ?`)
    .raw()
    .all(p, bucket, kind) as number[][];
  for (const r of rows) {
    const key = r[0]!;
    if (allowed && !allowed.has(key)) continue;
    const f = zero();
    METRIC_COLUMNS.forEach((m, i) => {
      f[m] = r[i + 1]!;
    });
    out.set(key, f);
  }
  if (asOf < to) {
    // The bucket counts every due instant of the window; a running window is due only up to now.
    const future = prep(db, `SELECT ${col === '0' ? '0' : col} AS k, state, overdue FROM case_facts WHERE due_at >= ? AND due_at < ?`).all(asOf, to) as Array<{
      k: number;
      state: string;
      overdue: number;
    }>;
    for (const r of future) {
      if (allowed && !allowed.has(r.k)) continue;
      const f = out.get(r.k);
      if (!f) continue;
      f.due -= 1;
      if (r.state === 'suspended') f.deferred -= 1;
      if (r.state === 'closed') {
        f.closed_due -= 1;
        if (r.overdue === 0) f.on_time -= 1;
      }
      if (r.overdue === 1) f.overdue -= 1;
    }
  }
  return out;
}

function fromFacts(db: Db, col: string, filters: Filters, from: number, to: number, asOf: number): Map<number, Figures> {
  const where: string[] = [];
  const params: Record<string, number> = { from, to, asOf };
  if (filters.area) {
    where.push(`${filters.area.column} = @areaKey`);
    params.areaKey = filters.area.rid;
  }
  if (filters.dept !== null) {
    where.push('dept = @dept');
    params.dept = filters.dept;
  }
  const closedIn = `state = 'closed' AND closed_at >= @from AND closed_at < @to`;
  const dueIn = `due_at >= @from AND due_at < @asOf`;
  const sql = `SELECT ${col === '0' ? '0' : col} AS k,
      SUM(reported_at >= @from AND reported_at < @to) AS received,
      SUM(registered_at >= @from AND registered_at < @to) AS registered,
      SUM(dispatched_at >= @from AND dispatched_at < @to) AS dispatched,
      SUM(dispatched_at >= @from AND dispatched_at < @to AND extension_count > 0) AS extended,
      SUM(${closedIn}) AS closed,
      SUM(${closedIn} AND rework_count > 0) AS reworked,
      COALESCE(SUM(CASE WHEN ${closedIn} THEN handling_ms END), 0) AS handling_ms_sum,
      COUNT(CASE WHEN ${closedIn} THEN handling_ms END) AS handling_n,
      SUM(${dueIn}) AS due,
      SUM(${dueIn} AND state = 'suspended') AS deferred,
      SUM(${dueIn} AND state = 'closed') AS closed_due,
      SUM(${dueIn} AND state = 'closed' AND overdue = 0) AS on_time,
      SUM(${dueIn} AND overdue = 1) AS overdue
    FROM (SELECT * FROM case_facts WHERE reported_at >= @from AND reported_at < @to
          UNION ALL
          SELECT * FROM case_facts WHERE last_at >= @from AND reported_at < @from)
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    GROUP BY k`;
  const out = new Map<number, Figures>();
  for (const r of prep(db, sql).all(params) as Array<{ k: number } & Record<(typeof METRIC_COLUMNS)[number], number | null>>) {
    const f = zero();
    for (const m of METRIC_COLUMNS) f[m] = r[m] ?? 0;
    out.set(r.k, f);
  }
  return out;
}

/** Returns (回退) made in [from, asOf), attributed to the returning department/unit or the case's area. */
function addReturns(db: Db, groupBy: EvaluationGroup, filters: Filters, from: number, asOf: number, out: Map<number, Figures>): void {
  // The returning department/unit is in the event's data (the workflow and the demo record it); the
  // case's own columns are read only for events without it (COALESCE evaluates lazily). Area keys
  // come from case_facts, joined through the id index (no wide case row is read).
  const caseColumn = (c: string): string => `(SELECT ${c} FROM cases WHERE id = e.case_id)`;
  const returnerDept = `COALESCE(json_extract(e.data, '$.departmentId'), ${caseColumn('department_id')})`;
  const returnerUnit = `COALESCE(json_extract(e.data, '$.unitId'), ${caseColumn('unit_id')})`;
  const areaLevel = AREA_LEVEL[groupBy];
  const needFacts = areaLevel !== undefined || filters.area !== null;
  const keyExpr = groupBy === 'department' ? returnerDept : groupBy === 'unit' ? returnerUnit : `f.${LEVEL_COLUMN[areaLevel!]!}`;
  const where = ["e.action = 'return'", 'e.at >= ?', 'e.at < ?'];
  const params: unknown[] = [from, asOf];
  if (filters.area) {
    where.push(`f.${filters.area.column} = ?`);
    params.push(filters.area.rid);
  }
  if (filters.deptId !== null) {
    where.push(`${returnerDept} = ?`);
    params.push(filters.deptId);
  }
  const source = needFacts ? 'case_events e JOIN cases c ON c.id = e.case_id JOIN case_facts f ON f.case_rid = c.rid' : 'case_events e';
  const rows = prep(db, `SELECT ${keyExpr} AS k, COUNT(*) AS n FROM ${source} WHERE ${where.join(' AND ')} GROUP BY k`).all(...params) as Array<{
    k: string | number | null;
    n: number;
  }>;
  if (rows.length === 0) return;
  const { resolve } = keyMaps(db);
  for (const r of rows) {
    const key = typeof r.k === 'number' ? r.k : resolve(groupBy === 'department' ? 'department' : 'unit', r.k);
    let f = out.get(key);
    if (!f) {
      f = zero();
      out.set(key, f);
    }
    f.returned += r.n;
  }
}

function groupNames(db: Db, groupBy: EvaluationGroup): Map<number, { id: string; name: string }> {
  const rows =
    groupBy === 'department'
      ? (prep(db, 'SELECT rowid AS k, id, name FROM departments').all() as Array<{ k: number; id: string; name: string }>)
      : groupBy === 'unit'
        ? (prep(db, 'SELECT rowid AS k, id, name FROM units').all() as Array<{ k: number; id: string; name: string }>)
        : (prep(db, 'SELECT rid AS k, id, name FROM areas WHERE level = ?').all(AREA_LEVEL[groupBy]!) as Array<{ k: number; id: string; name: string }>);
  return new Map(rows.map((r) => [r.k, { id: r.id, name: r.name }]));
}

// ---------------------------------------------------------------------------------------------
// CSV export

const CSV_COLUMNS: Array<[string, (r: EvaluationRow) => string | number | null]> = [
  ['编号', (r) => r.key],
  ['名称', (r) => r.name],
  ['受理数', (r) => r.received],
  ['立案数', (r) => r.registered],
  ['派遣数', (r) => r.dispatched],
  ['结案数', (r) => r.closed],
  ['应结案数', (r) => r.due],
  ['缓办数', (r) => r.deferred],
  ['应结已结数', (r) => r.closedDue],
  ['按期结案数', (r) => r.closedOnTime],
  ['超期数', (r) => r.overdue],
  ['返工数', (r) => r.reworked],
  ['延期数', (r) => r.extended],
  ['回退数', (r) => r.returned],
  ['结案率', (r) => pct(r.closeRate)],
  ['按期结案率', (r) => pct(r.onTimeRate)],
  ['返工率', (r) => pct(r.reworkRate)],
  ['延期率', (r) => pct(r.extensionRate)],
  ['回退率', (r) => pct(r.returnRate)],
  ['平均处置时长(工作小时)', (r) => r.avgHandlingWorkHours],
];

const pct = (v: number | null): string | null => (v === null ? null : `${(v * 100).toFixed(2)}%`);

/** RFC 4180 field; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function evaluationCsv(result: EvaluationResult): { filename: string; csv: string; rows: number } {
  const lines = [CSV_COLUMNS.map(([h]) => csvField(h)).join(',')];
  for (const r of [...result.rows, result.total]) lines.push(CSV_COLUMNS.map(([, get]) => csvField(get(r))).join(','));
  const fromDay = result.from.slice(0, 10);
  return {
    filename: `综合评价-${result.groupBy}-${result.period}-${fromDay}.csv`,
    csv: '\uFEFF' + lines.join('\r\n') + '\r\n',
    rows: result.rows.length,
  };
}

