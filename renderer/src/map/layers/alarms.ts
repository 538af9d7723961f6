/**
 * Alarms (告警): open alarms (or those of the chosen moment/window) at their sensors, coloured by
 * severity, pulsing while unacknowledged.
 */
import type { ScatterplotLayerProps } from '@deck.gl/layers';
import type { Alarm } from '../../../../shared/api/monitoring';
import type { MapLayers } from '../../../../shared/domain/map';
import { ALARM_SEVERITIES, type AlarmSeverity } from '../../../../shared/domain/monitoring';
import { ALARM_SEVERITY_COLOURS } from './colours';
import { colourAt, indexed, placement, positionAt, type AccessorInfo, type AnimationClock, type LayerContext, type OverlayPlacement } from './types';

export type AlarmsSettings = MapLayers['alarms'];

export interface AlarmData {
  length: number;
  alarms: Alarm[];
  positions: Float64Array;
  colours: Uint8ClampedArray;
  /** Dot size by severity (warnings small: there can be many). */
  sizes: Float32Array;
  /** Unacknowledged ones (pulse). */
  raised: Float64Array;
  raisedColours: Uint8ClampedArray;
}

const SEVERITY_SIZE: Readonly<Record<AlarmSeverity, number>> = { warning: 0.5, alarm: 0.8, critical: 1 };

/** Whether an alarm was open at `at` (raised by then, not cleared before). */
export function openAt(a: Pick<Alarm, 'raisedAt' | 'clearedAt'>, at: number): boolean {
  return Date.parse(a.raisedAt) <= at && (a.clearedAt === null || Date.parse(a.clearedAt) > at);
}

export function prepareAlarms(list: readonly Alarm[], settings: Pick<AlarmsSettings, 'severities'>): AlarmData {
  const sev = settings.severities.length > 0 ? new Set<AlarmSeverity>(settings.severities) : null;
  const alarms = list
    .filter((a) => !sev || sev.has(a.severity))
    .sort((a, b) => ALARM_SEVERITIES.indexOf(a.severity) - ALARM_SEVERITIES.indexOf(b.severity));
  const n = alarms.length;
  const positions = new Float64Array(2 * n);
  const colours = new Uint8ClampedArray(4 * n);
  const sizes = new Float32Array(n);
  const raisedIdx: number[] = [];
  alarms.forEach((a, i) => {
    positions[2 * i] = a.lon;
    positions[2 * i + 1] = a.lat;
    colours.set(ALARM_SEVERITY_COLOURS[a.severity], 4 * i);
    sizes[i] = SEVERITY_SIZE[a.severity];
    // Unacknowledged alarms of the two upper severities pulse; warnings do not.
    if (a.state === 'raised' && a.severity !== 'warning') raisedIdx.push(i);
  });
  const raised = new Float64Array(2 * raisedIdx.length);
  const raisedColours = new Uint8ClampedArray(4 * raisedIdx.length);
  raisedIdx.forEach((i, k) => {
    raised[2 * k] = positions[2 * i]!;
    raised[2 * k + 1] = positions[2 * i + 1]!;
    raisedColours.set(colours.subarray(4 * i, 4 * i + 4), 4 * k);
  });
  return { length: n, alarms, positions, colours, sizes, raised, raisedColours };
}

export function alarmLayerProps(settings: AlarmsSettings, d: AlarmData, ctx: LayerContext): ScatterplotLayerProps & OverlayPlacement {
  return {
    id: 'alarms-dots',
    data: indexed(d.positions, d.length),
    visible: settings.visible && d.length > 0,
    opacity: settings.opacity,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(d.positions, index, target),
    getFillColor: (_: unknown, { index, target }: AccessorInfo) => colourAt(d.colours, index, target),
    getRadius: (_: unknown, { index }: AccessorInfo) => d.sizes[index]!,
    radiusUnits: 'pixels',
    radiusScale: 7.5 * ctx.scale,
    stroked: true,
    getLineColor: [255, 255, 255, 230],
    lineWidthUnits: 'pixels',
    getLineWidth: (_: unknown, { index }: AccessorInfo) => (d.sizes[index]! < 0.6 ? 0.8 : 2),
    lineWidthScale: ctx.scale,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 120],
    ...placement(ctx.beforePoints),
  };
}

export function alarmPulseLayerProps(settings: AlarmsSettings, d: AlarmData, ctx: LayerContext, clock: AnimationClock): ScatterplotLayerProps & OverlayPlacement {
  const phase = (clock.seconds % 1.4) / 1.4;
  const n = d.raised.length / 2;
  return {
    id: 'alarms-pulse',
    data: indexed(d.raised, n),
    visible: settings.visible && n > 0,
    opacity: settings.opacity * (1 - phase),
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(d.raised, index, target),
    getLineColor: (_: unknown, { index, target }: AccessorInfo) => colourAt(d.raisedColours, index, target),
    getRadius: 1,
    radiusUnits: 'pixels',
    radiusScale: (9 + phase * 24) * ctx.scale,
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
    lineWidthScale: ctx.scale,
    pickable: false,
    ...placement(ctx.beforePoints),
  };
}

export function describeAlarm(d: AlarmData, index: number, labels: { severity(s: AlarmSeverity): string; state(s: Alarm['state']): string }) {
  const a = d.alarms[index]!;
  return { title: a.sensorName, lines: [a.message, `${labels.severity(a.severity)} · ${labels.state(a.state)}`] };
}
