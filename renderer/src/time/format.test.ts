import { describe, expect, it } from 'vitest';
import { translate, type MessageKey, type MessageParams } from '../../../shared/i18n';
import { formatAge, formatClock, formatDate, formatDeadline, formatDuration, formatHm, formatWeekday } from './format';

const zh = (k: MessageKey, p?: MessageParams): string => translate('zh-CN', k, p);
const en = (k: MessageKey, p?: MessageParams): string => translate('en', k, p);

describe('Shanghai formatting', () => {
  // 2026-11-21T17:30:05Z is 2026-11-22 01:30:05 in Shanghai, a Sunday.
  const ms = Date.parse('2026-11-21T17:30:05Z');

  it('uses the Shanghai calendar day and clock regardless of the machine zone', () => {
    expect(formatDate(ms, zh)).toBe('2026年11月22日');
    expect(formatDate(ms, en)).toBe('2026-11-22');
    expect(formatWeekday(ms, zh)).toBe('星期日');
    expect(formatClock(ms)).toBe('01:30:05');
    expect(formatHm('2026-11-21T17:30:05Z')).toBe('01:30');
    expect(formatHm('2026-11-22T01:30:05+08:00')).toBe('01:30');
  });

  it('says how long ago', () => {
    expect(formatAge(ms, ms + 500, zh)).toBe('刚刚');
    expect(formatAge(ms, ms + 12_000, zh)).toBe('12 秒前');
    expect(formatAge(ms, ms + 5 * 60_000, en)).toBe('5 min ago');
    expect(formatAge(ms, ms + 3 * 3600_000, zh)).toBe('3 小时前');
    expect(formatAge(ms, ms + 3 * 86_400_000, zh)).toBe('3 天前');
  });

  it('formats durations and deadlines', () => {
    expect(formatDuration(45 * 60_000, zh)).toBe('45分');
    expect(formatDuration(200 * 60_000, zh)).toBe('3时20分');
    expect(formatDuration((2 * 1440 + 60) * 60_000, en)).toBe('2d 1h');
    const now = Date.parse('2026-11-21T00:00:00Z');
    expect(formatDeadline('2026-11-21T02:00:00Z', now, zh)).toEqual({ text: '剩 2时0分', over: false });
    expect(formatDeadline('2026-11-20T23:00:00Z', now, en)).toEqual({ text: '1h 0m over', over: true });
  });
});
