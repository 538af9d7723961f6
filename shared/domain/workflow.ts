/**
 * The case workflow (GB/T 30428 closed loop) as a pure state machine: states, actions, who may
 * take them, the fields each requires, and what each does to the state and the deadline clock.
 * No I/O: the core applies the result to the store in one transaction (main/core/cases/workflow.ts).
 *
 *   reported ──register──▶ registered ──dispatch──▶ dispatched ──accept──▶ accepted ──handle──▶ handled
 *      │  └─settle_on_spot─▶ closed          ▲   │            │             │  ▲                 │  │
 *      └─cancel─▶ cancelled                  │   └─return──▶ returned ◀─return┘  └──verify_fail── │  │
 *                                            └──────dispatch──┘                (rework ─handle─▶) │  │
 *                                                                      closed ◀──verify_pass─────┘  │
 *   dispatched/accepted/rework ──suspend──▶ suspended ──resume──▶ (where it was)
 *   closed ──reopen──▶ registered; cancelled ──reopen──▶ reported (terminal states only reopen)
 *   request/approve/reject_extension, supervise: no state change; merge: the duplicate → cancelled
 */
import { z } from 'zod';
import { CASE_STATES, idSchema, urgencySchema, type CaseState } from './model';

/** The people who act on cases: 坐席员, 指挥长, 处置单位, 核查员, 督办员. */
export const WORKFLOW_ROLES = ['operator', 'commander', 'unit', 'inspector', 'supervisor'] as const;
export type WorkflowRole = (typeof WORKFLOW_ROLES)[number];
export const workflowRoleSchema = z.enum(WORKFLOW_ROLES);
/** Automatic actions (overdue supervision) are recorded with the role 'system'. */
export type ActorRole = WorkflowRole | 'system';

export const WORKFLOW_ACTIONS = [
  'register', // 立案
  'cancel', // 不予立案 (with a reason)
  'dispatch', // 派遣 to a department and unit: the deadline clock starts
  'accept', // 签收
  'return', // 回退: the unit says the case is not theirs
  'handle', // 处置反馈, with a note and photos
  'verify_pass', // 核查通过 → 结案
  'verify_fail', // 核查不通过 → 返工
  'request_extension', // 申请延期
  'approve_extension', // 批准延期: the deadline moves
  'reject_extension', // 驳回延期
  'suspend', // 挂账: cannot be solved within the limit; the clock pauses
  'resume', // 恢复 a suspended case
  'reopen', // 重新打开 a closed or cancelled case
  'supervise', // 督办, with escalation to the next level
  'settle_on_spot', // 当场解决: register and close in one recorded step
  'merge', // 合并 a duplicate into another open case
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];
export const workflowActionSchema = z.enum(WORKFLOW_ACTIONS);

/** States in which the handling clock runs (and a case can become overdue). */
export const CLOCK_STATES: readonly CaseState[] = ['dispatched', 'accepted', 'rework'];
export const TERMINAL_STATES: readonly CaseState[] = ['cancelled', 'closed'];
export const isTerminal = (s: CaseState): boolean => TERMINAL_STATES.includes(s);

/** 督办 levels: 0 none, 1 指挥中心督办, 2 区级督办, 3 市级督办. */
export const SUPERVISION_LEVELS = [
  { level: 0, name: '未督办', nameEn: 'none' },
  { level: 1, name: '中心督办', nameEn: 'centre' },
  { level: 2, name: '区级督办', nameEn: 'district' },
  { level: 3, name: '市级督办', nameEn: 'city' },
] as const;
export const MAX_SUPERVISION_LEVEL = 3;

/** The share of the allotted time at which a case is flagged (预警). */
export const WARNING_FRACTION = 0.8;

export const ATTACHMENT_KINDS = ['photo', 'video', 'audio', 'document'] as const;
/** A reference to a stored file or URL (the bytes live elsewhere). */
export const attachmentSchema = z
  .object({
    kind: z.enum(ATTACHMENT_KINDS),
    url: z.string().min(1).max(2000),
    name: z.string().max(200).optional(),
  })
  .strict();
export type Attachment = z.infer<typeof attachmentSchema>;

export const timeLimitSchema = z
  .object({ unit: z.enum(['work_hours', 'work_days']), value: z.number().positive().max(1000) })
  .strict();

const note = z.string().trim().max(2000);
/** A note that the action cannot go without (a reason, a result). */
const reason = (what: string) => z.string().trim().min(2, `${what} is required`).max(2000);
const attachments = z.array(attachmentSchema).max(20).default([]);

/** The fields each action takes, beyond id/version/actor/role. */
export const ACTION_FIELDS = {
  register: z.object({ note: note.default(''), categoryCode: z.string().min(1).max(20).optional(), urgency: urgencySchema.optional() }).strict(),
  cancel: z.object({ note: reason('a reason for not registering') }).strict(),
  dispatch: z.object({ note: note.default(''), departmentId: idSchema, unitId: idSchema, assigneeId: idSchema.optional() }).strict(),
  accept: z.object({ note: note.default(''), assigneeId: idSchema.optional() }).strict(),
  return: z.object({ note: reason('a reason for returning the case') }).strict(),
  handle: z.object({ note: reason('a note on what was done'), attachments }).strict(),
  verify_pass: z.object({ note: note.default(''), attachments }).strict(),
  verify_fail: z.object({ note: reason('a reason for failing verification'), attachments }).strict(),
  request_extension: z.object({ note: reason('a reason for the extension'), extension: timeLimitSchema }).strict(),
  approve_extension: z.object({ note: note.default('') }).strict(),
  reject_extension: z.object({ note: reason('a reason for rejecting the extension') }).strict(),
  suspend: z.object({ note: reason('a reason for suspending the case') }).strict(),
  resume: z.object({ note: note.default('') }).strict(),
  reopen: z.object({ note: reason('a reason for reopening the case') }).strict(),
  supervise: z.object({ note: reason('a supervision note'), level: z.number().int().min(1).max(MAX_SUPERVISION_LEVEL).optional() }).strict(),
  settle_on_spot: z.object({ note: reason('a note on how it was settled'), attachments }).strict(),
  merge: z.object({ note: note.default(''), targetId: idSchema }).strict(),
} as const satisfies Record<WorkflowAction, z.ZodType>;
export type ActionFields<A extends WorkflowAction> = z.output<(typeof ACTION_FIELDS)[A]>;

/** What an action does to the deadline clock; the core turns it into times. */
export type ClockEffect =
  | 'none'
  | 'start' // dispatch: deadline = now + the category's limit on the working clock
  | 'pause' // handle, suspend: the unit's clock stops
  | 'resume' // verify_fail, resume: the clock runs again with the time it had left
  | 'clear' // return, reopen: no deadline until the next dispatch
  | 'extend' // approve_extension: the deadline moves by the approved amount
  | 'stop'; // close, cancel by merge: the clock stops for good

/** The part of a case the workflow reads and writes. */
export interface WorkflowSnapshot {
  readonly state: CaseState;
  /** Where a suspended case resumes; set exactly when state is 'suspended'. */
  readonly suspendedFrom: CaseState | null;
  /** An extension request awaits a decision; only in a clock state. */
  readonly extensionPending: boolean;
  /** 0 none … 3 city level. */
  readonly supervisionLevel: number;
}

interface Rule {
  readonly from: readonly CaseState[];
  readonly roles: readonly ActorRole[];
  /** The next state; undefined keeps the current one. */
  readonly to?: (s: WorkflowSnapshot) => CaseState;
  /** An extra condition; returns why the action is not possible now. */
  readonly guard?: (s: WorkflowSnapshot) => string | null;
  readonly clock: ClockEffect;
}

const OPEN: readonly CaseState[] = ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'handled', 'rework'];

export const RULES: Readonly<Record<WorkflowAction, Rule>> = {
  register: { from: ['reported'], roles: ['operator', 'commander'], to: () => 'registered', clock: 'none' },
  cancel: { from: ['reported', 'registered', 'returned'], roles: ['operator', 'commander'], to: () => 'cancelled', clock: 'none' },
  settle_on_spot: { from: ['reported'], roles: ['operator', 'commander', 'unit'], to: () => 'closed', clock: 'stop' },
  dispatch: { from: ['registered', 'returned'], roles: ['operator', 'commander'], to: () => 'dispatched', clock: 'start' },
  accept: { from: ['dispatched'], roles: ['unit'], to: () => 'accepted', clock: 'none' },
  return: { from: ['dispatched', 'accepted'], roles: ['unit'], to: () => 'returned', clock: 'clear' },
  handle: { from: ['accepted', 'rework'], roles: ['unit'], to: () => 'handled', clock: 'pause' },
  verify_pass: { from: ['handled'], roles: ['inspector', 'commander'], to: () => 'closed', clock: 'stop' },
  verify_fail: { from: ['handled'], roles: ['inspector', 'commander'], to: () => 'rework', clock: 'resume' },
  request_extension: {
    from: CLOCK_STATES,
    roles: ['unit'],
    guard: (s) => (s.extensionPending ? 'an extension request is already waiting for a decision' : null),
    clock: 'none',
  },
  approve_extension: {
    from: CLOCK_STATES,
    roles: ['commander'],
    guard: (s) => (s.extensionPending ? null : 'no extension request is waiting for a decision'),
    clock: 'extend',
  },
  reject_extension: {
    from: CLOCK_STATES,
    roles: ['commander'],
    guard: (s) => (s.extensionPending ? null : 'no extension request is waiting for a decision'),
    clock: 'none',
  },
  suspend: { from: CLOCK_STATES, roles: ['commander'], to: () => 'suspended', clock: 'pause' },
  resume: { from: ['suspended'], roles: ['commander', 'operator'], to: (s) => s.suspendedFrom ?? 'accepted', clock: 'resume' },
  reopen: {
    from: TERMINAL_STATES,
    roles: ['commander', 'supervisor'],
    to: (s) => (s.state === 'closed' ? 'registered' : 'reported'),
    clock: 'clear',
  },
  supervise: {
    from: [...OPEN, 'suspended'],
    roles: ['supervisor', 'commander', 'system'],
    guard: (s) => (s.supervisionLevel >= MAX_SUPERVISION_LEVEL ? `the case is already supervised at the highest level (${MAX_SUPERVISION_LEVEL})` : null),
    clock: 'none',
  },
  merge: { from: OPEN, roles: ['operator', 'commander'], to: () => 'cancelled', clock: 'stop' },
};

export interface WorkflowCommand {
  readonly action: WorkflowAction;
  readonly role: ActorRole;
  /** The action's fields (validated against ACTION_FIELDS[action]). */
  readonly fields?: unknown;
}

export interface WorkflowError {
  readonly code: 'invalid_transition' | 'forbidden' | 'validation';
  readonly message: string;
  /** Actions possible in the current state (for any role). */
  readonly allowed: WorkflowAction[];
  readonly field?: string;
}

export interface WorkflowStep {
  readonly ok: true;
  readonly action: WorkflowAction;
  readonly from: CaseState;
  readonly to: CaseState;
  readonly next: WorkflowSnapshot;
  readonly clock: ClockEffect;
  /** The validated fields, defaults applied. */
  readonly fields: Record<string, unknown> & { note: string };
}

export type ApplyResult = WorkflowStep | { readonly ok: false; readonly error: WorkflowError };

const ruleAllows = (rule: Rule, s: WorkflowSnapshot): boolean => rule.from.includes(s.state) && (!rule.guard || rule.guard(s) === null);

/** Actions possible from this snapshot, optionally only those the role may take. */
export function allowedActions(s: WorkflowSnapshot, role?: ActorRole): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => {
    const rule = RULES[a];
    return ruleAllows(rule, s) && (role === undefined || rule.roles.includes(role));
  });
}

/**
 * Apply one action. Never throws; on error nothing changes (the snapshot is immutable).
 * Checks, in order: the state allows the action (invalid_transition, naming the state and the
 * allowed actions), its guard (invalid_transition), the role (forbidden), the fields (validation).
 */
export function apply(s: WorkflowSnapshot, cmd: WorkflowCommand): ApplyResult {
  const rule = RULES[cmd.action];
  const allowed = allowedActions(s);
  if (!rule) return { ok: false, error: { code: 'validation', message: `unknown action ${String(cmd.action)}`, allowed, field: 'input.action' } };
  if (!rule.from.includes(s.state)) {
    return {
      ok: false,
      error: {
        code: 'invalid_transition',
        message: `cannot ${cmd.action} a case in state ${s.state}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`,
        allowed,
      },
    };
  }
  const why = rule.guard?.(s) ?? null;
  if (why !== null && !(cmd.action === 'supervise' && cmd.role === 'system')) {
    return { ok: false, error: { code: 'invalid_transition', message: `cannot ${cmd.action} (state ${s.state}): ${why}; allowed: ${allowed.join(', ') || 'none'}`, allowed } };
  }
  if (!rule.roles.includes(cmd.role)) {
    return {
      ok: false,
      error: { code: 'forbidden', message: `the role ${cmd.role} may not ${cmd.action}; roles allowed: ${rule.roles.filter((r) => r !== 'system').join(', ')}`, allowed },
    };
  }
  const parsed = ACTION_FIELDS[cmd.action].safeParse(cmd.fields ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length ? `input.${issue.path.map(String).join('.')}` : 'input';
    return { ok: false, error: { code: 'validation', message: `${path}: ${issue?.message ?? 'invalid'}`, allowed, field: path } };
  }
  const fields = parsed.data as Record<string, unknown> & { note: string };
  const to = rule.to ? rule.to(s) : s.state;

  let supervisionLevel = s.supervisionLevel;
  if (cmd.action === 'supervise') {
    if (cmd.role === 'system') supervisionLevel = Math.max(1, s.supervisionLevel);
    else {
      const asked = typeof fields.level === 'number' ? fields.level : s.supervisionLevel + 1;
      if (asked <= s.supervisionLevel) {
        return {
          ok: false,
          error: { code: 'validation', message: `input.level: escalation must go above the current level ${s.supervisionLevel}`, allowed, field: 'input.level' },
        };
      }
      supervisionLevel = Math.min(MAX_SUPERVISION_LEVEL, asked);
    }
  }
  let extensionPending = s.extensionPending;
  if (cmd.action === 'request_extension') extensionPending = true;
  else if (cmd.action === 'approve_extension' || cmd.action === 'reject_extension') extensionPending = false;
  if (!CLOCK_STATES.includes(to)) extensionPending = false;

  const next: WorkflowSnapshot = {
    state: to,
    suspendedFrom: to === 'suspended' ? (s.state === 'suspended' ? s.suspendedFrom : s.state) : null,
    extensionPending,
    supervisionLevel: cmd.action === 'reopen' ? 0 : supervisionLevel,
  };
  return { ok: true, action: cmd.action, from: s.state, to, next, clock: rule.clock, fields };
}

/** One line of a case's history. */
export interface HistoryEntry {
  readonly at: number;
  readonly action: string;
  readonly fromState: CaseState | null;
  readonly toState: CaseState | null;
  readonly actor: string;
  readonly role: ActorRole;
  readonly note: string;
}

/** The history entry a successful step records. */
export function historyEntry(step: WorkflowStep, actor: string, role: ActorRole, at: number): HistoryEntry {
  return { at, action: step.action, fromState: step.from, toState: step.to, actor, role, note: step.fields.note };
}

/** Whether a snapshot is internally consistent (used by tests and by the store's sanity checks). */
export function isValidSnapshot(s: WorkflowSnapshot): boolean {
  if (!CASE_STATES.includes(s.state)) return false;
  if ((s.state === 'suspended') !== (s.suspendedFrom !== null)) return false;
  if (s.suspendedFrom !== null && !CLOCK_STATES.includes(s.suspendedFrom)) return false;
  if (s.extensionPending && !CLOCK_STATES.includes(s.state)) return false;
  return Number.isInteger(s.supervisionLevel) && s.supervisionLevel >= 0 && s.supervisionLevel <= MAX_SUPERVISION_LEVEL;
}

export const initialSnapshot = (): WorkflowSnapshot => ({ state: 'reported', suspendedFrom: null, extensionPending: false, supervisionLevel: 0 });
