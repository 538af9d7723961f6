/**
 * The work calendar in the settings table (key 'work_calendar'), and the compiled WorkClock that
 * every deadline computation uses. Until a calendar is saved, the shipped default applies
 * (08:30–12:00, 13:30–17:30, Monday–Friday, the State Council schedules of 2025 and 2026).
 */
import { ApiFailure } from '../../../shared/api/contract';
import { DEFAULT_WORK_CALENDAR, WorkClock, workCalendarSchema, type WorkCalendar } from '../../../shared/domain/workclock';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { prep } from '../db/sql';

export const CALENDAR_KEY = 'work_calendar';

export interface CalendarState {
  calendar: WorkCalendar;
  source: 'default' | 'store';
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

interface SettingRow {
  value: string;
  updated_at: number;
  version: number;
}

const readRow = (db: Db): SettingRow | undefined => prep(db, 'SELECT value, updated_at, version FROM settings WHERE key = ?').get(CALENDAR_KEY) as SettingRow | undefined;

function parseStored(row: SettingRow): { calendar: WorkCalendar; updatedBy: string | null } | null {
  try {
    const raw = JSON.parse(row.value) as { calendar?: unknown; updatedBy?: unknown };
    const parsed = workCalendarSchema.safeParse(raw.calendar);
    if (!parsed.success) return null;
    return { calendar: parsed.data, updatedBy: typeof raw.updatedBy === 'string' ? raw.updatedBy : null };
  } catch {
    return null;
  }
}

export function readCalendar(db: Db): CalendarState {
  const row = readRow(db);
  const stored = row ? parseStored(row) : null;
  if (!row || !stored) return { calendar: DEFAULT_WORK_CALENDAR, source: 'default', version: row?.version ?? 0, updatedAt: null, updatedBy: null };
  return { calendar: stored.calendar, source: 'store', version: row.version, updatedAt: toShanghaiIso(row.updated_at), updatedBy: stored.updatedBy };
}

const clocks = new WeakMap<Db, { stamp: string; clock: WorkClock }>();

/** The clock of the calendar in force (compiled once per saved version). */
export function workClock(db: Db): WorkClock {
  const row = readRow(db);
  const stamp = row ? `${row.version}:${row.updated_at}` : 'default';
  const cached = clocks.get(db);
  if (cached && cached.stamp === stamp) return cached.clock;
  const stored = row ? parseStored(row) : null;
  const clock = new WorkClock(stored ? stored.calendar : DEFAULT_WORK_CALENDAR);
  clocks.set(db, { stamp, clock });
  return clock;
}

export function writeCalendar(db: Db, args: { calendar: WorkCalendar; version: number; actor: string }, now: number): CalendarState {
  return db.transaction(() => {
    const row = readRow(db);
    const current = row?.version ?? 0;
    if (current !== args.version) {
      throw new ApiFailure('conflict', `the work calendar is at version ${current}, not ${args.version}: reload it and edit again`, 'input.version');
    }
    // A calendar without any working time would make every deadline impossible.
    const probe = new WorkClock(args.calendar);
    try {
      probe.addWorkingMs(now, 1);
    } catch {
      throw new ApiFailure('validation', 'input.calendar: the calendar has no working time in the next ten years', 'input.calendar');
    }
    const value = JSON.stringify({ calendar: args.calendar, updatedBy: args.actor });
    if (row) prep(db, 'UPDATE settings SET value = ?, updated_at = ?, version = version + 1 WHERE key = ? AND version = ?').run(value, now, CALENDAR_KEY, current);
    else prep(db, 'INSERT INTO settings(key, value, updated_at, version) VALUES (?, ?, ?, 1)').run(CALENDAR_KEY, value, now);
    return readCalendar(db);
  })();
}
