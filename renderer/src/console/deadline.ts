/**
 * How a case's deadline reads in the queue and the detail (pure): the time left or overdue by,
 * and its tone: running normally, past 80 % of the allotted time (预警), overdue, or paused while
 * the case waits for verification or is parked (挂账).
 */
import type { CaseState, CaseSummary } from '../../../shared/domain/model';
import { CLOCK_STATES, TERMINAL_STATES } from '../../../shared/domain/workflow';

export type DeadlineTone = 'none' | 'ok' | 'warning' | 'overdue' | 'paused' | 'done';

/** States in which the clock is stopped but the deadline still matters (handled: waits for 核查). */
const PAUSED_STATES: readonly CaseState[] = ['handled', 'suspended'];

export function deadlineTone(c: Pick<CaseSummary, 'state' | 'deadlineAt' | 'overdue' | 'warning'>, now: number): DeadlineTone {
  if (TERMINAL_STATES.includes(c.state)) return 'done';
  if (c.deadlineAt === null) return 'none';
  if (PAUSED_STATES.includes(c.state)) return 'paused';
  if (!CLOCK_STATES.includes(c.state)) return 'none';
  if (c.overdue || Date.parse(c.deadlineAt) <= now) return 'overdue';
  return c.warning ? 'warning' : 'ok';
}

/** The share of an allotted working time used, clamped for drawing a bar (0…1). */
export function usedFraction(fraction: number | null): number {
  if (fraction === null || !Number.isFinite(fraction)) return 0;
  return Math.max(0, Math.min(1, fraction));
}
