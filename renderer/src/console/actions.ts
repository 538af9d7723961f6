/**
 * The console's workflow actions: their keyboard shortcuts, the order of the buttons, and which
 * dialog (if any) collects the fields an action needs (shared/domain/workflow.ts ACTION_FIELDS).
 * Pure: the screen decides what to show from cases.workflow's allowed actions for the seat's role.
 */
import type { CaseActInput } from '../../../shared/api/workflow';
import type { Attachment, WorkflowAction } from '../../../shared/domain/workflow';

/** One letter per action, shown on its button. Merge is offered in the duplicates panel. */
export const ACTION_SHORTCUTS: Readonly<Partial<Record<WorkflowAction, string>>> = {
  register: 'R',
  dispatch: 'D',
  accept: 'A',
  handle: 'H',
  verify_pass: 'P',
  verify_fail: 'F',
  return: 'B',
  cancel: 'X',
  request_extension: 'E',
  approve_extension: 'V',
  reject_extension: 'J',
  supervise: 'S',
  suspend: 'G',
  resume: 'U',
  reopen: 'O',
  settle_on_spot: 'Q',
};

/** Buttons in the order of the closed loop, the side paths after it. */
export const ACTION_ORDER: readonly WorkflowAction[] = [
  'register',
  'settle_on_spot',
  'dispatch',
  'accept',
  'handle',
  'verify_pass',
  'verify_fail',
  'approve_extension',
  'reject_extension',
  'resume',
  'request_extension',
  'return',
  'supervise',
  'suspend',
  'cancel',
  'reopen',
];

/** Actions that move the case forward (drawn as primary buttons). */
export const PRIMARY_ACTIONS: ReadonlySet<WorkflowAction> = new Set(['register', 'dispatch', 'accept', 'handle', 'verify_pass', 'approve_extension', 'resume']);

/**
 * What collects an action's fields:
 * - none: taken at once with one click (its fields are all optional);
 * - dispatch: the dispatch dialog with the proposed assignee;
 * - reason: a required reason;
 * - report: a required note plus photo references (handling feedback, failed check, settled on the spot);
 * - extension: days or hours plus a reason;
 * - supervise: the level plus a note.
 */
export type ActionDialog = 'none' | 'dispatch' | 'reason' | 'report' | 'extension' | 'supervise';

export function dialogFor(action: WorkflowAction): ActionDialog {
  switch (action) {
    case 'register':
    case 'accept':
    case 'verify_pass':
    case 'approve_extension':
    case 'resume':
      return 'none';
    case 'dispatch':
      return 'dispatch';
    case 'handle':
    case 'verify_fail':
    case 'settle_on_spot':
      return 'report';
    case 'request_extension':
      return 'extension';
    case 'supervise':
      return 'supervise';
    case 'cancel':
    case 'return':
    case 'reject_extension':
    case 'suspend':
    case 'reopen':
    case 'merge':
      return 'reason';
  }
}

/** The buttons to show: the allowed actions in loop order (merge lives in the duplicates panel). */
export function visibleActions(allowed: readonly WorkflowAction[]): WorkflowAction[] {
  return ACTION_ORDER.filter((a) => allowed.includes(a));
}

/** The allowed action a key press stands for (case-insensitive), or null. */
export function actionForKey(key: string, allowed: readonly WorkflowAction[]): WorkflowAction | null {
  if (key.length !== 1) return null;
  const k = key.toUpperCase();
  for (const a of visibleActions(allowed)) if (ACTION_SHORTCUTS[a] === k) return a;
  return null;
}

/** Whether a key event should be read as a shortcut: not while typing, not with modifiers. */
export function isShortcutTarget(target: { tagName?: string; isContentEditable?: boolean } | null, mods: { ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  if (mods.ctrlKey || mods.metaKey || mods.altKey) return false;
  if (!target) return true;
  if (target.isContentEditable) return false;
  const tag = (target.tagName ?? '').toUpperCase();
  return tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT';
}

/** Photo references typed one per line (URLs or file names) as attachments. */
export function photoRefs(text: string): Attachment[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, 20)
    .map((url) => ({ kind: 'photo' as const, url: url.slice(0, 2000) }));
}

/** What a dialog collected, turned into the fields of cases.act (beyond id/version/actor/role). */
export type ActionFieldsInput =
  | { kind: 'none' }
  | { kind: 'reason'; note: string }
  | { kind: 'report'; note: string; photos: string }
  | { kind: 'extension'; note: string; amount: number; unit: 'work_days' | 'work_hours' }
  | { kind: 'supervise'; note: string; level: number }
  | { kind: 'dispatch'; note: string; departmentId: string; unitId: string; assigneeId: string | null };

type Base = { id: string; version: number; actor: string; role: CaseActInput['role'] };

/** The cases.act input for an action; null when the collected fields do not fit the action. */
export function buildActInput(action: WorkflowAction, base: Base, input: ActionFieldsInput): CaseActInput | null {
  switch (action) {
    case 'register':
    case 'accept':
    case 'verify_pass':
    case 'approve_extension':
    case 'resume':
      return { ...base, action, note: input.kind === 'reason' || input.kind === 'report' ? input.note : '' };
    case 'cancel':
    case 'return':
    case 'reject_extension':
    case 'suspend':
    case 'reopen':
      return input.kind === 'reason' ? { ...base, action, note: input.note } : null;
    case 'handle':
    case 'verify_fail':
    case 'settle_on_spot':
      return input.kind === 'report' ? { ...base, action, note: input.note, attachments: photoRefs(input.photos) } : null;
    case 'request_extension':
      return input.kind === 'extension' ? { ...base, action, note: input.note, extension: { unit: input.unit, value: input.amount } } : null;
    case 'supervise':
      return input.kind === 'supervise' ? { ...base, action, note: input.note, level: input.level } : null;
    case 'dispatch':
      if (input.kind !== 'dispatch') return null;
      return input.assigneeId
        ? { ...base, action, note: input.note, departmentId: input.departmentId, unitId: input.unitId, assigneeId: input.assigneeId }
        : { ...base, action, note: input.note, departmentId: input.departmentId, unitId: input.unitId };
    case 'merge':
      return null;
  }
}
