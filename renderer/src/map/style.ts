/**
 * The maplibre style: a basemap part (the bundled one, built at run time from the API's area
 * boundaries, or a user's raster/vector tiles served by the host or an intranet URL) under an
 * overlay part that stays over any basemap: boundaries and names of districts, towns/streets and
 * communities. No glyphs URL and no sprite: maplibre draws labels with the page's local fonts
 * (Noto Sans CJK), so the map makes no request of its own except for basemap tiles.
 */
import type { FeatureCollection } from 'geojson';
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { AreaFeatureCollection } from '../../../shared/api/areas';
import type { BasemapSource, BasemapStatus } from '../../../shared/domain/map';
import { bboxOfGeometry, centroidOfGeometry, type AreaGeometry, type BBox } from '../../../shared/geo';
import type { Locale } from '../../../shared/i18n';

export const MAP_LAYER_IDS = {
  background: 'background',
  districtFill: 'district-fill',
  communityLine: 'community-line',
  townLine: 'town-line',
  districtGlow: 'district-glow',
  districtLine: 'district-line',
  communityLabels: 'community-labels',
  townLabels: 'town-labels',
  districtLabels: 'district-labels',
} as const;

/** deck.gl's area fills (grids, density, warnings) go under every boundary line… */
export const BEFORE_FILLS = MAP_LAYER_IDS.communityLine;
/** …and its points and lines under the names. */
export const BEFORE_POINTS = MAP_LAYER_IDS.communityLabels;

/** The overlay (boundaries and names), bottom first: always over the basemap. */
export const OVERLAY_LAYER_IDS: readonly string[] = [
  MAP_LAYER_IDS.communityLine,
  MAP_LAYER_IDS.townLine,
  MAP_LAYER_IDS.districtGlow,
  MAP_LAYER_IDS.districtLine,
  MAP_LAYER_IDS.communityLabels,
  MAP_LAYER_IDS.townLabels,
  MAP_LAYER_IDS.districtLabels,
];
export const LABEL_LAYER_IDS: readonly string[] = [MAP_LAYER_IDS.communityLabels, MAP_LAYER_IDS.townLabels, MAP_LAYER_IDS.districtLabels];
export const BASEMAP_SOURCE = 'basemap';
export const BASEMAP_LAYER_PREFIX = 'basemap-';

export interface MapTheme {
  background: string;
  districtFill: string;
  districtLine: string;
  districtGlow: string;
  townLine: string;
  communityLine: string;
  label: string;
  labelDim: string;
  labelHalo: string;
}

export const WALL_MAP_THEME: MapTheme = {
  background: '#030c1c',
  districtFill: 'rgba(22, 92, 160, 0.22)',
  districtLine: '#3fd8ff',
  districtGlow: 'rgba(0, 190, 255, 0.35)',
  townLine: 'rgba(140, 235, 255, 0.8)',
  communityLine: 'rgba(140, 235, 255, 0.42)',
  label: '#e6f7ff',
  labelDim: '#b5dcf2',
  labelHalo: 'rgba(2, 12, 28, 0.92)',
};

type AreaFeature = AreaFeatureCollection['features'][number];
const geometryOf = (f: AreaFeature): AreaGeometry => f.geometry as unknown as AreaGeometry;

/** One label point per area, at the centroid of its largest polygon. */
export function labelPoints(fc: AreaFeatureCollection, locale: Locale, englishNames: ReadonlyMap<string, string> = new Map()): FeatureCollection {
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

export interface AreaLayersInput {
  districts: AreaFeatureCollection;
  towns: AreaFeatureCollection;
  communities: AreaFeatureCollection;
}

export interface StyleInput extends AreaLayersInput {
  locale: Locale;
  /** English names (from areas.list), by area id. */
  englishNames?: ReadonlyMap<string, string>;
  theme?: MapTheme;
  /** Label size of districts in pixels (the wall scales it with the screen). */
  labelSizePx?: number;
  /** Multiplier of line widths (the wall scales it with the screen). */
  lineScale?: number;
  /** The user's basemap, or null for the bundled one. */
  basemap?: BasemapSource | null;
}

const asFc = (fc: AreaFeatureCollection): FeatureCollection => fc as unknown as FeatureCollection;

/** The sources and layers of a basemap (inserted under the overlay). */
export function basemapParts(source: BasemapSource | null, theme: MapTheme = WALL_MAP_THEME): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  if (!source) {
    return { sources: {}, layers: [{ id: MAP_LAYER_IDS.districtFill, type: 'fill', source: 'districts', paint: { 'fill-color': theme.districtFill, 'fill-antialias': true } }] };
  }
  const common = { tiles: source.tiles, minzoom: source.minzoom, maxzoom: source.maxzoom, scheme: source.scheme, ...(source.bounds ? { bounds: source.bounds } : {}), ...(source.attribution ? { attribution: source.attribution } : {}) };
  if (source.type === 'raster') {
    return {
      sources: { [BASEMAP_SOURCE]: { type: 'raster', tileSize: source.tileSize, ...common } },
      layers: [
        {
          id: `${BASEMAP_LAYER_PREFIX}raster`,
          type: 'raster',
          source: BASEMAP_SOURCE,
          // Toned down a little so the overlays keep the contrast they have on the dark bundled style.
          paint: { 'raster-saturation': -0.25, 'raster-brightness-max': 0.85, 'raster-contrast': 0.05, 'raster-fade-duration': 0 },
        },
      ],
    };
  }
  return { sources: { [BASEMAP_SOURCE]: { type: 'vector', ...common } }, layers: vectorBasemapLayers(source) };
}

/** Colours of a vector basemap's layers by what their names say (OpenMapTiles, Protomaps, others). */
function vectorColour(id: string): { fill: string; line: string; kind: 'water' | 'road' | 'building' | 'green' | 'boundary' | 'place' | 'other' } {
  const n = id.toLowerCase();
  if (/water|river|lake|ocean|sea/.test(n)) return { fill: '#0b2d52', line: '#15507f', kind: 'water' };
  if (/road|transport|street|highway|rail/.test(n)) return { fill: '#2a4869', line: '#3d6a94', kind: 'road' };
  if (/building/.test(n)) return { fill: '#10243f', line: '#1b3558', kind: 'building' };
  if (/park|landuse|landcover|green|wood|forest|grass|natural/.test(n)) return { fill: '#0b2a2a', line: '#124040', kind: 'green' };
  if (/boundar|admin/.test(n)) return { fill: 'rgba(0,0,0,0)', line: '#3a5f85', kind: 'boundary' };
  if (/place|poi|label|name/.test(n)) return { fill: 'rgba(0,0,0,0)', line: 'rgba(0,0,0,0)', kind: 'place' };
  return { fill: '#0a1c33', line: '#1d3a5c', kind: 'other' };
}

/** A generic dark style for any vector tiles: polygons filled, lines stroked, places named. */
export function vectorBasemapLayers(source: BasemapSource): LayerSpecification[] {
  const out: LayerSpecification[] = [];
  const order = ['green', 'other', 'water', 'building', 'road', 'boundary', 'place'] as const;
  const layers = [...source.vectorLayers].sort((a, b) => order.indexOf(vectorColour(a.id).kind) - order.indexOf(vectorColour(b.id).kind));
  for (const l of layers) {
    const c = vectorColour(l.id);
    const base = { source: BASEMAP_SOURCE, 'source-layer': l.id };
    if (c.kind === 'place') {
      out.push({
        id: `${BASEMAP_LAYER_PREFIX}${l.id}-names`,
        type: 'symbol',
        ...base,
        minzoom: 13,
        filter: ['==', ['geometry-type'], 'Point'],
        layout: { 'text-field': ['coalesce', ['get', 'name:zh'], ['get', 'name_zh'], ['get', 'name']], 'text-size': 12, 'text-font': ['Noto Sans CJK SC Regular'] },
        paint: { 'text-color': '#7fa6c9', 'text-halo-color': 'rgba(2, 12, 28, 0.9)', 'text-halo-width': 1.2 },
      });
      continue;
    }
    if (l.geometry !== 'line' && l.geometry !== 'point') {
      out.push({ id: `${BASEMAP_LAYER_PREFIX}${l.id}-fill`, type: 'fill', ...base, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': c.fill } });
    }
    if (l.geometry !== 'polygon' && l.geometry !== 'point') {
      out.push({
        id: `${BASEMAP_LAYER_PREFIX}${l.id}-line`,
        type: 'line',
        ...base,
        filter: ['==', ['geometry-type'], 'LineString'],
        paint: { 'line-color': c.line, 'line-width': c.kind === 'road' ? ['interpolate', ['linear'], ['zoom'], 10, 0.5, 16, 3] : 0.8 },
      });
    }
  }
  return out;
}

/** The overlay: boundaries and names of every level (over any basemap). */
export function overlayParts(input: StyleInput): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  const theme = input.theme ?? WALL_MAP_THEME;
  const size = input.labelSizePx ?? 18;
  const k = input.lineScale ?? 1;
  const names = input.englishNames;
  const font = ['Noto Sans CJK SC Bold'];
  return {
    sources: {
      districts: { type: 'geojson', data: asFc(input.districts) },
      towns: { type: 'geojson', data: asFc(input.towns) },
      communities: { type: 'geojson', data: asFc(input.communities) },
      'district-labels': { type: 'geojson', data: labelPoints(input.districts, input.locale, names) },
      'town-labels': { type: 'geojson', data: labelPoints(input.towns, input.locale, names) },
      'community-labels': { type: 'geojson', data: labelPoints(input.communities, input.locale, names) },
    },
    layers: [
      { id: MAP_LAYER_IDS.communityLine, type: 'line', source: 'communities', minzoom: 11.5, paint: { 'line-color': theme.communityLine, 'line-width': 0.9 * k, 'line-dasharray': [3, 2] } },
      { id: MAP_LAYER_IDS.townLine, type: 'line', source: 'towns', minzoom: 8.5, layout: { 'line-join': 'round' }, paint: { 'line-color': theme.townLine, 'line-width': 1.5 * k } },
      { id: MAP_LAYER_IDS.districtGlow, type: 'line', source: 'districts', paint: { 'line-color': theme.districtGlow, 'line-width': 7 * k, 'line-blur': 6 * k } },
      { id: MAP_LAYER_IDS.districtLine, type: 'line', source: 'districts', layout: { 'line-join': 'round' }, paint: { 'line-color': theme.districtLine, 'line-width': 1.8 * k } },
      {
        id: MAP_LAYER_IDS.communityLabels,
        type: 'symbol',
        source: 'community-labels',
        minzoom: 12.8,
        layout: { 'text-field': ['get', 'name'], 'text-font': font, 'text-size': Math.round(size * 0.62), 'text-allow-overlap': false, 'text-padding': 3 },
        paint: { 'text-color': theme.labelDim, 'text-halo-color': theme.labelHalo, 'text-halo-width': 1.6 * k },
      },
      {
        id: MAP_LAYER_IDS.townLabels,
        type: 'symbol',
        source: 'town-labels',
        minzoom: 10.3,
        layout: { 'text-field': ['get', 'name'], 'text-font': font, 'text-size': Math.round(size * 0.74), 'text-allow-overlap': false, 'text-padding': 4 },
        paint: { 'text-color': theme.label, 'text-halo-color': theme.labelHalo, 'text-halo-width': 1.8 * k },
      },
      {
        id: MAP_LAYER_IDS.districtLabels,
        type: 'symbol',
        source: 'district-labels',
        layout: { 'text-field': ['get', 'name'], 'text-font': font, 'text-size': size, 'text-letter-spacing': 0.12, 'text-allow-overlap': false, 'text-padding': 4 },
        paint: { 'text-color': theme.label, 'text-halo-color': theme.labelHalo, 'text-halo-width': 2 * k, 'text-halo-blur': 0.5 },
      },
    ],
  };
}

export function buildStyle(input: StyleInput): StyleSpecification {
  const theme = input.theme ?? WALL_MAP_THEME;
  const basemap = basemapParts(input.basemap ?? null, theme);
  const overlay = overlayParts(input);
  return {
    version: 8,
    name: 'cityops-offline',
    sources: { ...overlay.sources, ...basemap.sources },
    layers: [{ id: MAP_LAYER_IDS.background, type: 'background', paint: { 'background-color': theme.background } }, ...basemap.layers, ...overlay.layers],
  };
}

/** What the walls draw under the overlays: the status's source when it is usable, else the bundled style. */
export const usableBasemap = (status: BasemapStatus | null): BasemapSource | null => (status && status.ok ? status.source : null);
