/** Grid cells (网格) filled with their five-colour risk level (五色图). */
import type { GeoJsonLayerProps } from '@deck.gl/layers';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import { riskColour } from './colours';
import { asGeoJson, type AreaFeature, type AreaProperties } from './geojson';
import type { LayerConfigBase, OverlayPlacement, RGBA } from './types';

export interface GridLayerConfig extends LayerConfigBase {
  kind: 'grids';
  /** Alpha of the risk fill, 0..255. */
  fillAlpha: number;
  /** Alpha of the outline (the outline uses the risk colour too), 0..255. */
  lineAlpha: number;
  lineWidthPx: number;
  beforeId?: string;
}

export const DEFAULT_GRID_CONFIG: GridLayerConfig = {
  kind: 'grids',
  id: 'grids',
  visible: true,
  opacity: 1,
  fillAlpha: 110,
  lineAlpha: 200,
  lineWidthPx: 0,
};

export function gridFillColour(config: GridLayerConfig, f: AreaFeature): RGBA {
  return riskColour(f.properties.riskLevel, config.fillAlpha);
}

export function gridLayerProps(config: GridLayerConfig, data: AreaFeatureCollection): GeoJsonLayerProps<AreaProperties> & OverlayPlacement {
  const props: GeoJsonLayerProps<AreaProperties> & OverlayPlacement = {
    id: config.id,
    data: asGeoJson(data),
    visible: config.visible,
    opacity: config.opacity,
    filled: true,
    stroked: config.lineWidthPx > 0,
    getFillColor: (f) => gridFillColour(config, f as AreaFeature),
    getLineColor: (f) => riskColour((f as AreaFeature).properties.riskLevel, config.lineAlpha),
    getLineWidth: config.lineWidthPx,
    lineWidthUnits: 'pixels',
    lineWidthMinPixels: 0,
    pickable: false,
    updateTriggers: { getFillColor: [config.fillAlpha], getLineColor: [config.lineAlpha] },
  };
  if (config.beforeId !== undefined) props.beforeId = config.beforeId;
  return props;
}
