import { describe, expect, it } from 'vitest';
import type { AreaFeatureCollection } from '../../../shared/api/areas';
import type { BasemapSource, BasemapStatus } from '../../../shared/domain/map';
import { BASEMAP_SOURCE, BEFORE_FILLS, BEFORE_POINTS, boundsOf, buildStyle, labelPoints, MAP_LAYER_IDS, OVERLAY_LAYER_IDS, usableBasemap, vectorBasemapLayers } from './style';

const fc = (level: 'district' | 'town' | 'community', items: Array<[string, string, number]>): AreaFeatureCollection => ({
  type: 'FeatureCollection',
  features: items.map(([id, name, x]) => ({
    type: 'Feature',
    id,
    properties: { id, name, code: id, level, parentId: null, riskLevel: 0 },
    geometry: { type: 'Polygon', coordinates: [[[x, 30], [x + 1, 30], [x + 1, 31], [x, 31], [x, 30]]] },
  })),
});
const districts = fc('district', [
  ['d1', '西湖区', 120],
  ['d2', '余杭区', 121],
]);
const towns = fc('town', [['t1', '北山街道', 120]]);
const communities = fc('community', [['c1', '北山社区', 120]]);
const input = { districts, towns, communities, locale: 'zh-CN' as const };

const raster: BasemapSource = {
  name: 'city',
  type: 'raster',
  format: 'png',
  tiles: ['/tiles/city/{z}/{x}/{y}.png?v=2'],
  scheme: 'xyz',
  tileJson: '/tiles/city.json?v=2',
  tileSize: 256,
  minzoom: 8,
  maxzoom: 16,
  bounds: [120, 30, 121, 31],
  attribution: null,
  vectorLayers: [],
};

describe('the offline style', () => {
  it('requests nothing: no glyphs, no sprite, GeoJSON sources from the API only', () => {
    const style = buildStyle(input);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    for (const src of Object.values(style.sources)) expect(src.type).toBe('geojson');
    expect(style.layers[0]!.id).toBe(MAP_LAYER_IDS.background);
    expect(style.layers.map((l) => l.id)).toContain(MAP_LAYER_IDS.districtFill);
  });

  it('draws boundaries and names of every level, overlay over basemap, deck.gl anchors present', () => {
    const ids = buildStyle(input).layers.map((l) => l.id);
    expect(ids.slice(-OVERLAY_LAYER_IDS.length)).toEqual([...OVERLAY_LAYER_IDS]);
    expect(ids).toContain(BEFORE_FILLS);
    expect(ids).toContain(BEFORE_POINTS);
    expect(ids.indexOf(BEFORE_FILLS)).toBeLessThan(ids.indexOf(BEFORE_POINTS));
  });

  it('puts a user raster basemap under the overlay, without the bundled fill', () => {
    const style = buildStyle({ ...input, basemap: raster });
    const ids = style.layers.map((l) => l.id);
    expect(ids).not.toContain(MAP_LAYER_IDS.districtFill);
    expect(ids.indexOf('basemap-raster')).toBeLessThan(ids.indexOf(OVERLAY_LAYER_IDS[0]!));
    expect(style.sources[BASEMAP_SOURCE]).toMatchObject({ type: 'raster', tiles: raster.tiles, tileSize: 256, maxzoom: 16, bounds: [120, 30, 121, 31] });
  });

  it('gives any vector tiles a generic dark style by layer name and geometry', () => {
    const layers = vectorBasemapLayers({ ...raster, type: 'vector', format: 'pbf', vectorLayers: [{ id: 'transportation', geometry: 'line' }, { id: 'water', geometry: 'polygon' }, { id: 'place', geometry: 'point' }] });
    expect(layers.map((l) => l.id)).toEqual(['basemap-water-fill', 'basemap-transportation-line', 'basemap-place-names']);
    const names = layers[2]!;
    expect(names.type).toBe('symbol');
  });

  it('uses a basemap only when the status says it is usable', () => {
    const ok: BasemapStatus = { setting: { kind: 'file', path: 'x' }, origin: 'settings', ok: true, message: null, source: raster, revision: 1 };
    expect(usableBasemap(ok)).toBe(raster);
    expect(usableBasemap({ ...ok, ok: false, source: null, message: 'broken' })).toBeNull();
    expect(usableBasemap(null)).toBeNull();
  });

  it('labels areas in the locale and frames them', () => {
    const zh = labelPoints(districts, 'zh-CN');
    expect(zh.features.map((f) => f.properties?.name)).toEqual(['西湖区', '余杭区']);
    const en = labelPoints(districts, 'en', new Map([['d1', 'Xihu District']]));
    expect(en.features.map((f) => f.properties?.name)).toEqual(['Xihu District', '余杭区']);
    expect(boundsOf(districts)).toEqual([120, 30, 122, 31]);
    expect(boundsOf({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
});
