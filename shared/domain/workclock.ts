/**
 * The working-time clock (工作时钟) on which case deadlines run. Pure: no Node, no DOM.
 *
 * - Working periods of a working day are configurable; the default is 08:30–12:00 and 13:30–17:30
 *   in Asia/Shanghai (fixed UTC+8, no DST, see ../time.ts), i.e. 7.5 working hours a day.
 * - A day is a working day when it is listed as an adjusted working day (调休上班), or else when it
 *   is not a public holiday and its weekday is a normal working weekday (Monday–Friday by default).
 *   Holidays and adjusted working days are configured per year (shipped: ./holidays.ts).
 * - Limits in working days are converted to working time: N working days = N × the length of a
 *   standard working day (the sum of the periods). A case dispatched at 16:00 with a limit of one
 *   working day is therefore due at 15:30 on the next working day, and limits in working hours and
 *   working days mix freely (extensions, pauses, fractions).
 * - A deadline that falls exactly at the end of a period is that end (12:00, not 13:30).
 * - Years without a schedule are treated as plain weekday/weekend years.
 */
import { z } from 'zod';
import { CN_SCHEDULES, type YearSchedule } from './holidays';
import type { TimeLimit } from './catalogue';
import { DAY_MS, SHANGHAI_OFFSET_MS } from '../time';

export type { YearSchedule } from './holidays';

const HOUR_MS = 3_600_000;
/** A calendar without working time inside this many days is refused rather than looped over. */
const MAX_SCAN_DAYS = 3_700;

const hhmmSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM');
const dayStringSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar day');

export const workPeriodSchema = z.object({ start: hhmmSchema, end: hhmmSchema }).strict();
export const yearScheduleSchema = z
  .object({
    holidays: z.array(dayStringSchema).max(366),
    workdays: z.array(dayStringSchema).max(366),
    source: z.string().max(500).default(''),
  })
  .strict();

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const workCalendarSchema = z
  .object({
    /** Working periods of a working day, ascending and non-overlapping, Asia/Shanghai clock. */
    periods: z.array(workPeriodSchema).min(1).max(8),
    /** Normal working weekdays, 0 = Sunday … 6 = Saturday. */
    weekdays: z.array(z.number().int().min(0).max(6)).max(7),
    /** Official schedules by year ('2026' → holidays and adjusted working days). */
    years: z.record(z.string().regex(/^\d{4}$/), yearScheduleSchema),
  })
  .strict()
  .superRefine((cal, ctx) => {
    let prevEnd = -1;
    cal.periods.forEach((p, i) => {
      const s = minutes(p.start);
      const e = minutes(p.end);
      if (e <= s) ctx.addIssue({ code: 'custom', path: ['periods', i], message: `period ${p.start}–${p.end} ends before it starts` });
      if (s < prevEnd) ctx.addIssue({ code: 'custom', path: ['periods', i], message: `period ${p.start}–${p.end} overlaps or precedes the previous one` });
      prevEnd = Math.max(prevEnd, e);
    });
    for (const [year, sched] of Object.entries(cal.years)) {
      const off = new Set(sched.holidays);
      for (const d of [...sched.holidays, ...sched.workdays]) {
        if (!d.startsWith(year)) ctx.addIssue({ code: 'custom', path: ['years', year], message: `${d} is not in ${year}` });
      }
      for (const d of sched.workdays) {
        if (off.has(d)) ctx.addIssue({ code: 'custom', path: ['years', year, 'workdays'], message: `${d} is both a holiday and a working day` });
      }
    }
  });
export type WorkCalendar = z.output<typeof workCalendarSchema>;
export type WorkCalendarInput = z.input<typeof workCalendarSchema>;

export const DEFAULT_WORK_PERIODS = [
  { start: '08:30', end: '12:00' },
  { start: '13:30', end: '17:30' },
] as const;

export const DEFAULT_WORK_CALENDAR: WorkCalendar = {
  periods: DEFAULT_WORK_PERIODS.map((p) => ({ ...p })),
  weekdays: [1, 2, 3, 4, 5],
  years: Object.fromEntries(
    Object.entries(CN_SCHEDULES).map(([y, s]): [string, YearSchedule] => [y, { holidays: [...s.holidays], workdays: [...s.workdays], source: s.source }]),
  ),
};

/** Shanghai calendar day number (days since 1970-01-01 in UTC+8) of an instant. */
export const dayNumberOf = (ms: number): number => Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
/** The instant at which Shanghai day number n starts. */
export const dayNumberStart = (n: number): number => n * DAY_MS - SHANGHAI_OFFSET_MS;
const dayNumberOfString = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** A compiled calendar: all the arithmetic on working time. Immutable; build one per calendar. */
export class WorkClock {
  /** Working time of a standard working day, ms (7.5 h with the default periods). */
  readonly dayMs: number;
  /** Working periods as [start, end) offsets in ms from local midnight. */
  private readonly periods: ReadonlyArray<readonly [number, number]>;
  private readonly off: ReadonlySet<number>;
  private readonly on: ReadonlySet<number>;
  private readonly weekdays: readonly boolean[];

  constructor(readonly calendar: WorkCalendar = DEFAULT_WORK_CALENDAR) {
    this.periods = calendar.periods.map((p) => [minutes(p.start) * 60_000, minutes(p.end) * 60_000] as const);
    this.dayMs = this.periods.reduce((sum, [s, e]) => sum + (e - s), 0);
    const off = new Set<number>();
    const on = new Set<number>();
    for (const sched of Object.values(calendar.years)) {
      for (const d of sched.holidays) off.add(dayNumberOfString(d));
      for (const d of sched.workdays) on.add(dayNumberOfString(d));
    }
    this.off = off;
    this.on = on;
    this.weekdays = [0, 1, 2, 3, 4, 5, 6].map((w) => calendar.weekdays.includes(w));
  }

  /** Whether Shanghai day number n is a working day. 1970-01-01 was a Thursday. */
  isWorkingDayNumber(n: number): boolean {
    if (this.on.has(n)) return true;
    if (this.off.has(n)) return false;
    return this.weekdays[(((n + 4) % 7) + 7) % 7] === true;
  }

  /** Whether the Shanghai calendar day 'YYYY-MM-DD' is a working day. */
  isWorkingDay(day: string): boolean {
    return this.isWorkingDayNumber(dayNumberOfString(day));
  }

  /** Whether the instant lies inside working time. */
  isWorkingTime(ms: number): boolean {
    const n = dayNumberOf(ms);
    if (!this.isWorkingDayNumber(n)) return false;
    const off = ms - dayNumberStart(n);
    return this.periods.some(([s, e]) => off >= s && off < e);
  }

  /** Working time in ms between two instants; negative when `to` is before `from`. */
  workingMsBetween(from: number, to: number): number {
    if (to < from) return -this.workingMsBetween(to, from);
    let total = 0;
    const last = dayNumberOf(to);
    for (let n = dayNumberOf(from); n <= last; n++) {
      if (!this.isWorkingDayNumber(n)) continue;
      const d0 = dayNumberStart(n);
      for (const [s, e] of this.periods) {
        const lo = Math.max(from, d0 + s);
        const hi = Math.min(to, d0 + e);
        if (hi > lo) total += hi - lo;
      }
    }
    return total;
  }

  /**
   * The instant reached after `ms` of working time from `start`. With ms = 0 the start itself is
   * returned, even outside working time.
   */
  addWorkingMs(start: number, ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`addWorkingMs: expected a non-negative duration, got ${ms}`);
    if (ms === 0) return start;
    let remaining = ms;
    const first = dayNumberOf(start);
    for (let n = first; n < first + MAX_SCAN_DAYS; n++) {
      if (!this.isWorkingDayNumber(n)) continue;
      const d0 = dayNumberStart(n);
      for (const [s, e] of this.periods) {
        const lo = Math.max(start, d0 + s);
        const hi = d0 + e;
        if (hi <= lo) continue;
        if (hi - lo >= remaining) return lo + remaining;
        remaining -= hi - lo;
      }
    }
    throw new RangeError('the work calendar has no working time within ten years');
  }

  /** A limit in working hours or working days as working time, ms. */
  limitMs(limit: TimeLimit): number {
    return Math.round(limit.unit === 'work_hours' ? limit.value * HOUR_MS : limit.value * this.dayMs);
  }

  /** The deadline of a limit started at `start` (the dispatch). */
  deadline(start: number, limit: TimeLimit): number {
    return this.addWorkingMs(start, this.limitMs(limit));
  }

  /** Working time left until the deadline; negative once it has passed (by the working time since). */
  remainingMs(now: number, deadline: number): number {
    return this.workingMsBetween(now, deadline);
  }

  /**
   * The share of the allotted working time used at `now` (0 at the start, 1 at the deadline, above
   * 1 when overdue), from the deadline and the allotted time (limit plus extensions).
   */
  fractionUsed(allottedMs: number, now: number, deadline: number): number {
    if (allottedMs <= 0) return now >= deadline ? 1 : 0;
    return 1 - this.remainingMs(now, deadline) / allottedMs;
  }

  /**
   * The instant at which the given share of the allotted time is used, looking forward from `now`
   * (`now` itself when it is already used).
   */
  instantAtFraction(allottedMs: number, now: number, deadline: number, fraction: number): number {
    const remaining = this.remainingMs(now, deadline);
    const untilMark = remaining - (1 - fraction) * allottedMs;
    return untilMark <= 0 ? now : this.addWorkingMs(now, Math.round(untilMark));
  }
}

/** '1个工作日' / '5个工作时' / '0.5个工作日'. */
export function describeLimit(limit: TimeLimit): string {
  return `${limit.value}个${limit.unit === 'work_hours' ? '工作时' : '工作日'}`;
}

/** '1 working day' / '5 working hours'. */
export function describeLimitEn(limit: TimeLimit): string {
  const unit = limit.unit === 'work_hours' ? 'working hour' : 'working day';
  return `${limit.value} ${unit}${limit.value === 1 ? '' : 's'}`;
}
