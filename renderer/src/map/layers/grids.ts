/**
 * Grid cells (网格) filled by their five-colour risk level (五色图): from the consultation's model
 * when its scores are there, else the grid's own risk field. The selected grid is outlined.
 * Levels are a Uint8Array aligned with the features; a new set of scores changes only the fill
 * colours (updateTriggers), never the tessellated geometry.
 */
import type { GeoJsonLayerProps } from '@deck.gl/layers';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import type { MapLayers } from '../../../../shared/domain/map';
import { RISK_HEX, hexToRgb } from './colours';
import { asGeoJson, type AreaProperties } from './geojson';
import { placement, type AccessorInfo, type LayerContext, type OverlayPlacement, type RGBA } from './types';

export type GridsSettings = MapLayers['grids'];

export interface GridData {
  features: AreaFeatureCollection;
  /** Risk level 0..4 per feature (255: unknown). */
  levels: Uint8Array;
  /** Where the levels came from. */
  source: 'model' | 'field';
  /** Changes whenever `levels` does. */
  version: number;
  indexById: Map<string, number>;
}

/** Levels from the model's scores (by area id) when given, else from the features' riskLevel. */
export function prepareGrids(features: AreaFeatureCollection, scores: { areaIds: readonly string[]; levels: readonly number[] } | null, version: number): GridData {
  const n = features.features.length;
  const indexById = new Map<string, number>();
  features.features.forEach((f, i) => indexById.set(f.id, i));
  const levels = new Uint8Array(n);
  if (scores) {
    levels.fill(255);
    scores.areaIds.forEach((id, k) => {
      const i = indexById.get(id);
      if (i !== undefined) levels[i] = Math.max(0, Math.min(4, scores.levels[k]!));
    });
    for (let i = 0; i < n; i++) if (levels[i] === 255) levels[i] = clampLevel(features.features[i]!.properties.riskLevel);
  } else {
    for (let i = 0; i < n; i++) levels[i] = clampLevel(features.features[i]!.properties.riskLevel);
  }
  return { features, levels, source: scores ? 'model' : 'field', version, indexById };
}

const clampLevel = (l: number): number => Math.max(0, Math.min(4, Math.round(Number.isFinite(l) ? l : 0)));

const RISK_RGB = RISK_HEX.map(hexToRgb);
const FILL_ALPHA = 150;
const LINE_ALPHA = 230;

function levelColour(level: number, alpha: number, target: number[]): RGBA {
  const c = RISK_RGB[level] ?? RISK_RGB[0]!;
  target[0] = c[0];
  target[1] = c[1];
  target[2] = c[2];
  target[3] = alpha;
  return target as unknown as RGBA;
}

/** Show cell outlines from this zoom. */
export const GRID_OUTLINE_ZOOM = 13.5;

export function gridLayerProps(settings: GridsSettings, d: GridData, ctx: LayerContext): GeoJsonLayerProps<AreaProperties> & OverlayPlacement {
  const outlines = ctx.zoom >= GRID_OUTLINE_ZOOM;
  return {
    id: 'grids',
    data: asGeoJson(d.features),
    visible: settings.visible,
    opacity: settings.opacity,
    filled: true,
    stroked: outlines,
    getFillColor: (_: unknown, { index, target }: AccessorInfo) => levelColour(d.levels[index]!, FILL_ALPHA, target),
    getLineColor: (_: unknown, { index, target }: AccessorInfo) => levelColour(d.levels[index]!, LINE_ALPHA, target),
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    lineWidthScale: ctx.scale,
    // Grids are clicked into from a community down; above that, clicks drill into the area shapes.
    pickable: ctx.selectedLevel === 'community' || ctx.selectedLevel === 'grid',
    autoHighlight: true,
    highlightColor: [255, 255, 255, 60],
    updateTriggers: { getFillColor: d.version, getLineColor: d.version },
    ...placement(ctx.beforeFills),
  };
}

/** Counts of grids per level (legend). */
export function gridLevelCounts(d: GridData): number[] {
  const out = [0, 0, 0, 0, 0];
  for (const l of d.levels) if (l < 5) out[l]!++;
  return out;
}

export function describeGrid(d: GridData, index: number, riskLabel: (level: number) => string) {
  const f = d.features.features[index]!;
  return { title: f.properties.name, lines: [f.properties.code, riskLabel(d.levels[index]!)] };
}
