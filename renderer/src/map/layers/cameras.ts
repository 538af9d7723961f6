/**
 * Cameras (视频点位): dots coloured by status from zoom 12, and at high zoom the field of view
 * of each online camera as a wedge (omnidirectional kinds as a disc). Positions, colours and the
 * wedge polygons are typed arrays built once per registry answer and filter; the wedges only when
 * first needed.
 */
import type { ScatterplotLayerProps, SolidPolygonLayerProps } from '@deck.gl/layers';
import type { MapLayers } from '../../../../shared/domain/map';
import type { Camera, CameraKind } from '../../../../shared/domain/model';
import { CAMERA_FOV_COLOUR, CAMERA_KIND_SIZE, CAMERA_STATUS_COLOURS } from './colours';
import { placement, type BinaryData, type LayerContext, type OverlayPlacement } from './types';

export type CamerasSettings = MapLayers['cameras'];

export const CAMERA_MIN_ZOOM = 13;
export const FOV_MIN_ZOOM = 15;
/** How far a wedge reaches, metres. */
export const FOV_RANGE_M = 45;
const WEDGE_SEGMENTS = 8;
const OMNI: ReadonlySet<CameraKind> = new Set(['ptz', 'dome']);

export interface CameraData {
  length: number;
  ids: string[];
  names: string[];
  kinds: CameraKind[];
  statuses: Camera['status'][];
  positions: Float64Array;
  colours: Uint8ClampedArray;
  radii: Float32Array;
  headings: Float32Array;
  fovs: Float32Array;
}

export function prepareCameras(cameras: readonly Camera[], settings: Pick<CamerasSettings, 'statuses' | 'kinds'>): CameraData {
  const st = settings.statuses.length > 0 ? new Set<string>(settings.statuses) : null;
  const kinds = settings.kinds.length > 0 ? new Set<string>(settings.kinds) : null;
  const list = cameras.filter((c) => (!st || st.has(c.status)) && (!kinds || kinds.has(c.kind)));
  const n = list.length;
  const d: CameraData = {
    length: n,
    ids: list.map((c) => c.id),
    names: list.map((c) => c.name),
    kinds: list.map((c) => c.kind),
    statuses: list.map((c) => c.status),
    positions: new Float64Array(2 * n),
    colours: new Uint8ClampedArray(4 * n),
    radii: new Float32Array(n),
    headings: new Float32Array(n),
    fovs: new Float32Array(n),
  };
  list.forEach((c, i) => {
    d.positions[2 * i] = c.lon;
    d.positions[2 * i + 1] = c.lat;
    d.colours.set(CAMERA_STATUS_COLOURS[c.status], 4 * i);
    d.radii[i] = CAMERA_KIND_SIZE[c.kind];
    d.headings[i] = c.heading;
    d.fovs[i] = c.fov;
  });
  return d;
}

export interface WedgeData {
  length: number;
  startIndices: Uint32Array;
  vertices: Float64Array;
}

const wedgeCache = new WeakMap<CameraData, WedgeData>();

/** Field-of-view polygons of the online cameras (flat lon/lat pairs, one ring each). */
export function cameraWedges(d: CameraData, rangeM = FOV_RANGE_M): WedgeData {
  const cached = wedgeCache.get(d);
  if (cached) return cached;
  const starts: number[] = [];
  let size = 0;
  for (let i = 0; i < d.length; i++) {
    if (d.statuses[i] !== 'online') continue;
    starts.push(size);
    size += OMNI.has(d.kinds[i]!) ? WEDGE_SEGMENTS * 2 + 1 : WEDGE_SEGMENTS + 3;
  }
  const vertices = new Float64Array(size * 2);
  let v = 0;
  const put = (lon: number, lat: number): void => {
    vertices[v++] = lon;
    vertices[v++] = lat;
  };
  for (let i = 0; i < d.length; i++) {
    if (d.statuses[i] !== 'online') continue;
    const lon = d.positions[2 * i]!;
    const lat = d.positions[2 * i + 1]!;
    const ky = rangeM / 110_570;
    const kx = rangeM / (111_320 * Math.cos((lat * Math.PI) / 180));
    if (OMNI.has(d.kinds[i]!)) {
      const k = WEDGE_SEGMENTS * 2;
      for (let s = 0; s <= k; s++) {
        const a = (2 * Math.PI * (s % k)) / k;
        put(lon + Math.sin(a) * kx * 0.6, lat + Math.cos(a) * ky * 0.6);
      }
    } else {
      const start = ((d.headings[i]! - d.fovs[i]! / 2) * Math.PI) / 180;
      const span = (d.fovs[i]! * Math.PI) / 180;
      put(lon, lat);
      for (let s = 0; s <= WEDGE_SEGMENTS; s++) {
        const a = start + (span * s) / WEDGE_SEGMENTS;
        put(lon + Math.sin(a) * kx, lat + Math.cos(a) * ky);
      }
      put(lon, lat);
    }
  }
  const w: WedgeData = { length: starts.length, startIndices: Uint32Array.from(starts), vertices };
  wedgeCache.set(d, w);
  return w;
}

const binaryCache = new WeakMap<CameraData, BinaryData>();

/** The dots' binary data, kept per prepared data so deck.gl sees the same object until it changes. */
export function cameraBinary(d: CameraData): BinaryData {
  let b = binaryCache.get(d);
  if (!b) {
    b = {
      length: d.length,
      attributes: {
        getPosition: { value: d.positions, size: 2 },
        getFillColor: { value: d.colours, size: 4, type: 'unorm8' },
        getRadius: { value: d.radii, size: 1 },
      },
    };
    binaryCache.set(d, b);
  }
  return b;
}

export function cameraDotLayerProps(settings: CamerasSettings, d: CameraData, ctx: LayerContext): ScatterplotLayerProps & OverlayPlacement {
  return {
    id: 'cameras-dots',
    data: cameraBinary(d),
    visible: settings.visible && ctx.zoom >= CAMERA_MIN_ZOOM,
    opacity: settings.opacity,
    radiusUnits: 'pixels',
    radiusScale: 3 * ctx.scale * (ctx.zoom >= FOV_MIN_ZOOM ? 1.4 : 1),
    stroked: true,
    getLineColor: [2, 10, 24, 220],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 120],
    ...placement(ctx.beforePoints),
  };
}

interface WedgeBinary {
  length: number;
  startIndices: Uint32Array;
  attributes: { getPolygon: { value: Float64Array; size: number } };
}
const NO_WEDGES: WedgeBinary = { length: 0, startIndices: new Uint32Array(0), attributes: { getPolygon: { value: new Float64Array(0), size: 2 } } };
const wedgeBinaryCache = new WeakMap<WedgeData, WedgeBinary>();

function wedgeBinary(w: WedgeData): WedgeBinary {
  let b = wedgeBinaryCache.get(w);
  if (!b) {
    b = { length: w.length, startIndices: w.startIndices, attributes: { getPolygon: { value: w.vertices, size: 2 } } };
    wedgeBinaryCache.set(w, b);
  }
  return b;
}

export function cameraFovLayerProps(settings: CamerasSettings, d: CameraData, ctx: LayerContext): SolidPolygonLayerProps & OverlayPlacement {
  const show = settings.visible && settings.fov && ctx.zoom >= FOV_MIN_ZOOM;
  // The wedges are built on first use only (they are not needed below FOV_MIN_ZOOM).
  return {
    id: 'cameras-fov',
    data: show ? wedgeBinary(cameraWedges(d)) : NO_WEDGES,
    _normalize: false,
    visible: show,
    opacity: settings.opacity,
    filled: true,
    extruded: false,
    getFillColor: CAMERA_FOV_COLOUR,
    pickable: false,
    ...placement(ctx.beforePoints),
  };
}

export function describeCamera(d: CameraData, index: number, labels: { kind(k: CameraKind): string; status(s: Camera['status']): string }) {
  return { title: d.names[index]!, lines: [`${labels.kind(d.kinds[index]!)} · ${labels.status(d.statuses[index]!)}`, d.ids[index]!] };
}
