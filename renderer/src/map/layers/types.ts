/**
 * Common shape of the map's layer modules. Each module turns a serialisable config plus data into
 * deck.gl layer props in a pure function, so a later layer registry (DESIGN.md convention 9) can
 * list them, persist their configs and build layers without knowing their internals.
 */
export type RGBA = [number, number, number, number];

export interface LayerConfigBase {
  /** Unique layer id (also deck.gl's layer id). */
  id: string;
  visible: boolean;
  /** 0..1 */
  opacity: number;
}

/** Where an interleaved deck.gl layer sits in maplibre's stack (read by @deck.gl/mapbox). */
export interface OverlayPlacement {
  beforeId?: string;
}
