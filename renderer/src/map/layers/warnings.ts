/** Official warnings (预警, CAP): the areas of the warnings in force, filled in the warning's colour. */
import type { GeoJsonLayerProps } from '@deck.gl/layers';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { MethodOutput } from '../../../../shared/api';
import type { MapLayers } from '../../../../shared/domain/map';
import { WARNING_COLOUR_HEX } from '../../../../shared/domain/monitoring';
import { hexToRgb } from './colours';
import { placement, type LayerContext, type OverlayPlacement, type RGBA } from './types';

export type WarningsSettings = MapLayers['warnings'];
export type WarningFeatures = MethodOutput<'warnings.features'>;
export type WarningProperties = WarningFeatures['features'][number]['properties'];
type WarningFeature = Feature<Polygon | MultiPolygon, WarningProperties>;

const colourOf = (f: WarningFeature, alpha: number): RGBA => [...hexToRgb(WARNING_COLOUR_HEX[f.properties.colour]), alpha];

export function warningLayerProps(settings: WarningsSettings, fc: WarningFeatures, ctx: LayerContext): GeoJsonLayerProps<WarningProperties> & OverlayPlacement {
  return {
    id: 'warnings',
    data: fc as unknown as FeatureCollection<Polygon | MultiPolygon, WarningProperties>,
    visible: settings.visible && fc.features.length > 0,
    opacity: settings.opacity,
    filled: true,
    stroked: true,
    getFillColor: (f) => colourOf(f as WarningFeature, 70),
    getLineColor: (f) => colourOf(f as WarningFeature, 235),
    getLineWidth: 2.5,
    lineWidthUnits: 'pixels',
    lineWidthScale: ctx.scale,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 40],
    ...placement(ctx.beforeFills),
  };
}

export function describeWarning(p: WarningProperties) {
  return { title: p.headline ?? p.event, lines: [p.areaDesc] };
}
