/**
 * Decisions (会商纪要): recorded in a session with owner department, area and deadline; each
 * becomes a dispatched case in the closed loop (bridge.ts) and is followed, through its case, until
 * closed. The next morning's agenda shows what became of them.
 */
import { randomUUID } from 'node:crypto';
import { ApiFailure } from '../../../shared/api/contract';
import type { Decision, DecisionOutcome } from '../../../shared/api/consult';
import { CATEGORIES, categoryByCode } from '../../../shared/domain/catalogue';
import { URGENCIES, type CaseState, type Urgency } from '../../../shared/domain/model';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { openDecisionCase, type MethodCaller } from './bridge';

interface DecisionRow {
  id: string;
  session_id: string;
  session_day: string;
  seq: number;
  item_id: string | null;
  title: string;
  detail: string;
  department_id: string;
  department_name: string | null;
  department_code: string | null;
  area_id: string;
  area_name: string | null;
  category_code: string;
  urgency: number;
  deadline_at: number;
  recorded_by: string;
  recorded_at: number;
  case_id: string | null;
  case_code: string | null;
  case_error: string | null;
  case_state: string | null;
  case_closed_at: number | null;
}

const SELECT = `SELECT d.*, s.day AS session_day, dep.name AS department_name, dep.code AS department_code, a.name AS area_name,
  c.state AS case_state, c.closed_at AS case_closed_at
  FROM consult_decisions d
  JOIN consult_sessions s ON s.id = d.session_id
  LEFT JOIN departments dep ON dep.id = d.department_id
  LEFT JOIN areas a ON a.id = d.area_id
  LEFT JOIN cases c ON c.id = d.case_id`;

export function outcomeOf(r: { case_id: string | null; case_state: string | null; case_closed_at: number | null; deadline_at: number }, now: number): DecisionOutcome {
  if (!r.case_id || r.case_state === null || r.case_state === 'cancelled') return 'failed';
  if (r.case_state === 'closed') return r.case_closed_at !== null && r.case_closed_at <= r.deadline_at ? 'done' : 'done_late';
  return now > r.deadline_at ? 'overdue' : 'in_progress';
}

function toDecision(r: DecisionRow, now: number): Decision {
  return {
    id: r.id,
    sessionId: r.session_id,
    sessionDay: r.session_day,
    seq: r.seq,
    itemId: r.item_id,
    title: r.title,
    detail: r.detail,
    departmentId: r.department_id,
    departmentName: r.department_name ?? r.department_id,
    areaId: r.area_id,
    areaName: r.area_name ?? r.area_id,
    categoryCode: r.category_code,
    urgency: URGENCIES[r.urgency] ?? 'normal',
    deadlineAt: toShanghaiIso(r.deadline_at),
    recordedBy: r.recorded_by,
    recordedAt: toShanghaiIso(r.recorded_at),
    caseId: r.case_id,
    caseCode: r.case_code,
    caseState: (r.case_state as CaseState | null) ?? null,
    caseClosedAt: r.case_closed_at === null ? null : toShanghaiIso(r.case_closed_at),
    caseError: r.case_error,
    outcome: outcomeOf(r, now),
  };
}

export function getDecision(db: Db, id: string, now: number): Decision {
  const row = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DecisionRow | undefined;
  if (!row) throw new ApiFailure('not_found', `no decision ${id}`, 'input.id');
  return toDecision(row, now);
}

export function listDecisions(db: Db, args: { sessionId?: string | undefined; openOnly: boolean; limit: number }, now: number): Decision[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (args.sessionId) {
    where.push('d.session_id = ?');
    params.push(args.sessionId);
  }
  if (args.openOnly) where.push("(c.state IS NULL OR c.state NOT IN ('closed', 'cancelled'))");
  const order = args.sessionId ? 'd.seq' : 'd.recorded_at DESC, d.seq DESC';
  const rows = db.prepare(`${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ?`).all(...params, args.limit) as DecisionRow[];
  return rows.map((r) => toDecision(r, now));
}

/**
 * Decisions to follow up at a session of `day`: those of earlier sessions recorded since the day
 * before, and any older one whose case is not closed yet.
 */
export function followUps(db: Db, day: string, dayStart: number, now: number): Decision[] {
  const rows = db
    .prepare(
      `${SELECT} WHERE s.day < ? AND (d.recorded_at >= ? OR c.state IS NULL OR c.state NOT IN ('closed', 'cancelled'))
       ORDER BY d.recorded_at DESC, d.seq LIMIT 40`,
    )
    .all(day, dayStart - 86_400_000) as DecisionRow[];
  return rows.map((r) => toDecision(r, now));
}

/** The catalogue category a decision's case is filed under: given, else the department's first. */
export function defaultCategory(db: Db, departmentId: string): string {
  const code = db.prepare('SELECT code FROM departments WHERE id = ?').pluck().get(departmentId) as string | undefined;
  const match = CATEGORIES.find((c) => c.department === code);
  return match?.code ?? '1006';
}

/** The unit of the department responsible for the area: in the area or above it, else any. */
export function unitFor(db: Db, departmentId: string, areaId: string): string | null {
  const row = db
    .prepare(
      `WITH RECURSIVE up(id, depth) AS (SELECT id, 0 FROM areas WHERE id = ? UNION ALL SELECT a.parent_id, up.depth + 1 FROM areas a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)
       SELECT u.id FROM units u LEFT JOIN up ON up.id = u.area_id WHERE u.department_id = ?
       ORDER BY up.depth IS NULL, up.depth, u.name LIMIT 1`,
    )
    .pluck()
    .get(areaId, departmentId) as string | undefined;
  return row ?? null;
}

export interface RecordInput {
  sessionId: string;
  itemId?: string | undefined;
  title: string;
  detail: string;
  departmentId: string;
  areaId: string;
  categoryCode?: string | undefined;
  urgency: Urgency;
  deadline: string;
  actor: string;
}

export function insertDecision(db: Db, input: RecordInput, now: number): string {
  const session = db.prepare('SELECT state FROM consult_sessions WHERE id = ?').get(input.sessionId) as { state: string } | undefined;
  if (!session) throw new ApiFailure('not_found', `no consultation ${input.sessionId}`, 'input.sessionId');
  if (session.state !== 'open') throw new ApiFailure('conflict', 'the consultation is closed: decisions are recorded while it is open');
  if (!db.prepare('SELECT 1 FROM departments WHERE id = ?').get(input.departmentId)) throw new ApiFailure('not_found', `no department ${input.departmentId}`, 'input.departmentId');
  if (!db.prepare('SELECT 1 FROM areas WHERE id = ?').get(input.areaId)) throw new ApiFailure('not_found', `no area ${input.areaId}`, 'input.areaId');
  const deadline = Date.parse(input.deadline);
  if (!(deadline > now)) throw new ApiFailure('validation', 'the deadline must lie in the future', 'input.deadline');
  const category = input.categoryCode ?? defaultCategory(db, input.departmentId);
  if (!categoryByCode.has(category)) throw new ApiFailure('validation', `no category ${category} in the catalogue`, 'input.categoryCode');
  const id = randomUUID();
  db.transaction(() => {
    const seq = ((db.prepare('SELECT MAX(seq) FROM consult_decisions WHERE session_id = ?').pluck().get(input.sessionId) as number | null) ?? 0) + 1;
    db.prepare(
      `INSERT INTO consult_decisions(id, session_id, seq, item_id, title, detail, department_id, area_id, category_code, urgency, deadline_at, recorded_by, recorded_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, input.sessionId, seq, input.itemId ?? null, input.title, input.detail, input.departmentId, input.areaId, category, URGENCIES.indexOf(input.urgency), deadline, input.actor, now, now);
  }).immediate();
  return id;
}

/** Turn a decision into a dispatched case (or continue an earlier attempt); records the outcome. */
export async function dispatchDecision(db: Db, registry: MethodCaller, id: string, actor: string, now: () => number): Promise<Decision> {
  const d = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DecisionRow | undefined;
  if (!d) throw new ApiFailure('not_found', `no decision ${id}`, 'input.id');
  if (d.case_id && d.case_error === null) return toDecision(d, now());
  const area = db.prepare('SELECT cx, cy, name FROM areas WHERE id = ?').get(d.area_id) as { cx: number; cy: number; name: string } | undefined;
  const unitId = unitFor(db, d.department_id, d.area_id);
  const update = (caseId: string | null, caseCode: string | null, error: string | null): void => {
    db.prepare('UPDATE consult_decisions SET case_id = ?, case_code = ?, case_error = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(caseId, caseCode, error, now(), id);
  };
  if (!area) update(d.case_id, d.case_code, '决定所属区域不存在');
  else if (!unitId) update(d.case_id, d.case_code, `${d.department_name ?? d.department_id} 没有处置单位，无法派遣`);
  else {
    const category = categoryByCode.get(d.category_code);
    const description = [
      d.detail,
      `会商日期：${d.session_day}；责任部门：${d.department_name ?? d.department_id}；会商要求完成时限：${toShanghaiIso(d.deadline_at).slice(0, 16).replace('T', ' ')}`,
    ]
      .filter(Boolean)
      .join('\n');
    const result = await openDecisionCase(registry, {
      title: `【会商交办】${d.title}`.slice(0, 200),
      description,
      categoryCode: d.category_code,
      departmentId: d.department_id,
      unitId,
      lon: area.cx,
      lat: area.cy,
      address: `${area.name}${category ? ` · ${category.name}` : ''}`,
      urgency: URGENCIES[d.urgency] ?? 'normal',
      actor,
      existingCaseId: d.case_id,
    });
    if (result.ok) update(result.caseId, result.caseCode, null);
    else update(result.caseId, result.caseCode, result.error);
  }
  return getDecision(db, id, now());
}

/** Decisions linked to a case (to announce when the case moves). */
export function decisionIdsForCase(db: Db, caseId: string): string[] {
  return db.prepare('SELECT id FROM consult_decisions WHERE case_id = ?').pluck().all(caseId) as string[];
}

