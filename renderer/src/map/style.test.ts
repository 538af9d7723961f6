import { describe, expect, it } from 'vitest';
import type { AreaFeatureCollection } from '../../../shared/api/areas';
import { boundsOf, buildOfflineStyle, labelPoints, MAP_LAYER_IDS } from './style';

const districts: AreaFeatureCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      id: 'd1',
      properties: { id: 'd1', name: '西湖区', code: '330106', level: 'district', parentId: 'c', riskLevel: 0 },
      geometry: { type: 'Polygon', coordinates: [[[120, 30], [120.2, 30], [120.2, 30.2], [120, 30.2], [120, 30]]] },
    },
    {
      type: 'Feature',
      id: 'd2',
      properties: { id: 'd2', name: '余杭区', code: '330110', level: 'district', parentId: 'c', riskLevel: 1 },
      geometry: { type: 'MultiPolygon', coordinates: [[[[119.8, 30.3], [120.1, 30.3], [120.1, 30.5], [119.8, 30.5], [119.8, 30.3]]]] },
    },
  ],
};

describe('offline map style', () => {
  it('requests nothing: no glyphs, sprite or remote sources', () => {
    const style = buildOfflineStyle({ districts, locale: 'zh-CN' });
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    for (const src of Object.values(style.sources)) {
      expect(src.type).toBe('geojson');
      expect(typeof (src as { data: unknown }).data).toBe('object');
    }
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
  });

  it('stacks background, fill, lines and labels in that order', () => {
    const ids = buildOfflineStyle({ districts, locale: 'zh-CN' }).layers.map((l) => l.id);
    expect(ids).toEqual([MAP_LAYER_IDS.background, MAP_LAYER_IDS.districtFill, MAP_LAYER_IDS.districtGlow, MAP_LAYER_IDS.districtLine, MAP_LAYER_IDS.districtLabels]);
  });

  it('labels each district once at its centroid, in the chosen language', () => {
    const zh = labelPoints(districts, 'zh-CN');
    expect(zh.features.map((f) => f.properties.name)).toEqual(['西湖区', '余杭区']);
    expect(zh.features[0]!.geometry.coordinates[0]).toBeCloseTo(120.1);
    expect(zh.features[0]!.geometry.coordinates[1]).toBeCloseTo(30.1);
    const en = labelPoints(districts, 'en', new Map([['d1', 'Xihu']]));
    expect(en.features.map((f) => f.properties.name)).toEqual(['Xihu', '余杭区']);
  });

  it('computes the bounds of all features', () => {
    expect(boundsOf(districts)).toEqual([119.8, 30, 120.2, 30.5]);
    expect(boundsOf({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
});
