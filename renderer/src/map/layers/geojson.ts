import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';

export type AreaProperties = AreaFeatureCollection['features'][number]['properties'];
export type AreaFeature = Feature<Polygon | MultiPolygon, AreaProperties>;
export type AreaGeoJson = FeatureCollection<Polygon | MultiPolygon, AreaProperties>;

/**
 * The API's area FeatureCollection as GeoJSON. The core validates geometry when it stores it and
 * the contract leaves coordinates unparsed (they are large), so this is a view, not a copy.
 */
export function asGeoJson(fc: AreaFeatureCollection): AreaGeoJson {
  return fc as unknown as AreaGeoJson;
}
