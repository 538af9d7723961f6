/**
 * Case density (热力 / 蜂窝): the cases reported in the chosen window, as a heatmap or as
 * hexagons. Positions are one Float64Array; accessors read it by index into deck.gl's target.
 */
import type { HeatmapLayerProps, HexagonLayerProps } from '@deck.gl/aggregation-layers';
import type { MapLayers } from '../../../../shared/domain/map';
import { HEAT_RANGE } from './colours';
import { indexed, placement, positionAt, type AccessorInfo, type LayerContext, type OverlayPlacement } from './types';

export type HeatSettings = MapLayers['heat'];

/** deck.gl 9.4 types the aggregation layers' picking callbacks more narrowly than LayerProps; these modules set none. */
type Callbacks = 'onHover' | 'onClick' | 'onDrag' | 'onDragStart' | 'onDragEnd';

export interface HeatData {
  length: number;
  positions: Float64Array;
  from: string;
  to: string;
}

export function prepareHeat(api: { lon: readonly number[]; lat: readonly number[]; from: string; to: string }): HeatData {
  const n = api.lon.length;
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = api.lon[i]!;
    positions[2 * i + 1] = api.lat[i]!;
  }
  return { length: n, positions, from: api.from, to: api.to };
}

/** Hexagon radius for a zoom: about 14 px on screen, in metres, in steps. */
export function hexRadiusM(zoom: number): number {
  if (zoom < 10.5) return 900;
  if (zoom < 11.5) return 500;
  if (zoom < 12.5) return 260;
  if (zoom < 13.5) return 140;
  return 80;
}

export function heatmapLayerProps(settings: HeatSettings, d: HeatData, ctx: LayerContext): Omit<HeatmapLayerProps, Callbacks> & OverlayPlacement {
  return {
    id: 'heat-map',
    data: indexed(d.positions, d.length),
    visible: settings.visible && settings.mode === 'heat',
    opacity: settings.opacity,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(d.positions, index, target),
    getWeight: 1,
    radiusPixels: Math.round(30 * ctx.scale),
    intensity: 1.8,
    threshold: 0.05,
    colorRange: HEAT_RANGE.map((c) => [c[0], c[1], c[2], c[3]]),
    aggregation: 'SUM',
    pickable: false,
    ...placement(ctx.beforeFills),
  };
}

export function hexagonLayerProps(settings: HeatSettings, d: HeatData, ctx: LayerContext): Omit<HexagonLayerProps, Callbacks> & OverlayPlacement {
  return {
    id: 'heat-hex',
    data: indexed(d.positions, d.length),
    visible: settings.visible && settings.mode === 'hex',
    opacity: settings.opacity,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(d.positions, index, target),
    radius: hexRadiusM(ctx.zoom),
    coverage: 0.88,
    extruded: false,
    colorRange: HEAT_RANGE.slice(1).map((c) => [c[0], c[1], c[2], 220]),
    gpuAggregation: true,
    pickable: true,
    ...placement(ctx.beforeFills),
  };
}
