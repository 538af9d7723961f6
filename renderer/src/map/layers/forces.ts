/**
 * Field forces (力量): on-duty staff at their last positions, coloured by role, and the trails
 * of the last hour (TripsLayer, binary paths and timestamps). The trail clock is the only thing
 * that moves per frame (a uniform: no attribute changes).
 */
import type { TripsLayerProps } from '@deck.gl/geo-layers';
import type { ScatterplotLayerProps } from '@deck.gl/layers';
import type { MapTrails } from '../../../../shared/api/map';
import type { MapLayers } from '../../../../shared/domain/map';
import type { StaffRole } from '../../../../shared/domain/model';
import { STAFF_ROLE_COLOURS } from './colours';
import { placement, type AnimationClock, type BinaryData, type LayerContext, type OverlayPlacement } from './types';

export type ForcesSettings = MapLayers['forces'];
/** Staff who did not move in the window show from this zoom. */
export const STILL_STAFF_MIN_ZOOM = 12.5;

export interface ForceData {
  /** The trail window (epoch ms); timestamps are seconds after `from`. */
  from: number;
  to: number;
  length: number;
  ids: string[];
  names: string[];
  roles: StaffRole[];
  unitIds: Array<string | null>;
  /** Last positions of everyone (lon, lat). */
  positions: Float64Array;
  colours: Uint8ClampedArray;
  /** 1: moved in the window (drawn at every zoom), 0: still. */
  moving: Uint8Array;
  /** Trails of those who moved: binary paths. */
  trails: { length: number; startIndices: Uint32Array; path: Float64Array; timestamps: Float32Array; colours: Uint8ClampedArray };
  binary: BinaryData;
  trailBinary: { length: number; startIndices: Uint32Array; attributes: Record<string, { value: Float64Array | Float32Array | Uint8ClampedArray; size: number; type?: 'unorm8' }> };
}

export function prepareForces(api: MapTrails, settings: Pick<ForcesSettings, 'roles'>): ForceData {
  const roles = settings.roles.length > 0 ? new Set(settings.roles) : null;
  const keep: number[] = [];
  for (let i = 0; i < api.ids.length; i++) if (!roles || roles.has(api.roles[i]!)) keep.push(i);
  const n = keep.length;
  const positions = new Float64Array(2 * n);
  const colours = new Uint8ClampedArray(4 * n);
  const moving = new Uint8Array(n);
  let trailCount = 0;
  let trailPoints = 0;
  const end = (i: number): number => (i + 1 < api.starts.length ? api.starts[i + 1]! : api.lon.length);
  keep.forEach((i, k) => {
    const last = end(i) - 1;
    positions[2 * k] = api.lon[last]!;
    positions[2 * k + 1] = api.lat[last]!;
    colours.set(STAFF_ROLE_COLOURS[api.roles[i]!], 4 * k);
    const pts = end(i) - api.starts[i]!;
    if (pts >= 2) {
      moving[k] = 1;
      trailCount++;
      trailPoints += pts;
    }
  });
  const startIndices = new Uint32Array(trailCount);
  const path = new Float64Array(2 * trailPoints);
  const timestamps = new Float32Array(trailPoints);
  const vertexColours = new Uint8ClampedArray(4 * trailPoints);
  let t = 0;
  let v = 0;
  keep.forEach((i, k) => {
    if (!moving[k]) return;
    startIndices[t++] = v;
    const colour = STAFF_ROLE_COLOURS[api.roles[i]!];
    for (let p = api.starts[i]!; p < end(i); p++, v++) {
      path[2 * v] = api.lon[p]!;
      path[2 * v + 1] = api.lat[p]!;
      timestamps[v] = api.t[p]!;
      vertexColours.set(colour, 4 * v);
    }
  });
  const trails = { length: trailCount, startIndices, path, timestamps, colours: vertexColours };
  return {
    from: api.from,
    to: api.to,
    length: n,
    ids: keep.map((i) => api.ids[i]!),
    names: keep.map((i) => api.names[i]!),
    roles: keep.map((i) => api.roles[i]!),
    unitIds: keep.map((i) => api.unitIds[i] ?? null),
    positions,
    colours,
    moving,
    trails,
    binary: { length: n, attributes: { getPosition: { value: positions, size: 2 }, getFillColor: { value: colours, size: 4, type: 'unorm8' } } },
    trailBinary: {
      length: trailCount,
      startIndices,
      attributes: {
        getPath: { value: path, size: 2 },
        getTimestamps: { value: timestamps, size: 1 },
        getColor: { value: vertexColours, size: 4, type: 'unorm8' },
      },
    },
  };
}

export function forceDotLayerProps(settings: ForcesSettings, d: ForceData, ctx: LayerContext): ScatterplotLayerProps & OverlayPlacement {
  const all = ctx.zoom >= STILL_STAFF_MIN_ZOOM;
  return {
    id: 'forces-dots',
    data: d.binary,
    visible: settings.visible,
    opacity: settings.opacity,
    getRadius: (_: unknown, { index }: { index: number }) => (all || d.moving[index] ? 1 : 0),
    radiusUnits: 'pixels',
    radiusScale: 4 * ctx.scale,
    stroked: true,
    getLineColor: [255, 255, 255, 230],
    lineWidthUnits: 'pixels',
    getLineWidth: 1.2,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 140],
    updateTriggers: { getRadius: all },
    ...placement(ctx.beforePoints),
  };
}

export const TRAIL_SECONDS = 3600;

export function forceTrailLayerProps(settings: ForcesSettings, d: ForceData, ctx: LayerContext, clock: AnimationClock): TripsLayerProps & OverlayPlacement {
  return {
    id: 'forces-trails',
    data: d.trailBinary,
    _pathType: 'open',
    visible: settings.visible && settings.trails && d.trails.length > 0,
    opacity: settings.opacity * 0.9,
    currentTime: clock.trailSeconds,
    trailLength: TRAIL_SECONDS,
    fadeTrail: true,
    widthUnits: 'pixels',
    getWidth: 2.4,
    widthScale: ctx.scale,
    widthMinPixels: 1,
    capRounded: true,
    jointRounded: true,
    pickable: false,
    ...placement(ctx.beforePoints),
  };
}

/** The trail clock at an instant: seconds after the window's start. */
export const trailSecondsAt = (d: Pick<ForceData, 'from'>, at: number): number => (at - d.from) / 1000;

export function describeForce(d: ForceData, index: number, labels: { role(r: StaffRole): string; moving: string; still: string }) {
  return { title: d.names[index]!, lines: [labels.role(d.roles[index]!), d.moving[index] ? labels.moving : labels.still] };
}
