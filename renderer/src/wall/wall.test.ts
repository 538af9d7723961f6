import { describe, expect, it } from 'vitest';
import { newerMode } from '../data/system';
import { viewportUnit } from '../hooks/useViewportUnit';
import { hourlyOption } from './panels/HourlyPanel';

describe('wall helpers', () => {
  it('keeps the mode that was set last, whether it came from system.info or an event', () => {
    const a = { mode: 'normal' as const, since: '2026-11-21T08:00:00.000+08:00' };
    const b = { mode: 'emergency' as const, since: '2026-11-21T09:00:00.000+08:00' };
    expect(newerMode(a, b)).toBe(b);
    expect(newerMode(b, a)).toBe(b);
    expect(newerMode(null, a)).toBe(a);
    expect(newerMode(a, null)).toBe(a);
  });

  it('sizes the layout unit by height on wide walls and by width on narrow screens', () => {
    expect(viewportUnit(3840, 1080)).toBeCloseTo(10.8);
    expect(viewportUnit(1920, 1080)).toBeCloseTo(9.6);
    expect(viewportUnit(7680, 2160)).toBeCloseTo(21.6);
  });

  it('draws today up to the current hour over yesterday', () => {
    const today = Array.from({ length: 24 }, (_, h) => h);
    const option = hourlyOption({ today, yesterday: today.map((v) => v * 2), currentHour: 5, names: { today: '今日', yesterday: '昨日' } }, 10);
    const series = option.series as Array<{ name: string; data: Array<number | null> }>;
    expect(series.map((s) => s.name)).toEqual(['昨日', '今日']);
    expect(series[1]!.data.slice(0, 7)).toEqual([0, 1, 2, 3, 4, 5, null]);
    expect(series[0]!.data[23]).toBe(46);
    const without = hourlyOption({ today, yesterday: null, currentHour: 23, names: { today: 'T', yesterday: 'Y' } }, 10);
    expect((without.series as unknown[]).length).toBe(1);
  });
});
