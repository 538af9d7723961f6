/**
 * The write side of the closed loop: case intake, workflow actions, merging, and the periodic
 * deadline scan (80 % warning, overdue → automatic 督办). Every change is one transaction that
 * checks the expected version, applies the pure state machine (shared/domain/workflow.ts), writes
 * the case row and appends exactly one history row per case touched; a refused action changes
 * nothing. (The evaluation's facts follow from change_log and case_events: facts.ts.) Events are emitted after the commit.
 *
 * The deadline clock (working time, shared/domain/workclock.ts):
 * - dispatch starts it: deadline = dispatch + the category's limit; `limit_ms` holds the allotted
 *   working time (limit + approved extensions) and `warn_at` the instant 80 % of it is used;
 * - handle and suspend pause it (`paused_at`); a failed verification (rework) and resume restart it
 *   with the working time that was left at the pause; a case already overdue at the pause stays so;
 * - return and reopen clear it (the next dispatch starts a fresh one);
 * - an approved extension moves the deadline by the extension's working time;
 * - a case whose deadline passes while its clock runs becomes overdue and is supervised
 *   automatically (level ≥ 1), recorded as a 'supervise' action by the system.
 */
import { randomUUID } from 'node:crypto';
import { ApiFailure } from '../../../shared/api/contract';
import type { CaseWorkflow, DuplicateCandidate } from '../../../shared/api/workflow';
import { categoryByCode, type TimeLimit } from '../../../shared/domain/catalogue';
import { URGENCIES, type CaseSource, type CaseState, type Urgency } from '../../../shared/domain/model';
import {
  CLOCK_STATES,
  SUPERVISION_LEVELS,
  WARNING_FRACTION,
  allowedActions,
  apply,
  isTerminal,
  type ActorRole,
  type Attachment,
  type WorkflowAction,
  type WorkflowRole,
  type WorkflowSnapshot,
  type WorkflowStep,
} from '../../../shared/domain/workflow';
import type { WorkClock } from '../../../shared/domain/workclock';
import { shanghaiDay, toShanghaiIso } from '../../../shared/time';
import type { CoreContext } from '../core';
import type { Db } from '../db/store';
import { getMeta } from '../db/store';
import { areaLocator } from '../areas/service';
import { getCategory, requireActiveCategory } from './catalogue';
import { workClock } from './calendar';
import { parseCaseData, serializeCaseData, type CaseData } from './data';
import { findDuplicates, proposeMergeTarget } from './duplicates';
import { getCaseRow, toSummary, type CaseRow } from './queries';
import { prep } from '../db/sql';
import { CLOCK_STATES_SQL } from '../db/migrations/002_closed_loop';

export interface CallInfo {
  readonly transport: string;
  readonly client?: string | undefined;
}

/** The default prefix of case numbers (AJ20261121-00001); meta 'case_code_prefix' overrides it. */
export const DEFAULT_CASE_PREFIX = 'AJ';
/** A report may be dated this far in the future (clock skew between seats). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const effectiveLevel = (row: Pick<CaseRow, 'supervision_level' | 'supervised'>): number =>
  Math.min(3, Math.max(row.supervision_level ?? 0, row.supervised === 1 ? 1 : 0));

/** The workflow's view of a stored case. */
export function snapshotOf(row: CaseRow, data: CaseData): WorkflowSnapshot {
  const state = row.state as CaseState;
  const from = data.suspendedFrom;
  return {
    state,
    suspendedFrom: state === 'suspended' ? (from !== null && CLOCK_STATES.includes(from) ? from : 'accepted') : null,
    extensionPending: data.extensionRequest !== null && CLOCK_STATES.includes(state),
    supervisionLevel: effectiveLevel(row),
  };
}

const iso = (ms: number | null): string | null => (ms == null ? null : toShanghaiIso(ms));

/** The clock, supervision and side facts of a case, as the console shows them. */
export function workflowView(db: Db, row: CaseRow, now: number, role?: WorkflowRole): CaseWorkflow {
  const clock = workClock(db);
  const data = parseCaseData(row.data);
  const snap = snapshotOf(row, data);
  const state = snap.state;
  const running = CLOCK_STATES.includes(state) && row.deadline_at !== null;
  const measuredAt = isTerminal(state) ? (row.closed_at ?? row.updated_at) : (row.paused_at ?? now);
  const allotted =
    row.deadline_at === null ? null : (row.limit_ms ?? (row.dispatched_at !== null ? clock.workingMsBetween(row.dispatched_at, row.deadline_at) : null));
  const remaining = row.deadline_at === null ? null : clock.remainingMs(measuredAt, row.deadline_at);
  const fraction = allotted !== null && remaining !== null && allotted > 0 ? 1 - remaining / allotted : null;
  const cat = getCategory(db, row.category_code);
  return {
    id: row.id,
    code: row.code,
    state,
    version: row.version,
    allowedActions: allowedActions(snap, role),
    clock: {
      running,
      pausedAt: iso(row.paused_at),
      dispatchedAt: iso(row.dispatched_at),
      deadlineAt: iso(row.deadline_at),
      allottedWorkMs: allotted,
      remainingWorkMs: remaining,
      fractionUsed: fraction === null ? null : Math.round(fraction * 10_000) / 10_000,
      warnAt: iso(row.warn_at),
      warning: row.warning === 1,
      overdue: row.overdue === 1,
    },
    supervision: { level: snap.supervisionLevel, name: SUPERVISION_LEVELS[snap.supervisionLevel]?.name ?? '', supervised: row.supervised === 1 },
    extensionRequest: data.extensionRequest
      ? { extension: data.extensionRequest.extension, note: data.extensionRequest.note, actor: data.extensionRequest.actor, at: toShanghaiIso(data.extensionRequest.at) }
      : null,
    suspendedFrom: snap.suspendedFrom,
    category: cat
      ? { code: cat.code, name: cat.name, limit: cat.limit, departmentCode: cat.departmentCode, filing: cat.filing, closing: cat.closing }
      : null,
    attachments: data.attachments.map((a) => ({ ...a, at: toShanghaiIso(a.at) })),
    links: data.links,
    mergedInto: data.mergedInto,
    possibleDuplicateOf: data.possibleDuplicateOf,
    externalId: data.externalId,
    reporterEmail: maskEmail(data.reporterEmail),
  };
}

/** z***@example.com */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.indexOf('@');
  if (at <= 0) return '*'.repeat(Math.min(8, email.length));
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

function insertEvent(
  db: Db,
  e: { caseId: string; at: number; action: string; from: CaseState | null; to: CaseState | null; actor: string; role: ActorRole; note: string; data: Record<string, unknown> },
): void {
  prep(db, 'INSERT INTO case_events(case_id, at, action, from_state, to_state, actor, role, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    e.caseId,
    e.at,
    e.action,
    e.from,
    e.to,
    e.actor,
    e.role,
    e.note,
    JSON.stringify(e.data),
  );
}

/** The next free case number of the report's day: PREFIXyyyymmdd-00001. */
export function nextCaseCode(db: Db, at: number): string {
  const prefix = getMeta(db, 'case_code_prefix') ?? DEFAULT_CASE_PREFIX;
  const stem = `${prefix}${shanghaiDay(at).replace(/-/g, '')}-`;
  let n = (prep(db, 'SELECT COUNT(*) FROM cases WHERE code >= ? AND code < ?').pluck().get(stem, `${stem}\uffff`) as number) ?? 0;
  const exists = prep(db, 'SELECT 1 FROM cases WHERE code = ?');
  let code: string;
  do {
    n += 1;
    code = `${stem}${String(n).padStart(5, '0')}`;
  } while (exists.get(code) !== undefined);
  return code;
}

const hasAreas = (db: Db): boolean => prep(db, 'SELECT 1 FROM areas LIMIT 1').get() !== undefined;

export interface CreatedCase {
  row: CaseRow;
  duplicates: DuplicateCandidate[];
  proposedMergeTarget: string | null;
}

export interface CreateArgs {
  source: CaseSource;
  categoryCode: string;
  lon: number;
  lat: number;
  urgency: Urgency;
  title?: string | undefined;
  description: string;
  address: string;
  reporter?: { name?: string | undefined; phone?: string | undefined; email?: string | undefined } | undefined;
  attachments: Attachment[];
  links: CaseData['links'];
  externalId?: string | undefined;
  /** ISO-8601; default now. */
  reportedAt?: string | undefined;
  actor: string;
  role: WorkflowRole;
}

/**
 * Insert a new case in state `reported` (inside the caller's transaction when there is one).
 * Field errors name the input field ('input.categoryCode'…); `fieldPrefix` changes 'input'.
 */
export function insertCase(ctx: CoreContext, args: CreateArgs, call: CallInfo, fieldPrefix = 'input'): CreatedCase {
  const { db } = ctx;
  const now = ctx.now();
  const cat = requireActiveCategory(db, args.categoryCode, `${fieldPrefix}.categoryCode`);
  const reportedAt = args.reportedAt !== undefined ? Date.parse(args.reportedAt) : now;
  if (!Number.isFinite(reportedAt)) throw new ApiFailure('validation', `${fieldPrefix}.reportedAt: not a date-time`, `${fieldPrefix}.reportedAt`);
  if (reportedAt > now + FUTURE_TOLERANCE_MS) throw new ApiFailure('validation', `${fieldPrefix}.reportedAt: the report time is in the future`, `${fieldPrefix}.reportedAt`);
  const chain = areaLocator(ctx).chain(args.lon, args.lat);
  if (chain.gridId === null && chain.communityId === null && chain.townId === null && chain.districtId === null && chain.cityId === null && hasAreas(db)) {
    throw new ApiFailure('validation', `${fieldPrefix}.lon: the point (${args.lon}, ${args.lat}) lies outside every area of this centre`, `${fieldPrefix}.lon`);
  }
  for (const link of args.links) {
    if (!getCaseRow(db, link.caseId)) throw new ApiFailure('validation', `${fieldPrefix}.links: no case with id ${link.caseId}`, `${fieldPrefix}.links`);
  }
  const duplicates = findDuplicates(db, { categoryCode: cat.code, lon: args.lon, lat: args.lat, at: reportedAt });
  const target = proposeMergeTarget(duplicates);
  const id = `case-${randomUUID()}`;
  const code = nextCaseCode(db, reportedAt);
  const title = (args.title ?? (args.address ? `${args.address} ${cat.name}` : cat.name)).slice(0, 200);
  const data: CaseData = parseCaseData('{}');
  data.attachments = args.attachments.map((a) => ({ ...a, at: now, actor: args.actor, action: 'report' }));
  data.links = args.links;
  data.reporterEmail = args.reporter?.email ?? null;
  data.externalId = args.externalId ?? null;
  data.possibleDuplicateOf = target;
  prep(
    db,
    `INSERT INTO cases(id, code, source, class_code, category_code, title, description, address, lon, lat, grid_id, community_id, town_id, district_id,
       urgency, state, reporter_name, reporter_phone, reported_at, data, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?, ?, ?, 1)`,
  ).run(
    id,
    code,
    args.source,
    cat.classCode,
    cat.code,
    title,
    args.description,
    args.address,
    args.lon,
    args.lat,
    chain.gridId,
    chain.communityId,
    chain.townId,
    chain.districtId,
    URGENCIES.indexOf(args.urgency),
    args.reporter?.name ?? null,
    args.reporter?.phone ?? null,
    reportedAt,
    serializeCaseData(data),
    now,
  );
  insertEvent(db, {
    caseId: id,
    at: now,
    action: 'report',
    from: null,
    to: 'reported',
    actor: args.actor,
    role: args.role,
    note: '',
    data: {
      source: args.source,
      transport: call.transport,
      ...(call.client ? { client: call.client } : {}),
      ...(args.externalId ? { externalId: args.externalId } : {}),
      ...(duplicates.length ? { duplicates: duplicates.map((d) => d.id) } : {}),
    },
  });
  const row = getCaseRow(db, id)!;
  return { row, duplicates, proposedMergeTarget: target };
}

/** cases.create: one transaction, then case.created. */
export function createCase(ctx: CoreContext, args: CreateArgs, call: CallInfo): CreatedCase {
  const created = ctx.db.transaction(() => insertCase(ctx, args, call))();
  emitCreated(ctx, created.row);
  return created;
}

export function emitCreated(ctx: CoreContext, row: CaseRow): void {
  ctx.touch(row.updated_at);
  ctx.bus.emit('case.created', { case: toSummary(row) });
}

function emitUpdated(ctx: CoreContext, row: CaseRow, action: string): void {
  ctx.touch(row.updated_at);
  ctx.bus.emit('case.updated', { case: toSummary(row), action });
}

type Column =
  | 'state'
  | 'registered_at'
  | 'dispatched_at'
  | 'deadline_at'
  | 'closed_at'
  | 'category_code'
  | 'class_code'
  | 'urgency'
  | 'department_id'
  | 'unit_id'
  | 'assignee_id'
  | 'overdue'
  | 'supervised'
  | 'supervision_level'
  | 'limit_ms'
  | 'warn_at'
  | 'warning'
  | 'paused_at'
  | 'data';
type Changes = Partial<Record<Column, string | number | null>>;

/** UPDATE … WHERE rid AND version: the optimistic lock; column names come from the Column type only. */
function writeCase(db: Db, row: CaseRow, changes: Changes, at: number): CaseRow {
  const cols = (Object.keys(changes) as Column[]).sort();
  const sql = `UPDATE cases SET ${cols.map((c) => `${c} = ?`).join(', ')}${cols.length ? ', ' : ''}updated_at = ?, version = version + 1 WHERE rid = ? AND version = ?`;
  const info = prep(db, sql).run(...cols.map((c) => changes[c] ?? null), at, row.rid, row.version);
  if (info.changes !== 1) throw new ApiFailure('conflict', `case ${row.code} changed meanwhile: reload it and try again`, 'input.version');
  return getCaseRow(db, row.id)!;
}

function requireDepartmentAndUnit(db: Db, departmentId: string, unitId: string, assigneeId: string | undefined): void {
  const dep = prep(db, 'SELECT id FROM departments WHERE id = ?').get(departmentId);
  if (!dep) throw new ApiFailure('validation', `input.departmentId: no department with id ${departmentId}`, 'input.departmentId');
  const unit = prep(db, 'SELECT department_id FROM units WHERE id = ?').get(unitId) as { department_id: string } | undefined;
  if (!unit) throw new ApiFailure('validation', `input.unitId: no unit with id ${unitId}`, 'input.unitId');
  if (unit.department_id !== departmentId) {
    throw new ApiFailure('validation', `input.unitId: unit ${unitId} belongs to department ${unit.department_id}, not ${departmentId}`, 'input.unitId');
  }
  if (assigneeId !== undefined) requireStaff(db, assigneeId);
}

function requireStaff(db: Db, staffId: string): void {
  if (!prep(db, 'SELECT 1 FROM staff WHERE id = ?').get(staffId)) throw new ApiFailure('validation', `input.assigneeId: no staff member with id ${staffId}`, 'input.assigneeId');
}

function limitOf(db: Db, categoryCode: string): TimeLimit {
  const cat = getCategory(db, categoryCode);
  if (cat) return cat.limit;
  const seed = categoryByCode.get(categoryCode);
  if (seed) return seed.limit;
  throw new ApiFailure('validation', `the case's category ${categoryCode} is not in the catalogue, so it has no time limit: register it with a valid category first`, 'input.action');
}

const warnAtFor = (clock: WorkClock, allotted: number, now: number, deadline: number): number => clock.instantAtFraction(allotted, now, deadline, WARNING_FRACTION);

export interface ActArgs {
  id: string;
  version: number;
  action: WorkflowAction;
  actor: string;
  role: WorkflowRole;
  fields: Record<string, unknown>;
}

export interface ActResult {
  row: CaseRow;
  /** Other cases changed by the action (the merge target). */
  others: CaseRow[];
}

/** Apply one action inside a transaction; throws ApiFailure (nothing written) when refused. */
export function applyAction(ctx: CoreContext, args: ActArgs, call: CallInfo): ActResult {
  const { db } = ctx;
  const row = getCaseRow(db, args.id);
  if (!row) throw new ApiFailure('not_found', `no case with id ${args.id}`, 'input.id');
  if (row.version !== args.version) {
    throw new ApiFailure('conflict', `case ${row.code} is at version ${row.version}, not ${args.version}: it changed meanwhile, reload it`, 'input.version');
  }
  const data = parseCaseData(row.data);
  const result = apply(snapshotOf(row, data), { action: args.action, role: args.role, fields: args.fields });
  if (!result.ok) throw new ApiFailure(result.error.code, `case ${row.code}: ${result.error.message}`, result.error.field);
  const step: WorkflowStep = result;
  const t = ctx.now();
  const clock = workClock(db);
  const f = step.fields;
  const changes: Changes = {};
  if (step.to !== step.from) changes.state = step.to;
  const eventData: Record<string, unknown> = { transport: call.transport, ...(call.client ? { client: call.client } : {}) };
  const addAttachments = (): void => {
    const list = Array.isArray(f.attachments) ? (f.attachments as Attachment[]) : [];
    if (list.length === 0) return;
    data.attachments.push(...list.map((a) => ({ ...a, at: t, actor: args.actor, action: step.action })));
    eventData.attachments = list;
  };
  let mergeTarget: CaseRow | null = null;

  switch (step.action) {
    case 'register': {
      changes.registered_at = t;
      if (typeof f.categoryCode === 'string' && f.categoryCode !== row.category_code) {
        const cat = requireActiveCategory(db, f.categoryCode, 'input.categoryCode');
        changes.category_code = cat.code;
        changes.class_code = cat.classCode;
        eventData.categoryFrom = row.category_code;
        eventData.categoryTo = cat.code;
      }
      if (typeof f.urgency === 'string') changes.urgency = URGENCIES.indexOf(f.urgency as (typeof URGENCIES)[number]);
      break;
    }
    case 'dispatch': {
      const departmentId = String(f.departmentId);
      const unitId = String(f.unitId);
      const assigneeId = typeof f.assigneeId === 'string' ? f.assigneeId : undefined;
      requireDepartmentAndUnit(db, departmentId, unitId, assigneeId);
      Object.assign(changes, { department_id: departmentId, unit_id: unitId, assignee_id: assigneeId ?? null, dispatched_at: t });
      Object.assign(eventData, { departmentId, unitId, ...(assigneeId ? { assigneeId } : {}) });
      break;
    }
    case 'accept': {
      if (typeof f.assigneeId === 'string') {
        requireStaff(db, f.assigneeId);
        changes.assignee_id = f.assigneeId;
        eventData.assigneeId = f.assigneeId;
      }
      break;
    }
    case 'return': {
      // The returning department/unit, for the 回退率 of whoever returned it.
      Object.assign(eventData, { departmentId: row.department_id, unitId: row.unit_id });
      changes.unit_id = null;
      changes.assignee_id = null;
      break;
    }
    case 'handle':
    case 'verify_pass':
    case 'verify_fail':
      addAttachments();
      break;
    case 'settle_on_spot':
      changes.registered_at = t;
      addAttachments();
      break;
    case 'request_extension': {
      const extension = f.extension as TimeLimit;
      data.extensionRequest = { extension, note: f.note, actor: args.actor, at: t };
      eventData.extension = extension;
      break;
    }
    case 'approve_extension':
    case 'reject_extension': {
      const req = data.extensionRequest;
      if (req) eventData.extension = req.extension;
      if (step.action === 'approve_extension' && req) data.extensions.push({ extension: req.extension, actor: args.actor, at: t });
      data.extensionRequest = null;
      break;
    }
    case 'suspend':
      data.suspendedFrom = step.from;
      break;
    case 'resume':
      data.suspendedFrom = null;
      break;
    case 'reopen':
      changes.closed_at = null;
      changes.supervised = 0;
      changes.supervision_level = 0;
      data.mergedInto = null;
      break;
    case 'supervise':
      changes.supervised = 1;
      changes.supervision_level = step.next.supervisionLevel;
      eventData.level = step.next.supervisionLevel;
      break;
    case 'merge': {
      const targetId = String(f.targetId);
      if (targetId === row.id) throw new ApiFailure('validation', 'input.targetId: a case cannot be merged into itself', 'input.targetId');
      const target = getCaseRow(db, targetId);
      if (!target) throw new ApiFailure('not_found', `no case with id ${targetId}`, 'input.targetId');
      if (isTerminal(target.state as CaseState)) {
        throw new ApiFailure('invalid_transition', `case ${target.code} is ${target.state}: merge into an open case`, 'input.targetId');
      }
      data.mergedInto = target.id;
      data.links.push({ caseId: target.id, kind: 'merged_into' });
      eventData.targetId = target.id;
      mergeTarget = target;
      break;
    }
  }
  if (!CLOCK_STATES.includes(step.to)) data.extensionRequest = null;

  switch (step.clock) {
    case 'start': {
      const limit = limitOf(db, (changes.category_code as string | undefined) ?? row.category_code);
      const allotted = clock.limitMs(limit);
      const deadline = clock.addWorkingMs(t, allotted);
      Object.assign(changes, {
        deadline_at: deadline,
        limit_ms: allotted,
        warn_at: warnAtFor(clock, allotted, t, deadline),
        warning: 0,
        overdue: 0,
        paused_at: null,
      });
      Object.assign(eventData, { deadlineAt: toShanghaiIso(deadline), limit });
      break;
    }
    case 'pause':
      changes.paused_at = t;
      if (row.deadline_at !== null && row.deadline_at <= t && row.overdue === 0) changes.overdue = 1;
      break;
    case 'resume': {
      if (row.paused_at !== null && row.deadline_at !== null) {
        const left = clock.workingMsBetween(row.paused_at, row.deadline_at);
        const deadline = left > 0 ? clock.addWorkingMs(t, left) : row.deadline_at;
        const allotted = row.limit_ms ?? Math.max(left, 1);
        const warnAt = warnAtFor(clock, allotted, t, deadline);
        Object.assign(changes, { deadline_at: deadline, limit_ms: allotted, warn_at: warnAt, warning: warnAt <= t ? 1 : 0 });
        eventData.deadlineAt = toShanghaiIso(deadline);
      }
      changes.paused_at = null;
      break;
    }
    case 'clear':
      Object.assign(changes, { deadline_at: null, limit_ms: null, warn_at: null, warning: 0, overdue: 0, paused_at: null });
      break;
    case 'extend': {
      const ext = (eventData.extension as TimeLimit | undefined) ?? null;
      if (ext) {
        const add = clock.limitMs(ext);
        const base = row.deadline_at ?? t;
        const deadline = clock.addWorkingMs(base, add);
        const allotted = (row.limit_ms ?? (row.dispatched_at !== null && row.deadline_at !== null ? clock.workingMsBetween(row.dispatched_at, row.deadline_at) : 0)) + add;
        const warnAt = warnAtFor(clock, allotted, t, deadline);
        Object.assign(changes, { deadline_at: deadline, limit_ms: allotted, warn_at: warnAt, warning: warnAt <= t ? 1 : 0 });
        if (deadline > t) changes.overdue = 0;
        eventData.deadlineAt = toShanghaiIso(deadline);
      }
      break;
    }
    case 'stop':
      changes.paused_at = null;
      if (step.to === 'closed') changes.closed_at = t;
      if (CLOCK_STATES.includes(step.from) && row.deadline_at !== null && row.deadline_at <= t && row.overdue === 0) changes.overdue = 1;
      break;
    case 'none':
      break;
  }
  changes.data = serializeCaseData(data);

  const after = writeCase(db, row, changes, t);
  insertEvent(db, { caseId: row.id, at: t, action: step.action, from: step.from, to: step.to, actor: args.actor, role: args.role, note: f.note, data: eventData });

  const others: CaseRow[] = [];
  if (mergeTarget) {
    const tData = parseCaseData(mergeTarget.data);
    tData.links.push({ caseId: row.id, kind: 'merged_from' });
    const tAfter = writeCase(db, mergeTarget, { data: serializeCaseData(tData) }, t);
    insertEvent(db, {
      caseId: mergeTarget.id,
      at: t,
      action: 'merge',
      from: mergeTarget.state as CaseState,
      to: mergeTarget.state as CaseState,
      actor: args.actor,
      role: args.role,
      note: `并入案件 ${row.code}${f.note ? `：${f.note}` : ''}`,
      data: { sourceId: row.id, transport: call.transport },
    });
    others.push(tAfter);
  }
  return { row: after, others };
}

/** cases.act: one transaction, then case.updated for every case touched. */
export function actOnCase(ctx: CoreContext, args: ActArgs, call: CallInfo): ActResult {
  const result = ctx.db.transaction(() => applyAction(ctx, args, call))();
  emitUpdated(ctx, result.row, args.action);
  for (const o of result.others) emitUpdated(ctx, o, args.action);
  return result;
}

export interface ScanResult {
  warned: number;
  overdue: number;
  filled: number;
  ms: number;
}

/** The partial indexes of migration 002 need their literal state list (code constants, not input). */
const CLOCK_SQL = `state IN ${CLOCK_STATES_SQL}`;

/**
 * The periodic deadline scan: flags cases past 80 % of their allotted time (预警) and cases past
 * their deadline (超期), which are supervised automatically; fills the allotted time of running
 * cases written by other writers. Uses only the partial indexes of migration 002.
 */
export function scanDeadlines(ctx: CoreContext): ScanResult {
  const started = performance.now();
  const { db } = ctx;
  const now = ctx.now();
  const clock = workClock(db);
  const touched: Array<{ id: string; action: string }> = [];
  let filled = 0;
  db.transaction(() => {
    const unset = prep(
      db,
      `SELECT rid, reported_at, dispatched_at, deadline_at FROM cases INDEXED BY cases_scan_unset WHERE ${CLOCK_SQL} AND deadline_at IS NOT NULL AND limit_ms IS NULL LIMIT 5000`,
    ).all() as Array<{ rid: number; reported_at: number; dispatched_at: number | null; deadline_at: number }>;
    for (const r of unset) {
      const origin = r.dispatched_at ?? r.reported_at;
      const allotted = Math.max(1, clock.workingMsBetween(origin, r.deadline_at));
      const warnAt = clock.addWorkingMs(origin, Math.round(allotted * WARNING_FRACTION));
      prep(db, 'UPDATE cases SET limit_ms = ?, warn_at = ? WHERE rid = ?').run(allotted, warnAt, r.rid);
    }
    filled = unset.length;

    // What the deadline clock records on a case by itself (state unchanged, the deadline noted).
    const clockEvent = (row: CaseRow, action: 'warning' | 'supervise', note: string, data: Record<string, unknown>): void =>
      insertEvent(db, {
        caseId: row.id,
        at: now,
        action,
        from: row.state as CaseState,
        to: row.state as CaseState,
        actor: 'system',
        role: 'system',
        note,
        data: { ...data, deadlineAt: row.deadline_at === null ? null : toShanghaiIso(row.deadline_at) },
      });
    const warnRows = prep(db, `SELECT * FROM cases INDEXED BY cases_scan_warning WHERE ${CLOCK_SQL} AND warning = 0 AND warn_at <= ?`).all(now) as CaseRow[];
    for (const row of warnRows) {
      if (row.deadline_at !== null && row.deadline_at <= now) continue; // the overdue pass below records it
      writeCase(db, row, { warning: 1 }, now);
      clockEvent(row, 'warning', `已用处置时限的${Math.round(WARNING_FRACTION * 100)}%`, {});
      touched.push({ id: row.id, action: 'warning' });
    }

    const dueRows = prep(db, `SELECT * FROM cases INDEXED BY cases_scan_overdue WHERE ${CLOCK_SQL} AND overdue = 0 AND deadline_at <= ?`).all(now) as CaseRow[];
    for (const row of dueRows) {
      const step = apply(snapshotOf(row, parseCaseData(row.data)), { action: 'supervise', role: 'system', fields: { note: '超过处置时限，自动督办' } });
      const level = step.ok ? step.next.supervisionLevel : effectiveLevel(row);
      writeCase(db, row, { overdue: 1, warning: 1, supervised: 1, supervision_level: level }, now);
      clockEvent(row, 'supervise', '超过处置时限，自动督办', { auto: true, reason: 'overdue', level });
      touched.push({ id: row.id, action: 'overdue' });
    }
  })();
  for (const t of touched) {
    const row = getCaseRow(db, t.id);
    if (row) emitUpdated(ctx, row, t.action);
  }
  return {
    warned: touched.filter((t) => t.action === 'warning').length,
    overdue: touched.filter((t) => t.action === 'overdue').length,
    filled,
    ms: performance.now() - started,
  };
}
