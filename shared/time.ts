/**
 * Dates in Asia/Shanghai. China has had no daylight saving time since 1991, so the zone is a
 * fixed UTC+8 and day arithmetic needs no tz database (the browser's Intl is used only for display).
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;
export const TIME_ZONE = 'Asia/Shanghai';

/** 'YYYY-MM-DD' of the Shanghai calendar day containing the instant. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant (epoch ms) at which a Shanghai calendar day starts. */
export function shanghaiDayStart(day: string): number {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`not a day: ${day}`);
  return t - SHANGHAI_OFFSET_MS;
}

/** Hour of day (0–23) in Shanghai. */
export function shanghaiHour(ms: number): number {
  return new Date(ms + SHANGHAI_OFFSET_MS).getUTCHours();
}

/** Day of week in Shanghai, 0 = Sunday. */
export function shanghaiWeekday(ms: number): number {
  return new Date(ms + SHANGHAI_OFFSET_MS).getUTCDay();
}

/** ISO-8601 with the +08:00 offset, e.g. 2026-11-21T09:30:00.000+08:00. */
export function toShanghaiIso(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** 'HH:mm:ss' in Shanghai. */
export function shanghaiClock(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(11, 19);
}

/** 'YYYY-MM-DD HH:mm' in Shanghai. */
export function shanghaiDateTime(ms: number): string {
  const s = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}
