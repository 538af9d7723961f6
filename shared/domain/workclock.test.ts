import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CN_SCHEDULES } from './holidays';
import { DEFAULT_WORK_CALENDAR, WorkClock, describeLimit, workCalendarSchema, type WorkCalendar } from './workclock';
import { shanghaiDateTime, shanghaiWeekday } from '../time';

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai → epoch ms. */
const t = (s: string): number => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);
const show = (ms: number): string => shanghaiDateTime(ms);
const H = 3_600_000;
const clock = new WorkClock();

describe('holiday data', () => {
  it('lists adjusted working days only on weekends and holidays as distinct days', () => {
    for (const [year, s] of Object.entries(CN_SCHEDULES)) {
      for (const d of s.workdays) {
        expect(d.startsWith(year)).toBe(true);
        expect([0, 6]).toContain(shanghaiWeekday(t(`${d} 12:00`)));
      }
      expect(new Set(s.holidays).size).toBe(s.holidays.length);
      expect(s.source).toMatch(/国务院办公厅/);
    }
  });

  it('has the published block lengths', () => {
    const y26 = CN_SCHEDULES['2026']!;
    const inRange = (a: string, b: string): number => y26.holidays.filter((d) => d >= a && d <= b).length;
    expect(inRange('2026-01-01', '2026-01-03')).toBe(3);
    expect(inRange('2026-02-15', '2026-02-23')).toBe(9); // 春节 9 天
    expect(inRange('2026-05-01', '2026-05-05')).toBe(5);
    expect(inRange('2026-10-01', '2026-10-07')).toBe(7);
    expect(y26.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    const y25 = CN_SCHEDULES['2025']!;
    expect(y25.holidays.filter((d) => d >= '2025-01-28' && d <= '2025-02-04')).toHaveLength(8);
    expect(y25.holidays.filter((d) => d >= '2025-10-01' && d <= '2025-10-08')).toHaveLength(8);
    expect(y25.workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  });

  it('the default calendar validates', () => {
    expect(workCalendarSchema.safeParse(DEFAULT_WORK_CALENDAR).success).toBe(true);
  });
});

describe('working days', () => {
  it('weekdays work, weekends rest, holidays rest, 调休 Saturdays and Sundays work', () => {
    expect(clock.isWorkingDay('2026-03-02')).toBe(true); // Monday
    expect(clock.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(clock.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(clock.isWorkingDay('2026-02-16')).toBe(false); // 除夕, Monday
    expect(clock.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休上班
    expect(clock.isWorkingDay('2026-01-04')).toBe(true); // Sunday, 调休上班
    expect(clock.isWorkingDay('2026-10-08')).toBe(true); // Thursday after National Day
    expect(clock.isWorkingDay('2025-10-08')).toBe(false); // 2025: National Day + Mid-Autumn run to the 8th
    expect(clock.isWorkingDay('2025-01-01')).toBe(false);
    expect(clock.isWorkingDay('2027-01-01')).toBe(true); // no 2027 schedule: a plain Friday
  });

  it('knows working time instants', () => {
    expect(clock.isWorkingTime(t('2026-03-02 08:30'))).toBe(true);
    expect(clock.isWorkingTime(t('2026-03-02 08:29'))).toBe(false);
    expect(clock.isWorkingTime(t('2026-03-02 12:00'))).toBe(false);
    expect(clock.isWorkingTime(t('2026-03-02 13:30'))).toBe(true);
    expect(clock.isWorkingTime(t('2026-03-02 17:30'))).toBe(false);
  });
});

describe('adding working time (deadlines)', () => {
  const add = (start: string, hours: number): string => show(clock.addWorkingMs(t(start), hours * H));

  it('within a morning', () => expect(add('2026-03-02 09:00', 2)).toBe('2026-03-02 11:00'));
  it('across the lunch break', () => expect(add('2026-03-02 11:00', 2)).toBe('2026-03-02 14:30'));
  it('ending exactly at noon stays at noon', () => expect(add('2026-03-02 09:00', 3)).toBe('2026-03-02 12:00'));
  it('ending exactly at the end of the day stays there', () => expect(add('2026-03-02 13:30', 4)).toBe('2026-03-02 17:30'));
  it('across the evening', () => expect(add('2026-03-02 17:00', 1)).toBe('2026-03-03 09:00'));
  it('starting during lunch', () => expect(add('2026-03-02 12:30', 1)).toBe('2026-03-02 14:30'));
  it('starting before work', () => expect(add('2026-03-02 07:00', 1)).toBe('2026-03-02 09:30'));
  it('starting on a Saturday', () => expect(add('2026-03-07 10:00', 1)).toBe('2026-03-09 09:30'));
  it('zero stays put, even outside working time', () => expect(add('2026-03-07 10:00', 0)).toBe('2026-03-07 10:00'));
  it('refuses negative durations', () => expect(() => clock.addWorkingMs(t('2026-03-02 09:00'), -1)).toThrow(RangeError));

  it('one working day is the same clock time on the next working day', () => {
    expect(show(clock.deadline(t('2026-03-02 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-03-03 16:00');
    expect(show(clock.deadline(t('2026-03-06 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-03-09 16:00'); // Fri → Mon
    expect(show(clock.deadline(t('2026-03-02 09:00'), { unit: 'work_days', value: 4 }))).toBe('2026-03-06 09:00');
    expect(show(clock.deadline(t('2026-03-02 09:00'), { unit: 'work_days', value: 15 }))).toBe('2026-03-23 09:00');
  });

  it('working hours limits (unclean road: 5 working hours)', () => {
    expect(show(clock.deadline(t('2026-03-02 10:00'), { unit: 'work_hours', value: 5 }))).toBe('2026-03-02 16:30');
    expect(show(clock.deadline(t('2026-03-02 16:00'), { unit: 'work_hours', value: 5 }))).toBe('2026-03-03 12:00');
  });

  it('Spring Festival 2026 with its adjusted Saturdays', () => {
    // Fri 13 Feb → Sat 14 Feb is a working day (调休).
    expect(show(clock.deadline(t('2026-02-13 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-02-14 16:00');
    // Sat 14 Feb → the holiday runs 15–23 Feb → Tue 24 Feb.
    expect(show(clock.deadline(t('2026-02-14 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-02-24 16:00');
    // Fri 27 Feb → Sat 28 Feb works too.
    expect(show(clock.deadline(t('2026-02-27 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-02-28 16:00');
  });

  it('National Day 2026 and its adjusted days', () => {
    expect(show(clock.deadline(t('2026-09-30 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-10-08 16:00');
    expect(show(clock.deadline(t('2026-10-09 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-10-10 16:00'); // Sat works
    expect(show(clock.deadline(t('2026-09-18 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-09-20 16:00'); // Sun works
    // Mid-Autumn Fri 25 Sep is a holiday.
    expect(show(clock.deadline(t('2026-09-24 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-09-28 16:00');
  });

  it('Labour Day 2026 with the Saturday 9 May working day', () => {
    expect(show(clock.deadline(t('2026-04-30 09:00'), { unit: 'work_days', value: 2 }))).toBe('2026-05-07 09:00');
    expect(show(clock.deadline(t('2026-05-08 09:00'), { unit: 'work_days', value: 1 }))).toBe('2026-05-09 09:00');
  });

  it('across the year boundary', () => {
    // 2025-12-31 Wed → 1–3 Jan 2026 off → Sun 4 Jan 2026 works.
    expect(show(clock.deadline(t('2025-12-31 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-01-04 16:00');
    // 2025 Spring Festival: Sun 26 Jan 2025 works.
    expect(show(clock.deadline(t('2025-01-24 16:00'), { unit: 'work_days', value: 1 }))).toBe('2025-01-26 16:00');
    expect(show(clock.deadline(t('2025-01-27 16:00'), { unit: 'work_days', value: 1 }))).toBe('2025-02-05 16:00');
    // No 2027 schedule published in the data: Fri 1 Jan 2027 is treated as a plain Friday.
    expect(show(clock.deadline(t('2026-12-31 16:00'), { unit: 'work_days', value: 1 }))).toBe('2027-01-01 16:00');
  });
});

describe('elapsed, remaining and fraction used', () => {
  it('between two instants', () => {
    expect(clock.workingMsBetween(t('2026-03-02 09:00'), t('2026-03-02 15:00'))).toBe(4.5 * H);
    expect(clock.workingMsBetween(t('2026-03-06 16:00'), t('2026-03-09 09:00'))).toBe(2 * H);
    expect(clock.workingMsBetween(t('2026-03-09 09:00'), t('2026-03-06 16:00'))).toBe(-2 * H);
    expect(clock.workingMsBetween(t('2026-09-30 08:30'), t('2026-10-08 08:30'))).toBe(7.5 * H);
    expect(clock.workingMsBetween(t('2026-03-07 09:00'), t('2026-03-07 17:00'))).toBe(0); // Saturday
    expect(clock.workingMsBetween(t('2026-03-02 12:10'), t('2026-03-02 13:20'))).toBe(0); // lunch
  });

  it('remaining and fraction used', () => {
    const start = t('2026-03-02 09:00');
    const deadline = clock.deadline(start, { unit: 'work_days', value: 1 });
    const allotted = clock.limitMs({ unit: 'work_days', value: 1 });
    expect(allotted).toBe(7.5 * H);
    expect(clock.remainingMs(t('2026-03-02 15:00'), deadline)).toBe(3 * H);
    expect(clock.fractionUsed(allotted, t('2026-03-02 15:00'), deadline)).toBeCloseTo(0.6, 10);
    expect(clock.fractionUsed(allotted, deadline, deadline)).toBe(1);
    expect(clock.remainingMs(t('2026-03-03 10:00'), deadline)).toBe(-1 * H);
    expect(clock.fractionUsed(allotted, t('2026-03-03 10:00'), deadline)).toBeCloseTo(1 + 1 / 7.5, 10);
    // 80 % of 7.5 h = 6 h after 09:00 → 16:30 the same day.
    expect(show(clock.instantAtFraction(allotted, start, deadline, 0.8))).toBe('2026-03-02 16:30');
    expect(clock.instantAtFraction(allotted, t('2026-03-03 08:40'), deadline, 0.8)).toBe(t('2026-03-03 08:40'));
  });

  it('adding and measuring are inverse (property)', () => {
    const from = t('2025-01-01 00:00');
    const to = t('2026-12-31 00:00');
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.integer({ min: 0, max: 40 * 7.5 * 60 }), (start, minutes) => {
        const end = clock.addWorkingMs(start, minutes * 60_000);
        expect(end).toBeGreaterThanOrEqual(start);
        expect(clock.workingMsBetween(start, end)).toBe(minutes * 60_000);
        if (minutes > 0) expect(clock.isWorkingTime(end - 1)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('working time is additive over a split point (property)', () => {
    const from = t('2025-01-01 00:00');
    const span = 120 * 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: from, max: from + span }), fc.integer({ min: 0, max: span }), fc.integer({ min: 0, max: span }), (a, d1, d2) => {
        const b = a + d1;
        const c = b + d2;
        expect(clock.workingMsBetween(a, c)).toBe(clock.workingMsBetween(a, b) + clock.workingMsBetween(b, c));
      }),
      { numRuns: 200 },
    );
  });
});

describe('configurable calendars', () => {
  it('single period, six-day week', () => {
    const cal: WorkCalendar = { periods: [{ start: '09:00', end: '17:00' }], weekdays: [1, 2, 3, 4, 5, 6], years: {} };
    const c = new WorkClock(cal);
    expect(c.dayMs).toBe(8 * H);
    expect(show(c.deadline(t('2026-03-06 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-03-07 16:00'); // Sat works
    expect(show(c.deadline(t('2026-03-07 16:00'), { unit: 'work_days', value: 1 }))).toBe('2026-03-09 16:00'); // Sun rests
    expect(c.isWorkingDay('2026-02-16')).toBe(true); // no holidays configured
  });

  it('refuses bad calendars', () => {
    const overlap = workCalendarSchema.safeParse({ periods: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '17:00' }], weekdays: [1], years: {} });
    expect(overlap.success).toBe(false);
    const reversed = workCalendarSchema.safeParse({ periods: [{ start: '12:00', end: '08:00' }], weekdays: [1], years: {} });
    expect(reversed.success).toBe(false);
    const both = workCalendarSchema.safeParse({
      periods: [{ start: '08:00', end: '12:00' }],
      weekdays: [1],
      years: { '2026': { holidays: ['2026-02-14'], workdays: ['2026-02-14'], source: '' } },
    });
    expect(both.success).toBe(false);
    const wrongYear = workCalendarSchema.safeParse({
      periods: [{ start: '08:00', end: '12:00' }],
      weekdays: [1],
      years: { '2026': { holidays: ['2025-02-14'], workdays: [], source: '' } },
    });
    expect(wrongYear.success).toBe(false);
    const badDay = workCalendarSchema.safeParse({
      periods: [{ start: '08:00', end: '12:00' }],
      weekdays: [1],
      years: { '2026': { holidays: ['2026-02-30'], workdays: [], source: '' } },
    });
    expect(badDay.success).toBe(false);
  });

  it('a calendar without working days fails loudly instead of looping', () => {
    const c = new WorkClock({ periods: [{ start: '09:00', end: '17:00' }], weekdays: [], years: {} });
    expect(() => c.addWorkingMs(t('2026-03-02 09:00'), H)).toThrow(/no working time/);
  });

  it('describes limits', () => {
    expect(describeLimit({ unit: 'work_days', value: 1 })).toBe('1个工作日');
    expect(describeLimit({ unit: 'work_hours', value: 5 })).toBe('5个工作时');
  });
});
