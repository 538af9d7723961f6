/**
 * The consultation session: the agenda frozen when it opens, the current item the chair steps
 * through (next / prev / jump), and an object opened live on the wall. Every change bumps the
 * version; the service announces it (consult.session) so every attached wall follows.
 */
import { randomUUID } from 'node:crypto';
import { ApiFailure } from '../../../shared/api/contract';
import { agendaSchema, type Agenda, type Focus, type Session, type SessionState } from '../../../shared/api/consult';
import { shanghaiDay, toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';

interface SessionRow {
  id: string;
  day: string;
  title: string;
  chair: string;
  state: 'open' | 'closed';
  agenda: string;
  generated_at: number;
  current_index: number;
  focus: string | null;
  last_actor: string;
  opened_at: number;
  closed_at: number | null;
  updated_at: number;
  version: number;
  decision_count: number;
}

const SELECT = `SELECT s.*, (SELECT COUNT(*) FROM consult_decisions d WHERE d.session_id = s.id) AS decision_count FROM consult_sessions s`;

function agendaOf(row: SessionRow): Agenda {
  return agendaSchema.parse(JSON.parse(row.agenda));
}

function stateOf(row: SessionRow, agenda: Agenda): SessionState {
  const item = agenda.items[row.current_index] ?? null;
  return {
    id: row.id,
    day: row.day,
    title: row.title,
    chair: row.chair,
    state: row.state,
    currentIndex: row.current_index,
    itemCount: agenda.items.length,
    itemId: item?.id ?? null,
    itemKind: item?.kind ?? null,
    focus: row.focus === null ? null : (JSON.parse(row.focus) as Focus),
    openedAt: toShanghaiIso(row.opened_at),
    closedAt: row.closed_at === null ? null : toShanghaiIso(row.closed_at),
    updatedAt: toShanghaiIso(row.updated_at),
    lastActor: row.last_actor,
    version: row.version,
    decisionCount: row.decision_count,
  };
}

function row(db: Db, id: string): SessionRow {
  const r = db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  if (!r) throw new ApiFailure('not_found', `no consultation ${id}`, 'input.id');
  return r;
}

export function getSession(db: Db, id: string): Session {
  const r = row(db, id);
  const agenda = agendaOf(r);
  return { ...stateOf(r, agenda), agenda };
}

export function getSessionState(db: Db, id: string): SessionState {
  const r = row(db, id);
  return stateOf(r, agendaOf(r));
}

export function currentSession(db: Db): Session | null {
  const id = db.prepare("SELECT id FROM consult_sessions WHERE state = 'open' ORDER BY opened_at DESC LIMIT 1").pluck().get() as string | undefined;
  return id ? getSession(db, id) : null;
}

export function listSessions(db: Db, limit: number): SessionState[] {
  const rows = db.prepare(`${SELECT} ORDER BY s.opened_at DESC LIMIT ?`).all(limit) as SessionRow[];
  return rows.map((r) => stateOf(r, agendaOf(r)));
}

/**
 * Open today's session, or return the one already open today. A session left open on an earlier
 * day is closed first (by 'system'), so there is one open consultation at a time.
 */
export function openSession(
  db: Db,
  args: { chair: string; title?: string | undefined; now: number; makeAgenda: () => Agenda },
): { session: Session; created: boolean; closed: SessionState[] } {
  const day = shanghaiDay(args.now);
  const open = db.prepare("SELECT id, day FROM consult_sessions WHERE state = 'open' ORDER BY opened_at DESC").all() as Array<{ id: string; day: string }>;
  const today = open.find((s) => s.day === day);
  const closed: SessionState[] = [];
  for (const s of open) {
    if (s.id === today?.id) continue;
    db.prepare("UPDATE consult_sessions SET state = 'closed', closed_at = ?, last_actor = 'system', updated_at = ?, version = version + 1 WHERE id = ?").run(args.now, args.now, s.id);
    closed.push(getSessionState(db, s.id));
  }
  if (today) return { session: getSession(db, today.id), created: false, closed };
  const agenda = args.makeAgenda();
  const id = randomUUID();
  const title = args.title ?? `${day.slice(0, 4)}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日 每日会商`;
  db.prepare(
    `INSERT INTO consult_sessions(id, day, title, chair, state, agenda, generated_at, current_index, focus, last_actor, opened_at, updated_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, 0, NULL, ?, ?, ?)`,
  ).run(id, day, title, args.chair, JSON.stringify(agenda), args.now, args.chair, args.now, args.now);
  return { session: getSession(db, id), created: true, closed };
}

export type GotoTarget = 'next' | 'prev' | 'first' | 'last' | number;

/** The index a step leads to, clamped to the agenda. */
export function targetIndex(current: number, count: number, to: GotoTarget): number {
  const last = Math.max(0, count - 1);
  const raw = to === 'next' ? current + 1 : to === 'prev' ? current - 1 : to === 'first' ? 0 : to === 'last' ? last : to;
  return Math.min(last, Math.max(0, raw));
}

function requireOpen(r: SessionRow): void {
  if (r.state !== 'open') throw new ApiFailure('conflict', 'the consultation is closed');
}

/** Move to an item; returns the new state and whether anything changed. */
export function gotoItem(db: Db, id: string, to: GotoTarget, actor: string, now: number): { state: SessionState; changed: boolean } {
  const r = row(db, id);
  requireOpen(r);
  const agenda = agendaOf(r);
  if (typeof to === 'number' && to >= agenda.items.length) throw new ApiFailure('validation', `the agenda has ${agenda.items.length} items`, 'input.to');
  const next = targetIndex(r.current_index, agenda.items.length, to);
  if (next === r.current_index) return { state: stateOf(r, agenda), changed: false };
  // Moving on closes whatever was opened live.
  db.prepare('UPDATE consult_sessions SET current_index = ?, focus = NULL, last_actor = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(next, actor, now, id);
  return { state: getSessionState(db, id), changed: true };
}

export function setFocus(db: Db, id: string, focus: Focus | null, actor: string, now: number): SessionState {
  const r = row(db, id);
  requireOpen(r);
  if (focus) {
    const table = focus.kind === 'case' ? 'cases' : focus.kind === 'camera' ? 'cameras' : 'areas';
    if (!db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(focus.id)) throw new ApiFailure('not_found', `no ${focus.kind} ${focus.id}`, 'input.focus.id');
  }
  db.prepare('UPDATE consult_sessions SET focus = ?, last_actor = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(focus ? JSON.stringify(focus) : null, actor, now, id);
  return getSessionState(db, id);
}

export function closeSession(db: Db, id: string, actor: string, now: number): SessionState {
  const r = row(db, id);
  requireOpen(r);
  db.prepare("UPDATE consult_sessions SET state = 'closed', closed_at = ?, focus = NULL, last_actor = ?, updated_at = ?, version = version + 1 WHERE id = ?").run(now, actor, now, id);
  return getSessionState(db, id);
}
