/**
 * The store side of Open311 GeoReport v2 (the HTTP side is main/host/open311.ts): services from
 * the category catalogue, and service requests as the public sees them.
 *
 * Only cases that came in through the public channels (OPEN311_SOURCES) are visible through
 * Open311; their reporters' personal data never is. service_request_id is the case number
 * (e.g. AJ20261121-00012); the case id is accepted too.
 */
import type { CategoryRecord } from '../../../shared/api/catalogue';
import { describeLimit } from '../../../shared/domain/workclock';
import type { CaseState } from '../../../shared/domain/model';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { getCategory, getCategoryClass, listCatalogue } from './catalogue';
import { parseCaseData } from './data';
import type { CaseRow } from './queries';
import { placeholders, prep } from '../db/sql';

export const OPEN311_SOURCES = ['public', 'hotline'] as const;

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string | null;
}

const departmentName = (db: Db, code: string): string | null =>
  (prep(db, 'SELECT name FROM departments WHERE code = ?').pluck().get(code) as string | undefined) ?? null;

/** What the city will do: the responsible department and the time limit. */
export function serviceNotice(db: Db, cat: CategoryRecord): string {
  const dep = departmentName(db, cat.departmentCode);
  return `${dep ?? '责任单位'}将在派遣后${describeLimit(cat.limit)}内处置（${cat.closing}）`;
}

function toService(cat: CategoryRecord, groupName: string): Open311Service {
  return {
    service_code: cat.code,
    service_name: cat.name,
    description: `立案条件：${cat.filing}；结案条件：${cat.closing}；处置时限：${describeLimit(cat.limit)}（自派遣起，按工作时间计）`,
    metadata: false,
    type: 'realtime',
    keywords: cat.keywords.join(','),
    group: groupName,
  };
}

export function open311Services(db: Db): Open311Service[] {
  const { classes, categories } = listCatalogue(db, false);
  const names = new Map(classes.map((c) => [c.code, c.name]));
  return categories.filter((c) => names.has(c.classCode)).map((c) => toService(c, names.get(c.classCode)!));
}

/** An active service, or null. */
export function open311Service(db: Db, code: string): CategoryRecord | null {
  const cat = getCategory(db, code);
  if (!cat || !cat.active) return null;
  const cls = getCategoryClass(db, cat.classCode);
  return cls && cls.active ? cat : null;
}

const STATUS_NOTES: Record<CaseState, string> = {
  reported: '已受理，待核实立案',
  registered: '已立案，待派遣',
  dispatched: '已派遣至处置单位',
  accepted: '处置单位已签收，处置中',
  returned: '处置单位回退，正在重新派遣',
  handled: '已处置，待核查',
  rework: '核查未通过，返工处置中',
  suspended: '暂缓处置（挂账）',
  cancelled: '不予立案',
  closed: '已结案',
};

function statusNotes(db: Db, row: CaseRow): string {
  const state = row.state as CaseState;
  const data = parseCaseData(row.data);
  if (state === 'cancelled' && data.mergedInto) {
    const target = prep(db, 'SELECT code FROM cases WHERE id = ?').pluck().get(data.mergedInto) as string | undefined;
    return `重复上报，已并入 ${target ?? data.mergedInto} 一并处理`;
  }
  const noteOf: Partial<Record<CaseState, string[]>> = {
    cancelled: ['cancel'],
    closed: ['verify_pass', 'settle_on_spot', 'close'],
    suspended: ['suspend'],
  };
  const actions = noteOf[state];
  if (!actions) return STATUS_NOTES[state];
  const note = prep(db, `SELECT note FROM case_events WHERE case_id = ? AND action IN (${placeholders(actions.length)}) ORDER BY seq DESC LIMIT 1`)
    .pluck()
    .get(row.id, ...actions) as string | undefined;
  return note ? `${STATUS_NOTES[state]}：${note}` : STATUS_NOTES[state];
}

export function toOpen311Request(db: Db, row: CaseRow): Open311Request {
  const state = row.state as CaseState;
  const closed = state === 'closed' || state === 'cancelled';
  const cat = getCategory(db, row.category_code);
  const agency = row.department_id ? ((prep(db, 'SELECT name FROM departments WHERE id = ?').pluck().get(row.department_id) as string | undefined) ?? null) : null;
  const media = parseCaseData(row.data).attachments.find((a) => a.kind === 'photo') ?? null;
  return {
    service_request_id: row.code,
    status: closed ? 'closed' : 'open',
    status_notes: statusNotes(db, row),
    service_name: cat?.name ?? null,
    service_code: row.category_code,
    description: row.description || null,
    agency_responsible: agency,
    service_notice: cat ? serviceNotice(db, cat) : null,
    requested_datetime: toShanghaiIso(row.reported_at),
    updated_datetime: toShanghaiIso(state === 'closed' && row.closed_at !== null ? row.closed_at : row.updated_at),
    expected_datetime: row.deadline_at === null ? null : toShanghaiIso(row.deadline_at),
    address: row.address || null,
    address_id: null,
    zipcode: null,
    lat: row.lat,
    long: row.lon,
    media_url: media?.url ?? null,
  };
}

const SOURCE_SQL = `source IN (${placeholders(OPEN311_SOURCES.length)})`;

export function open311Request(db: Db, id: string): Open311Request | null {
  const row = prep(db, `SELECT * FROM cases WHERE (code = ? OR id = ?) AND ${SOURCE_SQL}`).get(id, id, ...OPEN311_SOURCES) as CaseRow | undefined;
  return row ? toOpen311Request(db, row) : null;
}

export interface Open311Query {
  ids?: string[] | undefined;
  codes?: string[] | undefined;
  start: number;
  end: number;
  statuses?: Array<'open' | 'closed'> | undefined;
  limit: number;
}

/** Newest first. `ids` overrides every other filter (GeoReport v2). */
export function open311Requests(db: Db, q: Open311Query): Open311Request[] {
  if (q.ids && q.ids.length > 0) {
    return q.ids
      .slice(0, q.limit)
      .map((id) => open311Request(db, id))
      .filter((r): r is Open311Request => r !== null);
  }
  const where = [SOURCE_SQL, 'reported_at >= ?', 'reported_at <= ?'];
  const params: unknown[] = [...OPEN311_SOURCES, q.start, q.end];
  if (q.codes && q.codes.length > 0) {
    where.push(`category_code IN (${placeholders(q.codes.length)})`);
    params.push(...q.codes);
  }
  if (q.statuses && q.statuses.length === 1) {
    where.push(q.statuses[0] === 'closed' ? "state IN ('closed', 'cancelled')" : "state NOT IN ('closed', 'cancelled')");
  }
  const rows = prep(db, `SELECT * FROM cases WHERE ${where.join(' AND ')} ORDER BY reported_at DESC LIMIT ?`).all(...params, q.limit) as CaseRow[];
  return rows.map((r) => toOpen311Request(db, r));
}
