/**
 * The seat: who works at this console and in which role (坐席员, 指挥长, 处置单位, 核查员, 督办员).
 * Every workflow action is recorded with this name as actor and this role; both are remembered
 * in the browser so a shift starts where it left off.
 */
import { WORKFLOW_ROLES, type WorkflowRole } from '../../../shared/domain/workflow';
import type { StorageLike } from '../i18n/locale';

export interface Seat {
  role: WorkflowRole;
  /** The operator's name as the audit trail records it; empty until typed in. */
  name: string;
}

export const SEAT_STORAGE_KEY = 'cityops.console.seat';
export const DEFAULT_SEAT: Seat = { role: 'operator', name: '' };
/** The core's limit for an actor (shared/api/workflow.ts actorSchema). */
export const MAX_ACTOR_LENGTH = 60;

const isRole = (v: unknown): v is WorkflowRole => typeof v === 'string' && (WORKFLOW_ROLES as readonly string[]).includes(v);

/** Parse what was stored; anything unreadable gives the default seat. */
export function parseSeat(raw: string | null): Seat {
  if (raw === null) return DEFAULT_SEAT;
  try {
    const v = JSON.parse(raw) as { role?: unknown; name?: unknown };
    return {
      role: isRole(v.role) ? v.role : DEFAULT_SEAT.role,
      name: typeof v.name === 'string' ? v.name.slice(0, MAX_ACTOR_LENGTH) : '',
    };
  } catch {
    return DEFAULT_SEAT;
  }
}

export function loadSeat(storage: StorageLike | null): Seat {
  try {
    return parseSeat(storage?.getItem(SEAT_STORAGE_KEY) ?? null);
  } catch {
    return DEFAULT_SEAT;
  }
}

export function saveSeat(storage: StorageLike | null, seat: Seat): void {
  try {
    storage?.setItem(SEAT_STORAGE_KEY, JSON.stringify(seat));
  } catch {
    // Storage unavailable: the seat lasts for this page only.
  }
}

/** The actor to record, or null while the seat has no name (actions wait for one). */
export function actorOf(seat: Seat): string | null {
  const name = seat.name.trim();
  return name.length > 0 ? name.slice(0, MAX_ACTOR_LENGTH) : null;
}
