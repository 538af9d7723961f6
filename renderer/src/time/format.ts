/**
 * Dates and times as the centre reads them: always Asia/Shanghai (fixed UTC+8, see shared/time),
 * whatever the machine's own zone.
 */
import { SHANGHAI_OFFSET_MS, shanghaiClock, shanghaiDateTime, shanghaiWeekday } from '../../../shared/time';
import type { TFunction } from '../i18n/I18nProvider';

const parts = (ms: number) => {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes() };
};
const pad = (n: number): string => String(n).padStart(2, '0');

/** 2026年11月21日 / 2026-11-21 */
export function formatDate(ms: number, t: TFunction): string {
  const p = parts(ms);
  return t('date.full', { y: p.y, m: pad(p.m), d: pad(p.d) });
}

export function formatWeekday(ms: number, t: TFunction): string {
  const w = shanghaiWeekday(ms) as 0 | 1 | 2 | 3 | 4 | 5 | 6;
  return t(`weekday.${w}`);
}

/** HH:mm:ss */
export const formatClock = (ms: number): string => shanghaiClock(ms);

/** HH:mm of an ISO instant. */
export function formatHm(iso: string): string {
  const p = parts(Date.parse(iso));
  return `${pad(p.hh)}:${pad(p.mm)}`;
}

/** MM-DD HH:mm of an ISO instant. */
export function formatShort(iso: string): string {
  const p = parts(Date.parse(iso));
  return `${pad(p.m)}-${pad(p.d)} ${pad(p.hh)}:${pad(p.mm)}`;
}

/** YYYY-MM-DD HH:mm of an ISO instant, or null's placeholder. */
export function formatDateTime(iso: string | null, t: TFunction): string {
  return iso === null ? t('detail.none') : shanghaiDateTime(Date.parse(iso));
}

/** "12 秒前" style age of an instant relative to now. */
export function formatAge(ms: number, now: number, t: TFunction): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 2) return t('age.now');
  if (s < 60) return t('age.seconds', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('age.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('age.hours', { n: h });
  return t('age.days', { n: Math.floor(h / 24) });
}

/** A duration as 2天3时 / 3时20分 / 45分. */
export function formatDuration(ms: number, t: TFunction): string {
  const totalMin = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return t('duration.dh', { d, h });
  if (h > 0) return t('duration.hm', { h, m });
  return t('duration.m', { m });
}

/** "剩 3时20分" before the deadline, "超 2天1时" after it. */
export function formatDeadline(deadlineIso: string, now: number, t: TFunction): { text: string; over: boolean } {
  const left = Date.parse(deadlineIso) - now;
  const over = left < 0;
  return { text: t(over ? 'deadline.over' : 'deadline.left', { t: formatDuration(left, t) }), over };
}
