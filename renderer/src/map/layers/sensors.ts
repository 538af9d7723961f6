/**
 * IoT sensors (物联感知): dots coloured by their latest value (green → yellow-green as it nears
 * the warning line; orange warning, red alarm, grey offline); sensors in alarm pulse.
 *
 * Update path: a SensorStore holds positions (fixed) and values, statuses and colours in typed
 * arrays. A batch of readings (the `sensors.readings` event) writes into them in place and bumps
 * `version`; the layer's colour accessor reads the store and its updateTrigger is the version, so
 * deck.gl recomputes only the colour attribute of this layer: no geometry layer is touched, and
 * the positions are never uploaded again.
 */
import type { ScatterplotLayerProps } from '@deck.gl/layers';
import type { MapLayers } from '../../../../shared/domain/map';
import type { EffectiveRules, SensorStatus } from '../../../../shared/domain/monitoring';
import { SENSOR_TYPES, type Sensor, type SensorType } from '../../../../shared/domain/model';
import { SENSOR_STATUS_COLOURS, sensorValueColour } from './colours';
import { colourAt, indexed, placement, positionAt, type AccessorInfo, type AnimationClock, type BinaryData, type LayerContext, type OverlayPlacement } from './types';

export type SensorsSettings = MapLayers['sensors'];
export const SENSOR_MIN_ZOOM = 12.5;

const STATUS_CODES: readonly SensorStatus[] = ['normal', 'warning', 'alarm', 'offline'];
const statusCode = (s: SensorStatus): number => STATUS_CODES.indexOf(s);

export interface SensorReadings {
  ids: readonly string[];
  values: ReadonlyArray<number | null>;
  status: readonly SensorStatus[];
}

/** Thresholds the colour ramp uses, per type: how high a value is before it warns. */
export type RampRules = Partial<Record<SensorType, Pick<EffectiveRules, 'dir' | 'warn' | 'alarm'>>>;

export class SensorStore {
  readonly length: number;
  readonly ids: string[];
  readonly names: string[];
  readonly units: string[];
  readonly types: Uint8Array;
  readonly positions: Float64Array;
  readonly values: Float32Array;
  readonly status: Uint8Array;
  readonly colours: Uint8ClampedArray;
  private readonly indexById: Map<string, number>;
  private readonly rampLow = new Float32Array(SENSOR_TYPES.length);
  private readonly rampHigh = new Float32Array(SENSOR_TYPES.length);
  /** Increases with every change of values (the layer's updateTrigger). */
  version = 0;
  /** Sensors in alarm (indices), rebuilt on change. */
  alarmIndex = new Uint32Array(0);
  alarmPositions = new Float64Array(0);
  readonly binary: BinaryData;

  constructor(sensors: readonly Sensor[], rules: RampRules = {}) {
    const n = sensors.length;
    this.length = n;
    this.ids = sensors.map((s) => s.id);
    this.names = sensors.map((s) => s.name);
    this.units = sensors.map((s) => s.unit);
    this.types = new Uint8Array(n);
    this.positions = new Float64Array(2 * n);
    this.values = new Float32Array(n);
    this.status = new Uint8Array(n);
    this.colours = new Uint8ClampedArray(4 * n);
    this.indexById = new Map();
    SENSOR_TYPES.forEach((t, k) => {
      const r = rules[t];
      const warn = r?.warn ?? r?.alarm ?? null;
      if (r && warn !== null && r.dir !== 'below') {
        this.rampLow[k] = 0;
        this.rampHigh[k] = warn;
      } else {
        this.rampLow[k] = NaN;
      }
    });
    sensors.forEach((s, i) => {
      this.indexById.set(s.id, i);
      this.types[i] = Math.max(0, SENSOR_TYPES.indexOf(s.type));
      this.positions[2 * i] = s.lon;
      this.positions[2 * i + 1] = s.lat;
      this.values[i] = s.lastValue ?? NaN;
      this.status[i] = statusCode(s.status);
      this.paint(i);
    });
    this.binary = { length: n, attributes: { getPosition: { value: this.positions, size: 2 } } };
    this.rebuildAlarms();
  }

  indexOf(id: string): number | undefined {
    return this.indexById.get(id);
  }

  statusOf(i: number): SensorStatus {
    return STATUS_CODES[this.status[i]!]!;
  }

  typeOf(i: number): SensorType {
    return SENSOR_TYPES[this.types[i]!]!;
  }

  /** Apply a batch of readings in place; answers how many sensors changed. */
  apply(r: SensorReadings): number {
    let changed = 0;
    let alarmsChanged = false;
    for (let k = 0; k < r.ids.length; k++) {
      const i = this.indexById.get(r.ids[k]!);
      if (i === undefined) continue;
      const v = r.values[k];
      const st = statusCode(r.status[k]!);
      if (st !== this.status[i]) alarmsChanged ||= st === 2 || this.status[i] === 2;
      this.values[i] = v ?? NaN;
      this.status[i] = st;
      this.paint(i);
      changed++;
    }
    if (changed > 0) {
      this.version++;
      if (alarmsChanged) this.rebuildAlarms();
    }
    return changed;
  }

  private paint(i: number): void {
    const st = STATUS_CODES[this.status[i]!]!;
    if (st !== 'normal') {
      this.colours.set(SENSOR_STATUS_COLOURS[st], 4 * i);
      return;
    }
    const t = this.types[i]!;
    const hi = this.rampHigh[t]!;
    const lo = this.rampLow[t]!;
    const v = this.values[i]!;
    sensorValueColour(Number.isNaN(lo) || Number.isNaN(v) || hi <= lo ? 0 : (v - lo) / (hi - lo), this.colours, 4 * i);
  }

  private rebuildAlarms(): void {
    const idx: number[] = [];
    for (let i = 0; i < this.length; i++) if (this.status[i] === 2) idx.push(i);
    this.alarmIndex = Uint32Array.from(idx);
    this.alarmPositions = new Float64Array(2 * idx.length);
    idx.forEach((i, k) => {
      this.alarmPositions[2 * k] = this.positions[2 * i]!;
      this.alarmPositions[2 * k + 1] = this.positions[2 * i + 1]!;
    });
  }
}

/** A per-sensor visibility mask from the layer's type and status filters (1 shown, 0 hidden). */
export function sensorMask(store: SensorStore, settings: Pick<SensorsSettings, 'types' | 'statuses'>): Uint8Array | null {
  if (settings.types.length === 0 && settings.statuses.length === 0) return null;
  const types = settings.types.length > 0 ? new Set(settings.types) : null;
  const st = settings.statuses.length > 0 ? new Set(settings.statuses) : null;
  const mask = new Uint8Array(store.length);
  for (let i = 0; i < store.length; i++) mask[i] = (!types || types.has(store.typeOf(i))) && (!st || st.has(store.statusOf(i))) ? 1 : 0;
  return mask;
}

export function sensorLayerProps(settings: SensorsSettings, store: SensorStore, mask: Uint8Array | null, ctx: LayerContext): ScatterplotLayerProps & OverlayPlacement {
  const maskKey = `${settings.types.join(',')}|${settings.statuses.join(',')}`;
  return {
    id: 'sensors-dots',
    data: store.binary,
    visible: settings.visible && ctx.zoom >= SENSOR_MIN_ZOOM,
    opacity: settings.opacity,
    getFillColor: (_: unknown, { index, target }: AccessorInfo) => colourAt(store.colours, index, target),
    getRadius: (_: unknown, { index }: AccessorInfo) => (mask && mask[index] === 0 ? 0 : store.status[index] === 2 ? 1.5 : 1),
    radiusUnits: 'pixels',
    radiusScale: 3.6 * ctx.scale,
    stroked: true,
    getLineColor: [2, 10, 24, 230],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 120],
    // Only the colours (and, with a status filter, the radii) follow new readings.
    updateTriggers: { getFillColor: store.version, getRadius: [maskKey, settings.statuses.length > 0 ? store.version : 0] },
    ...placement(ctx.beforePoints),
  };
}

export function sensorPulseLayerProps(settings: SensorsSettings, store: SensorStore, ctx: LayerContext, clock: AnimationClock): ScatterplotLayerProps & OverlayPlacement {
  const phase = (clock.seconds % 1.2) / 1.2;
  return {
    id: 'sensors-pulse',
    data: indexed(store.alarmPositions, store.alarmIndex.length),
    visible: settings.visible && store.alarmIndex.length > 0 && (settings.statuses.length === 0 || settings.statuses.includes('alarm')),
    opacity: settings.opacity * (1 - phase),
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(store.alarmPositions, index, target),
    getRadius: 1,
    radiusUnits: 'pixels',
    radiusScale: (6 + phase * 16) * ctx.scale,
    filled: false,
    stroked: true,
    getLineColor: SENSOR_STATUS_COLOURS.alarm,
    lineWidthUnits: 'pixels',
    getLineWidth: 2.5,
    lineWidthScale: ctx.scale,
    pickable: false,
    ...placement(ctx.beforePoints),
  };
}

export function describeSensor(store: SensorStore, index: number, labels: { type(t: SensorType): string; status(s: SensorStatus): string }) {
  const v = store.values[index]!;
  const value = Number.isNaN(v) ? '—' : `${Number(v.toFixed(2))} ${store.units[index]}`;
  return { title: store.names[index]!, lines: [`${labels.type(store.typeOf(index))} · ${labels.status(store.statusOf(index))}`, value] };
}
