/**
 * The map's layer kinds. Each entry turns its config and data into a deck.gl layer; the pure
 * prop builders live in the kind's module and are unit-tested there.
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import { boundaryLayerProps, type BoundaryLayerConfig } from './boundaries';
import { casePointLayerProps, type CasePointLayerConfig, type CasePoints } from './casePoints';
import { gridLayerProps, type GridLayerConfig } from './grids';
import type { AreaProperties } from './geojson';

export type MapLayerConfig = GridLayerConfig | BoundaryLayerConfig | CasePointLayerConfig;

export interface MapLayerData {
  grids: AreaFeatureCollection | null;
  towns: AreaFeatureCollection | null;
  cases: CasePoints | null;
}

/** Build the layer of one config, or null while its data has not arrived. */
export function buildLayer(config: MapLayerConfig, data: MapLayerData): Layer | null {
  switch (config.kind) {
    case 'grids':
      return data.grids ? new GeoJsonLayer<AreaProperties>(gridLayerProps(config, data.grids)) : null;
    case 'boundaries':
      return data.towns ? new GeoJsonLayer<AreaProperties>(boundaryLayerProps(config, data.towns)) : null;
    case 'casePoints':
      return data.cases ? new ScatterplotLayer(casePointLayerProps(config, data.cases)) : null;
  }
}

export function buildLayers(configs: readonly MapLayerConfig[], data: MapLayerData): Layer[] {
  return configs.map((c) => buildLayer(c, data)).filter((l): l is Layer => l !== null);
}

export { DEFAULT_GRID_CONFIG } from './grids';
export { DEFAULT_TOWN_BOUNDARY_CONFIG } from './boundaries';
export { DEFAULT_CASE_POINT_CONFIG } from './casePoints';
export type { CasePoints } from './casePoints';
