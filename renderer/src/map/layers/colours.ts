/** Colours of the map layers: the five-colour risk scale (五色图), case markers, devices, forces, alarms. */
import type { AlarmSeverity } from '../../../../shared/domain/monitoring';
import type { CameraKind, CaseState, StaffRole, Urgency } from '../../../../shared/domain/model';
import type { RGBA } from './types';

/** riskLevel 0..4 → 绿 / 蓝 / 黄 / 橙 / 红. */
export const RISK_HEX = ['#2ecc71', '#3498db', '#f1c40f', '#e67e22', '#e74c3c'] as const;

export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

const RISK_RGB = RISK_HEX.map(hexToRgb);

/** The risk colour of a level with the given alpha (0..255); out-of-range levels are clamped. */
export function riskColour(level: number, alpha: number): RGBA {
  const i = Math.max(0, Math.min(RISK_HEX.length - 1, Math.round(Number.isFinite(level) ? level : 0)));
  const c = RISK_RGB[i]!;
  return [c[0], c[1], c[2], alpha];
}

export const rgbaCss = (c: readonly number[]): string => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${Math.round(((c[3] ?? 255) / 255) * 100) / 100})`;

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

export const CAMERA_STATUS_COLOURS: Readonly<Record<'online' | 'offline' | 'fault', RGBA>> = {
  online: [80, 200, 255, 235],
  offline: [110, 125, 145, 200],
  fault: [255, 170, 40, 240],
};
export const CAMERA_FOV_COLOUR: RGBA = [70, 190, 255, 46];
export const CAMERA_FOV_LINE: RGBA = [90, 210, 255, 150];
export const CAMERA_KIND_SIZE: Readonly<Record<CameraKind, number>> = { fixed: 1, dome: 1, ptz: 1.15, body: 0.9, drone: 1.3, highpoint: 1.4 };

export const SENSOR_STATUS_COLOURS: Readonly<Record<'normal' | 'warning' | 'alarm' | 'offline', RGBA>> = {
  normal: [52, 211, 153, 235],
  warning: [251, 191, 36, 245],
  alarm: [255, 59, 59, 255],
  offline: [110, 125, 145, 190],
};

/**
 * A normal reading's colour by how close it is to the warning threshold (0: far, 1: at it):
 * green through yellow-green; warnings and alarms take their status colours.
 */
export function sensorValueColour(fraction: number, out: Uint8ClampedArray, offset: number): void {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  out[offset] = Math.round(40 + f * 170);
  out[offset + 1] = Math.round(200 + f * 20);
  out[offset + 2] = Math.round(160 - f * 120);
  out[offset + 3] = 235;
}

export const STAFF_ROLE_COLOURS: Readonly<Record<StaffRole, RGBA>> = {
  grid_worker: [120, 255, 190, 255],
  grid_leader: [60, 230, 150, 255],
  enforcement: [255, 210, 80, 255],
  inspector: [190, 160, 255, 255],
  police: [90, 160, 255, 255],
  firefighter: [255, 110, 70, 255],
  volunteer: [255, 150, 210, 255],
};

export const ALARM_SEVERITY_COLOURS: Readonly<Record<AlarmSeverity, RGBA>> = {
  warning: [251, 191, 36, 255],
  alarm: [255, 110, 40, 255],
  critical: [255, 40, 60, 255],
};

/** Case density: cool to hot. */
export const HEAT_RANGE: RGBA[] = [
  [20, 60, 120, 0],
  [30, 120, 200, 120],
  [60, 200, 220, 170],
  [250, 220, 70, 210],
  [255, 140, 40, 230],
  [255, 50, 50, 245],
];

export const ARC_SOURCE: RGBA = [0, 229, 255, 230];
export const ARC_TARGET: RGBA = [255, 240, 120, 240];
export const ARC_TARGET_OVERDUE: RGBA = [255, 70, 70, 255];

export const SELECTION_LINE: RGBA = [255, 255, 255, 240];
export const SELECTION_GLOW: RGBA = [34, 228, 255, 150];
