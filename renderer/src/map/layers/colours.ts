/** Colours of the map layers: the five-colour risk scale (五色图) and case markers. */
import type { CaseState, Urgency } from '../../../../shared/domain/model';
import type { RGBA } from './types';

/** riskLevel 0..4 → 绿 / 蓝 / 黄 / 橙 / 红. */
export const RISK_HEX = ['#2ecc71', '#3498db', '#f1c40f', '#e67e22', '#e74c3c'] as const;

export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** The risk colour of a level with the given alpha (0..255); out-of-range levels are clamped. */
export function riskColour(level: number, alpha: number): RGBA {
  const i = Math.max(0, Math.min(RISK_HEX.length - 1, Math.round(Number.isFinite(level) ? level : 0)));
  return [...hexToRgb(RISK_HEX[i]!), alpha];
}

/** How the map groups case states. */
export type CaseMarkerKind = 'overdue' | 'pending' | 'inProgress' | 'parked' | 'done';

export function caseMarkerKind(state: CaseState, overdue: boolean): CaseMarkerKind {
  switch (state) {
    case 'closed':
    case 'cancelled':
      return 'done';
    case 'suspended':
      return 'parked';
    case 'reported':
    case 'registered':
    case 'returned':
      return overdue ? 'overdue' : 'pending';
    case 'dispatched':
    case 'accepted':
    case 'handled':
    case 'rework':
      return overdue ? 'overdue' : 'inProgress';
  }
}

export const CASE_MARKER_COLOURS: Readonly<Record<CaseMarkerKind, RGBA>> = {
  overdue: [255, 59, 59, 255],
  pending: [0, 229, 255, 255],
  inProgress: [236, 246, 255, 255],
  parked: [176, 132, 255, 235],
  done: [110, 135, 160, 200],
};

/** Drawing order: later kinds are drawn on top. */
export const CASE_MARKER_ORDER: readonly CaseMarkerKind[] = ['done', 'parked', 'inProgress', 'pending', 'overdue'];

export const URGENCY_RADIUS_SCALE: Readonly<Record<Urgency, number>> = { normal: 1, urgent: 1.35, critical: 1.75 };
