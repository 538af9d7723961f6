/** Area outlines drawn over the fills (town/street boundaries, 街镇界). */
import type { GeoJsonLayerProps } from '@deck.gl/layers';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import { asGeoJson, type AreaProperties } from './geojson';
import type { LayerConfigBase, OverlayPlacement, RGBA } from './types';

export interface BoundaryLayerConfig extends LayerConfigBase {
  kind: 'boundaries';
  lineColour: RGBA;
  lineWidthPx: number;
  beforeId?: string;
}

export const DEFAULT_TOWN_BOUNDARY_CONFIG: BoundaryLayerConfig = {
  kind: 'boundaries',
  id: 'town-boundaries',
  visible: true,
  opacity: 1,
  lineColour: [140, 235, 255, 210],
  lineWidthPx: 1.6,
};

export function boundaryLayerProps(config: BoundaryLayerConfig, data: AreaFeatureCollection): GeoJsonLayerProps<AreaProperties> & OverlayPlacement {
  const props: GeoJsonLayerProps<AreaProperties> & OverlayPlacement = {
    id: config.id,
    data: asGeoJson(data),
    visible: config.visible,
    opacity: config.opacity,
    filled: false,
    stroked: true,
    getLineColor: config.lineColour,
    getLineWidth: config.lineWidthPx,
    lineWidthUnits: 'pixels',
    pickable: false,
  };
  if (config.beforeId !== undefined) props.beforeId = config.beforeId;
  return props;
}
