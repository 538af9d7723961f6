/**
 * Alarms (告警): open alarms (or those of the chosen moment/window, from map.alarms) at their
 * sensors, coloured by severity, pulsing while unacknowledged.
 */
import type { ScatterplotLayerProps } from '@deck.gl/layers';
import type { MapAlarms } from '../../../../shared/api/map';
import type { MapLayers } from '../../../../shared/domain/map';
import { ALARM_SEVERITIES, type AlarmSeverity, type AlarmState } from '../../../../shared/domain/monitoring';
import { ALARM_SEVERITY_COLOURS } from './colours';
import { SENSOR_MIN_ZOOM } from './sensors';
import { colourAt, indexed, placement, positionAt, type AccessorInfo, type AnimationClock, type LayerContext, type OverlayPlacement } from './types';

export type AlarmsSettings = MapLayers['alarms'];

export interface AlarmData {
  length: number;
  /** Index into the map.alarms columns, in drawing order (least severe first: the worst on top). */
  order: Uint32Array;
  source: MapAlarms;
  positions: Float64Array;
  colours: Uint8ClampedArray;
  /** Dot size by severity (warnings small: there can be many). */
  sizes: Float32Array;
  /** Unacknowledged ones (pulse). */
  raised: Float64Array;
  raisedColours: Uint8ClampedArray;
}

const SEVERITY_SIZE: Readonly<Record<AlarmSeverity, number>> = { warning: 0.5, alarm: 0.8, critical: 1 };

/** The alarms of map.alarms (already the time selection's), filtered by severity, as typed arrays. */
export function prepareAlarms(src: MapAlarms, settings: Pick<AlarmsSettings, 'severities'>): AlarmData {
  const sev = settings.severities.length > 0 ? new Set<AlarmSeverity>(settings.severities) : null;
  const idx: number[] = [];
  for (let i = 0; i < src.ids.length; i++) if (!sev || sev.has(src.severity[i]!)) idx.push(i);
  idx.sort((x, y) => ALARM_SEVERITIES.indexOf(src.severity[x]!) - ALARM_SEVERITIES.indexOf(src.severity[y]!) || x - y);
  const n = idx.length;
  const order = Uint32Array.from(idx);
  const positions = new Float64Array(2 * n);
  const colours = new Uint8ClampedArray(4 * n);
  const sizes = new Float32Array(n);
  const raisedIdx: number[] = [];
  idx.forEach((j, i) => {
    const severity = src.severity[j]!;
    positions[2 * i] = src.lon[j]!;
    positions[2 * i + 1] = src.lat[j]!;
    colours.set(ALARM_SEVERITY_COLOURS[severity], 4 * i);
    sizes[i] = SEVERITY_SIZE[severity];
    // Unacknowledged alarms of the two upper severities pulse; warnings do not.
    if (src.state[j] === 'raised' && severity !== 'warning') raisedIdx.push(i);
  });
  const raised = new Float64Array(2 * raisedIdx.length);
  const raisedColours = new Uint8ClampedArray(4 * raisedIdx.length);
  raisedIdx.forEach((i, k) => {
    raised[2 * k] = positions[2 * i]!;
    raised[2 * k + 1] = positions[2 * i + 1]!;
    raisedColours.set(colours.subarray(4 * i, 4 * i + 4), 4 * k);
  });
  return { length: n, order, source: src, positions, colours, sizes, raised, raisedColours };
}

/** The alarm drawn at `index`: its id and sensor (for the card). */
export function alarmAt(d: AlarmData, index: number): { id: string; sensorId: string } | null {
  const j = d.order[index];
  return j === undefined ? null : { id: d.source.ids[j]!, sensorId: d.source.sensorIds[j]! };
}

/**
 * Warnings (the lowest severity: offline devices, first thresholds) are drawn from the zoom the
 * sensors appear at, like the devices they concern; alarms and criticals at every zoom. Hundreds
 * of offline sensors would otherwise bury the city view in dots.
 */
export const WARNING_MIN_ZOOM = SENSOR_MIN_ZOOM;

export function alarmLayerProps(settings: AlarmsSettings, d: AlarmData, ctx: LayerContext): ScatterplotLayerProps & OverlayPlacement {
  const warningsShown = ctx.zoom >= WARNING_MIN_ZOOM;
  const size = (index: number): number => {
    const s = d.sizes[index]!;
    return s === SEVERITY_SIZE.warning && !warningsShown ? 0 : s;
  };
  return {
    id: 'alarms-dots',
    data: indexed(d.positions, d.length),
    visible: settings.visible && d.length > 0,
    opacity: settings.opacity,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(d.positions, index, target),
    getFillColor: (_: unknown, { index, target }: AccessorInfo) => colourAt(d.colours, index, target),
    getRadius: (_: unknown, { index }: AccessorInfo) => size(index),
    radiusUnits: 'pixels',
    radiusScale: 7.5 * ctx.scale,
    stroked: true,
    getLineColor: [255, 255, 255, 230],
    lineWidthUnits: 'pixels',
    getLineWidth: (_: unknown, { index }: AccessorInfo) => (size(index) === 0 ? 0 : d.sizes[index]! < 0.6 ? 0.8 : 2),
    updateTriggers: { getRadius: warningsShown, getLineWidth: warningsShown },
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

export function describeAlarm(d: AlarmData, index: number, labels: { severity(s: AlarmSeverity): string; state(s: AlarmState): string }) {
  const j = d.order[index]!;
  const src = d.source;
  return { title: src.sensorNames[j]!, lines: [src.message[j]!, `${labels.severity(src.severity[j]!)} · ${labels.state(src.state[j]!)}`] };
}
