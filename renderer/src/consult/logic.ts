/**
 * Pure helpers of the consultation screens: the chair's keys (a presentation clicker sends
 * PageDown/PageUp, keyboards →/←), deadlines in Asia/Shanghai, number formatting, labels, and the
 * projection of the five-colour map.
 */
import type { Decision } from '../../../shared/api/consult';
import { RISK_LEVEL_HEX, RISK_LEVEL_ZH } from '../../../shared/domain/indicators';
import type { CaseState } from '../../../shared/domain/model';
import { DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDay, shanghaiDayStart } from '../../../shared/time';

export type StepTarget = 'next' | 'prev' | 'first' | 'last' | number;

export type ConsultRole = 'wall' | 'chair';

/** The consultation screen's role from the query string: `?role=chair` is the chair's console. */
export function consultRoleFrom(search: string): ConsultRole {
  return new URLSearchParams(search).get('role') === 'chair' ? 'chair' : 'wall';
}

/**
 * The agenda step a key asks for, or null. Keys typed into a form field are never steps.
 * Digits 1–9 jump to that item.
 */
export function keyToStep(key: string, inFormField: boolean): StepTarget | null {
  if (inFormField) return null;
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
    case 'ArrowDown':
      return 'next';
    case 'ArrowLeft':
    case 'PageUp':
    case 'ArrowUp':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return /^[1-9]$/.test(key) ? Number(key) - 1 : null;
  }
}

/** Whether a keyboard event target is somewhere the user types. */
export function isFormField(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (!target) return false;
  const tag = (target.tagName ?? '').toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable === true;
}

/** Value of a datetime-local input ('YYYY-MM-DDTHH:mm', read as Shanghai time) → ISO with +08:00. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** An instant as a datetime-local value in Shanghai time. */
export function toLocalInput(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** The default deadline of a decision: tomorrow 18:00 (Shanghai). */
export function defaultDeadline(now: number): string {
  const tomorrow = shanghaiDayStart(shanghaiDay(now)) + DAY_MS;
  return toLocalInput(tomorrow + 18 * 3_600_000);
}

export const signed = (v: number | null, digits = 1): string => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}`);
export const fixed = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));
/** 'MM-DD HH:mm' of an ISO time. */
export const shortTime = (iso: string | null): string => (iso ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : '—');

export const levelColour = (level: number): string => RISK_LEVEL_HEX[level] ?? '#3b4a5e';
export const levelName = (level: number): string => RISK_LEVEL_ZH[level] ?? '—';

export const OUTCOME_LABEL: Readonly<Record<Decision['outcome'], string>> = {
  failed: '未能转办',
  in_progress: '办理中',
  overdue: '超时未办结',
  done: '已办结',
  done_late: '逾期办结',
};
export const OUTCOME_COLOUR: Readonly<Record<Decision['outcome'], string>> = {
  failed: '#ff4d4f',
  in_progress: '#22e4ff',
  overdue: '#f2994a',
  done: '#27a35a',
  done_late: '#f2c94c',
};

export const STATE_LABEL: Readonly<Record<CaseState, string>> = {
  reported: '待立案',
  registered: '已立案',
  cancelled: '不予立案',
  dispatched: '已派遣',
  accepted: '处置中',
  returned: '已回退',
  handled: '待核查',
  rework: '返工',
  suspended: '挂账',
  closed: '已结案',
};

export const SENSOR_LABEL: Readonly<Record<string, string>> = {
  water_level: '水位',
  manhole: '井盖',
  smoke: '烟感',
  gas: '燃气',
  pm25: 'PM2.5',
  noise: '噪声',
  strain: '结构应变',
  temperature: '温度',
};

export interface Projection {
  /** Canvas position of a lon/lat. */
  at(lon: number, lat: number): [number, number];
  /** The lon/lat at a canvas position. */
  invert(x: number, y: number): [number, number];
  scale: number;
}

/** Fit a lon/lat box into a w×h canvas (equirectangular, x shrunk by cos of the middle latitude). */
export function fitProjection(bbox: readonly [number, number, number, number], w: number, h: number, pad = 12): Projection {
  const [minX, minY, maxX, maxY] = bbox;
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const dx = Math.max(1e-9, (maxX - minX) * k);
  const dy = Math.max(1e-9, maxY - minY);
  const scale = Math.min((w - 2 * pad) / dx, (h - 2 * pad) / dy);
  const ox = (w - dx * scale) / 2;
  const oy = (h - dy * scale) / 2;
  return {
    at: (lon, lat) => [ox + (lon - minX) * k * scale, oy + (maxY - lat) * scale],
    invert: (x, y) => [minX + (x - ox) / (k * scale), maxY - (y - oy) / scale],
    scale,
  };
}

/** The bounding box of polygon coordinates (Polygon or MultiPolygon rings). */
export function bboxOf(geometries: ReadonlyArray<{ type: string; coordinates: readonly unknown[] }>): [number, number, number, number] | null {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const visit = (v: unknown): void => {
    if (!Array.isArray(v)) return;
    if (typeof v[0] === 'number' && typeof v[1] === 'number') {
      const x = v[0];
      const y = v[1];
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
      return;
    }
    for (const c of v) visit(c);
  };
  for (const g of geometries) visit(g.coordinates);
  return minX === Infinity ? null : [minX, minY, maxX, maxY];
}
