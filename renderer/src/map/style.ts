/**
 * The wall's basemap, built at run time from the API's own data: no tiles, no glyphs URL, no
 * sprite, so the map makes no request at all. Without `glyphs`, maplibre draws labels with the
 * page's local fonts (Noto Sans CJK here).
 */
import type { FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import type { AreaFeatureCollection } from '../../../shared/api/areas';
import { bboxOfGeometry, centroidOfGeometry, type AreaGeometry, type BBox } from '../../../shared/geo';
import type { Locale } from '../../../shared/i18n';

export const MAP_LAYER_IDS = {
  background: 'background',
  districtFill: 'district-fill',
  districtGlow: 'district-glow',
  districtLine: 'district-line',
  districtLabels: 'district-labels',
} as const;

export interface MapTheme {
  background: string;
  districtFill: string;
  districtLine: string;
  districtGlow: string;
  label: string;
  labelHalo: string;
}

export const WALL_MAP_THEME: MapTheme = {
  background: '#030c1c',
  districtFill: 'rgba(22, 92, 160, 0.22)',
  districtLine: '#3fd8ff',
  districtGlow: 'rgba(0, 190, 255, 0.35)',
  label: '#e6f7ff',
  labelHalo: 'rgba(2, 12, 28, 0.9)',
};

const geometryOf = (f: AreaFeatureCollection['features'][number]): AreaGeometry => f.geometry as unknown as AreaGeometry;

/** One label point per area, at the centroid of its largest polygon. */
export function labelPoints(fc: AreaFeatureCollection, locale: Locale, englishNames: ReadonlyMap<string, string> = new Map()) {
  return {
    type: 'FeatureCollection' as const,
    features: fc.features.map((f) => ({
      type: 'Feature' as const,
      id: f.id,
      properties: { id: f.id, name: locale === 'en' ? (englishNames.get(f.id) ?? f.properties.name) : f.properties.name },
      geometry: { type: 'Point' as const, coordinates: centroidOfGeometry(geometryOf(f)) },
    })),
  };
}

/** The bounding box of all features, or null for an empty collection. */
export function boundsOf(fc: AreaFeatureCollection): BBox | null {
  if (fc.features.length === 0) return null;
  const out: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of fc.features) {
    const b = bboxOfGeometry(geometryOf(f));
    out[0] = Math.min(out[0], b[0]);
    out[1] = Math.min(out[1], b[1]);
    out[2] = Math.max(out[2], b[2]);
    out[3] = Math.max(out[3], b[3]);
  }
  return out;
}

export interface StyleInput {
  districts: AreaFeatureCollection;
  locale: Locale;
  /** English district names (from areas.list), by id. */
  englishNames?: ReadonlyMap<string, string>;
  theme?: MapTheme;
  /** Label size in pixels (the wall scales it with the screen). */
  labelSizePx?: number;
  /** Multiplier of line widths (the wall scales it with the screen). */
  lineScale?: number;
}

export function buildOfflineStyle(input: StyleInput): StyleSpecification {
  const theme = input.theme ?? WALL_MAP_THEME;
  const size = input.labelSizePx ?? 18;
  const k = input.lineScale ?? 1;
  return {
    version: 8,
    name: 'cityops-offline',
    sources: {
      districts: { type: 'geojson', data: input.districts as unknown as FeatureCollection },
      'district-labels': { type: 'geojson', data: labelPoints(input.districts, input.locale, input.englishNames) },
    },
    layers: [
      { id: MAP_LAYER_IDS.background, type: 'background', paint: { 'background-color': theme.background } },
      { id: MAP_LAYER_IDS.districtFill, type: 'fill', source: 'districts', paint: { 'fill-color': theme.districtFill, 'fill-antialias': true } },
      {
        id: MAP_LAYER_IDS.districtGlow,
        type: 'line',
        source: 'districts',
        paint: { 'line-color': theme.districtGlow, 'line-width': 7 * k, 'line-blur': 6 * k },
      },
      {
        id: MAP_LAYER_IDS.districtLine,
        type: 'line',
        source: 'districts',
        layout: { 'line-join': 'round' },
        paint: { 'line-color': theme.districtLine, 'line-width': 1.6 * k },
      },
      {
        id: MAP_LAYER_IDS.districtLabels,
        type: 'symbol',
        source: 'district-labels',
        layout: {
          'text-field': ['get', 'name'],
          'text-font': ['Noto Sans CJK SC Bold'],
          'text-size': size,
          'text-letter-spacing': 0.12,
          'text-allow-overlap': false,
          'text-padding': 4,
        },
        paint: { 'text-color': theme.label, 'text-halo-color': theme.labelHalo, 'text-halo-width': 2 * k, 'text-halo-blur': 0.5 },
      },
    ],
  };
}
