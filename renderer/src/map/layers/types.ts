/**
 * Common shape of the map's layer modules (DESIGN.md convention 9, kepler.gl's LayerClasses):
 * one module per layer kind turns the kind's serialisable settings (shared/domain/map.ts) plus
 * its prepared data into deck.gl layer props in pure functions, unit-tested in the module's test.
 * Prepared data holds typed arrays built once per answer; accessors read them by index and write
 * into deck.gl's target arrays, so nothing is allocated per object or per frame.
 */
export type RGBA = [number, number, number, number];

/** Where an interleaved deck.gl layer sits in maplibre's stack (read by @deck.gl/mapbox). */
export interface OverlayPlacement {
  beforeId?: string;
}

/** What every module gets besides its settings and data. */
export interface LayerContext {
  /** Current zoom, rounded down to a quarter (layers switch modes by zoom). */
  zoom: number;
  /** Pixel scale of symbols: 1 on a 1080-pixel-high wall. */
  scale: number;
  /** maplibre layer ids the two groups of deck.gl layers are drawn under. */
  beforeFills: string | undefined;
  beforePoints: string | undefined;
  /** The area drilled into, or null, and its level ('city' when none). */
  selectedAreaId: string | null;
  selectedLevel: 'city' | 'district' | 'town' | 'community' | 'grid';
  /** Object to highlight (e.g. the open card's), `kind:id`. */
  highlight: string | null;
}

/** Animation clock of the pulsing layers (seconds) and the trail clock (seconds after the trail window's start). */
export interface AnimationClock {
  seconds: number;
  trailSeconds: number;
}

/** A tooltip: a title and a few lines. */
export interface TooltipContent {
  title: string;
  lines: string[];
}

/** What a click on a map object opens. */
export type PickTarget =
  | { kind: 'case'; id: string }
  | { kind: 'camera'; id: string }
  | { kind: 'sensor'; id: string }
  | { kind: 'staff'; index: number }
  | { kind: 'alarm'; id: string }
  | { kind: 'warning'; id: string }
  | { kind: 'area'; id: string }
  | { kind: 'cluster'; lon: number; lat: number };

/** Write r,g,b,a of `colours` at `index` into deck.gl's target (no allocation). */
export function colourAt(colours: Uint8Array | Uint8ClampedArray, index: number, target: number[] | Uint8Array | Uint8ClampedArray | Float32Array): RGBA {
  const o = index * 4;
  target[0] = colours[o]!;
  target[1] = colours[o + 1]!;
  target[2] = colours[o + 2]!;
  target[3] = colours[o + 3]!;
  return target as unknown as RGBA;
}

/** Write lon,lat of `positions` at `index` into deck.gl's target (no allocation). */
export function positionAt(positions: Float64Array | Float32Array, index: number, target: number[] | Float64Array | Float32Array): [number, number] {
  target[0] = positions[index * 2]!;
  target[1] = positions[index * 2 + 1]!;
  return target as unknown as [number, number];
}

/** deck.gl's accessor info (the part the modules read). */
export interface AccessorInfo {
  index: number;
  target: number[];
}

/** deck.gl's binary data: a length and attributes given as typed arrays. */
export interface BinaryData {
  length: number;
  attributes: Record<string, { value: Float64Array | Float32Array | Uint8Array | Uint8ClampedArray | Uint32Array; size: number; type?: 'unorm8' }>;
}

export function placement(beforeId: string | undefined): OverlayPlacement {
  return beforeId === undefined ? {} : { beforeId };
}

const lengthData = new WeakMap<object, { length: number }>();

/**
 * deck.gl's `data: {length}` for accessor-by-index layers, one object per data owner: deck.gl
 * compares data by identity, so the same owner must give the same object (else every rebuild of
 * the layer would recompute all its attributes).
 */
export function indexed(owner: object, length: number): { length: number } {
  let d = lengthData.get(owner);
  if (!d || d.length !== length) {
    d = { length };
    lengthData.set(owner, d);
  }
  return d;
}
