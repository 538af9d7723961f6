/** Case read queries: the queue, one case with history, map points, today's figures. */
import type { Db } from '../db/store';
import { CASE_COUNT_CAP, type caseQuerySchema } from '../../../shared/api/cases';
import { CASE_STATES, URGENCIES, type CaseDetail, type CaseEvent, type CaseState, type CaseSummary } from '../../../shared/domain/model';
import { prep } from '../db/sql';
import { bigramMatch } from '../db/text';
import { toShanghaiIso } from '../../../shared/time';
import { CASE_AREA_COLUMN, getAreaRow, levelName } from '../areas/queries';
import { ApiFailure } from '../../../shared/api/contract';
import type { z } from 'zod';

export type CaseQueryInput = z.output<typeof caseQuerySchema>;

export interface CaseRow {
  rid: number;
  id: string;
  code: string;
  source: string;
  class_code: string;
  category_code: string;
  title: string;
  description: string;
  address: string;
  lon: number;
  lat: number;
  grid_id: string | null;
  community_id: string | null;
  town_id: string | null;
  district_id: string | null;
  urgency: number;
  state: string;
  reporter_name: string | null;
  reporter_phone: string | null;
  department_id: string | null;
  unit_id: string | null;
  assignee_id: string | null;
  reported_at: number;
  registered_at: number | null;
  dispatched_at: number | null;
  deadline_at: number | null;
  closed_at: number | null;
  overdue: number;
  supervised: number;
  data: string;
  updated_at: number;
  version: number;
  /** Migration 002: allotted working time (limit + extensions), 80 % instant and flag, pause, 督办 level. */
  limit_ms: number | null;
  warn_at: number | null;
  warning: number;
  paused_at: number | null;
  supervision_level: number;
}

export const SUMMARY_COLUMNS = `id, code, title, source, class_code, category_code, state, urgency, lon, lat, address, grid_id, district_id, town_id,
  department_id, reported_at, deadline_at, closed_at, overdue, warning, supervised, supervision_level, version`;

const iso = (ms: number | null): string | null => (ms == null ? null : toShanghaiIso(ms));

type SummaryRow = Pick<
  CaseRow,
  | 'id' | 'code' | 'title' | 'source' | 'class_code' | 'category_code' | 'state' | 'urgency' | 'lon' | 'lat' | 'address' | 'grid_id' | 'district_id'
  | 'town_id' | 'department_id' | 'reported_at' | 'deadline_at' | 'closed_at' | 'overdue' | 'warning' | 'supervised' | 'supervision_level' | 'version'
>;

export function toSummary(r: SummaryRow): CaseSummary {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    source: r.source as CaseSummary['source'],
    categoryCode: r.category_code,
    classCode: r.class_code,
    state: r.state as CaseState,
    urgency: URGENCIES[r.urgency] ?? 'normal',
    lon: r.lon,
    lat: r.lat,
    address: r.address,
    gridId: r.grid_id,
    districtId: r.district_id,
    townId: r.town_id,
    departmentId: r.department_id,
    reportedAt: toShanghaiIso(r.reported_at),
    deadlineAt: iso(r.deadline_at),
    closedAt: iso(r.closed_at),
    overdue: r.overdue === 1,
    warning: r.warning === 1,
    supervised: r.supervised === 1,
    supervisionLevel: r.supervision_level,
    version: r.version,
  };
}

/** Personal data never reaches the wall in clear: 张** / 138****5678. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  return name.slice(0, 1) + '*'.repeat(Math.max(1, name.length - 1));
}
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\s+/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return digits.slice(0, 3) + '****' + digits.slice(-4);
}

export function getCaseRow(db: Db, id: string): CaseRow | undefined {
  return db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
}

export function caseHistory(db: Db, id: string): CaseEvent[] {
  const rows = db
    .prepare('SELECT seq, at, action, from_state, to_state, actor, role, note FROM case_events WHERE case_id = ? ORDER BY seq')
    .all(id) as Array<{ seq: number; at: number; action: string; from_state: string | null; to_state: string | null; actor: string; role: string; note: string }>;
  return rows.map((e) => ({
    seq: e.seq,
    at: toShanghaiIso(e.at),
    action: e.action,
    fromState: e.from_state as CaseState | null,
    toState: e.to_state as CaseState | null,
    actor: e.actor,
    role: e.role,
    note: e.note,
  }));
}

export function toDetail(db: Db, r: CaseRow): CaseDetail {
  return {
    ...toSummary(r),
    description: r.description,
    reporterName: maskName(r.reporter_name),
    reporterPhone: maskPhone(r.reporter_phone),
    unitId: r.unit_id,
    assigneeId: r.assignee_id,
    communityId: r.community_id,
    registeredAt: iso(r.registered_at),
    dispatchedAt: iso(r.dispatched_at),
    history: caseHistory(db, r.id),
  };
}

/** Translate an area id into the case column and value that select it (null: the whole city). */
export function areaFilter(db: Db, areaId: string): { column: string; id: string } | null {
  const area = getAreaRow(db, areaId);
  if (!area) throw new ApiFailure('not_found', `no area with id ${areaId}`, 'input.areaId');
  const column = CASE_AREA_COLUMN[levelName(area.level)];
  return column ? { column, id: areaId } : null;
}

/**
 * Sorts of case_queue and of the table. `urgency_deadline` matches the index case_queue_order; over
 * finished cases it is not used (see listOpenThenFinished).
 */
const SORTS: Record<CaseQueryInput['sort'], string> = {
  // Most urgent first, then the nearest deadline; cases without a deadline after those with one.
  urgency_deadline: 'urgency DESC, deadline_at IS NULL, deadline_at ASC, reported_at DESC',
  reported_desc: 'reported_at DESC',
  reported_asc: 'reported_at ASC',
  deadline_asc: 'deadline_at IS NULL, deadline_at ASC',
};

const inList = (column: string, values: readonly unknown[], params: unknown[]): string => {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(',')})`;
};

/** `ridColumn`: the column holding cases.rid in the table queried (case_queue: case_rid). */
export function buildCaseWhere(db: Db, q: Partial<CaseQueryInput>, opts: { ridColumn?: 'rid' | 'case_rid' } = {}): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.states?.length) where.push(inList('state', q.states, params));
  if (q.sources?.length) where.push(inList('source', q.sources, params));
  if (q.classCodes?.length) where.push(inList('class_code', q.classCodes, params));
  if (q.categoryCodes?.length) where.push(inList('category_code', q.categoryCodes, params));
  if (q.urgencies?.length) where.push(inList('urgency', q.urgencies.map((u) => URGENCIES.indexOf(u)), params));
  if (q.areaId) {
    const f = areaFilter(db, q.areaId);
    if (f) {
      where.push(`${f.column} = ?`);
      params.push(f.id);
    }
  }
  if (q.departmentId) {
    where.push('department_id = ?');
    params.push(q.departmentId);
  }
  if (q.overdue !== undefined) {
    where.push('overdue = ?');
    params.push(q.overdue ? 1 : 0);
  }
  if (q.supervised !== undefined) {
    where.push('supervised = ?');
    params.push(q.supervised ? 1 : 0);
  }
  if (q.text && CASE_CODE_PREFIX.test(q.text.trim())) {
    // A case number (or its beginning): a range on the unique code index instead of a scan.
    const prefix = q.text.trim().toUpperCase();
    where.push('code >= ? AND code < ?');
    params.push(prefix, `${prefix}\uffff`);
  } else if (q.text) {
    // Narrowed by the bigram index (migration 007) to the cases holding every bigram of the text,
    // then the exact substring on those; one character or no letters: the substring alone.
    const match = bigramMatch(q.text);
    if (match) {
      where.push(`${opts.ridColumn ?? 'rid'} IN (SELECT rowid FROM case_text WHERE case_text MATCH ?)`);
      params.push(match);
    }
    where.push("(code LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\')");
    const like = `%${q.text.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
    params.push(like, like, like);
  }
  if (q.reportedFrom) {
    where.push('reported_at >= ?');
    params.push(Date.parse(q.reportedFrom));
  }
  if (q.reportedTo) {
    where.push('reported_at < ?');
    params.push(Date.parse(q.reportedTo));
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Text that is a case number or its beginning: letters then at least six digits (AJ202603, XH20261121-00012). */
const CASE_CODE_PREFIX = /^[A-Za-z]{1,6}\d{6}[\d-]*$/;

/** States held in case_queue (migration 002): everything but the terminal states. */
const QUEUE_STATES: readonly CaseState[] = CASE_STATES.filter((s) => s !== 'closed' && s !== 'cancelled');

type CaseList = { total: number; capped: boolean; items: CaseSummary[] };

/** Where-clauses over case_queue name the case by case_rid. */
const QUEUE = { ridColumn: 'case_rid' } as const;

/** One page of case_queue in a queue sort, read back from cases in that order. */
function queuePage(db: Db, where: { sql: string; params: unknown[] }, sort: CaseQueryInput['sort'], limit: number, offset: number): CaseSummary[] {
  const rids = prep(db, `SELECT case_rid FROM case_queue ${where.sql} ORDER BY ${SORTS[sort]} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...where.params, limit, offset) as number[];
  const rows = rids.length ? (prep(db, `SELECT ${SUMMARY_COLUMNS}, rid FROM cases WHERE rid IN (${rids.map(() => '?').join(',')})`).all(...rids) as CaseRow[]) : [];
  const byRid = new Map(rows.map((r) => [r.rid, r]));
  return rids.map((rid) => byRid.get(rid)).filter((r): r is CaseRow => r !== undefined).map(toSummary);
}

const counted = (total: number): { total: number; capped: boolean } => (total > CASE_COUNT_CAP ? { total: CASE_COUNT_CAP, capped: true } : { total, capped: false });

/**
 * `urgency_deadline` over states that include finished ones (closed, cancelled): the open cases
 * first, most urgent and nearest deadline first (from case_queue and its index), then the finished
 * ones newest first (no work is left on them, whatever their old deadlines; the reported_at indexes
 * serve that order). Pages may straddle the two parts. Cheap at any size: neither part sorts the
 * whole table.
 */
function listOpenThenFinished(db: Db, q: CaseQueryInput, open: readonly CaseState[], finished: readonly CaseState[]): CaseList {
  const openWhere = open.length > 0 ? buildCaseWhere(db, { ...q, states: [...open] }, QUEUE) : null;
  const doneWhere = buildCaseWhere(db, { ...q, states: [...finished] });
  // Open cases are few (the active queue), so they are counted exactly: page arithmetic needs it.
  const openCount = openWhere ? (prep(db, `SELECT COUNT(*) FROM case_queue ${openWhere.sql}`).pluck().get(...openWhere.params) as number) : 0;
  const items = openWhere && q.offset < openCount ? queuePage(db, openWhere, 'urgency_deadline', q.limit, q.offset) : [];
  const need = q.limit - items.length;
  if (need > 0) {
    const rows = prep(db, `SELECT ${SUMMARY_COLUMNS} FROM cases ${doneWhere.sql} ORDER BY reported_at DESC LIMIT ? OFFSET ?`).all(...doneWhere.params, need, Math.max(0, q.offset - openCount)) as CaseRow[];
    items.push(...rows.map(toSummary));
  }
  const doneCount = openCount > CASE_COUNT_CAP ? 0 : (prep(db, `SELECT COUNT(*) FROM (SELECT 1 FROM cases ${doneWhere.sql} LIMIT ?)`).pluck().get(...doneWhere.params, CASE_COUNT_CAP + 1 - openCount) as number);
  return { ...counted(openCount + doneCount), items };
}

export function listCases(db: Db, q: CaseQueryInput): CaseList {
  if (q.states?.length && q.states.every((s) => QUEUE_STATES.includes(s))) {
    // The console's queue: filter and sort the narrow copy of the active cases, then read the page.
    const { sql, params } = buildCaseWhere(db, q, QUEUE);
    const n = prep(db, `SELECT COUNT(*) FROM (SELECT 1 FROM case_queue ${sql} LIMIT ?)`).pluck().get(...params, CASE_COUNT_CAP + 1) as number;
    return { ...counted(n), items: queuePage(db, { sql, params }, q.sort, q.limit, q.offset) };
  }
  if (q.sort === 'urgency_deadline') {
    const wanted = q.states?.length ? q.states : CASE_STATES;
    return listOpenThenFinished(
      db,
      q,
      wanted.filter((s) => QUEUE_STATES.includes(s)),
      wanted.filter((s) => !QUEUE_STATES.includes(s)),
    );
  }
  const { sql, params } = buildCaseWhere(db, q);
  const rows = prep(db, `SELECT ${SUMMARY_COLUMNS} FROM cases ${sql} ORDER BY ${SORTS[q.sort]} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as CaseRow[];
  const n = prep(db, `SELECT COUNT(*) FROM (SELECT 1 FROM cases ${sql} LIMIT ?)`).pluck().get(...params, CASE_COUNT_CAP + 1) as number;
  return { ...counted(n), items: rows.map(toSummary) };
}
