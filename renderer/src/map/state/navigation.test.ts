import { describe, expect, it } from 'vitest';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import { resolveTime } from '../../../../shared/domain/map';
import { digest } from '../data/useSceneData';
import { breadcrumbs, indexAreas, momentToSlider, parentOf, presetWindow, SLIDER_STEPS, sliderToMoment } from './navigation';

const f = (id: string, level: 'district' | 'town' | 'community' | 'grid', parentId: string | null): AreaFeatureCollection['features'][number] => ({
  type: 'Feature',
  id,
  properties: { id, name: id.toUpperCase(), code: id, level, parentId, riskLevel: 0 },
  geometry: { type: 'Polygon', coordinates: [[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30], [120, 30]]] },
});
const col = (...features: AreaFeatureCollection['features']): AreaFeatureCollection => ({ type: 'FeatureCollection', features });
const NOW = Date.parse('2026-11-21T10:30:00+08:00');

describe('drill-down navigation', () => {
  const index = indexAreas([col(f('d', 'district', 'city')), col(f('t', 'town', 'd')), col(f('c', 'community', 't')), col(f('g', 'grid', 'c')), null]);

  it('chains breadcrumbs from the district down (the city has no feature)', () => {
    expect(breadcrumbs(index, 'g').map((n) => n.id)).toEqual(['d', 't', 'c', 'g']);
    expect(breadcrumbs(index, null)).toEqual([]);
    expect(breadcrumbs(index, 'nowhere')).toEqual([]);
    expect(index.get('g')!.bbox).toEqual([120, 30, 120.1, 30.1]);
  });

  it('goes up one level, to the city at the top', () => {
    expect(parentOf(index, 'g')).toBe('c');
    expect(parentOf(index, 'd')).toBeNull();
    expect(parentOf(index, null)).toBeNull();
  });
});

describe('time control', () => {
  it('presets windows ending now, all within the replay range', () => {
    for (const p of ['1h', '24h', 'today', '7d', '30d'] as const) {
      const w = presetWindow(p, NOW);
      expect(w.mode).toBe('window');
      expect(() => resolveTime(w, NOW)).not.toThrow();
    }
    const today = presetWindow('today', NOW);
    expect(today.mode === 'window' && today.from).toBe('2026-11-21T00:00:00.000+08:00');
  });

  it('maps the slider to whole hours back, the right end being now', () => {
    expect(sliderToMoment(SLIDER_STEPS, NOW)).toBe(NOW);
    expect(sliderToMoment(SLIDER_STEPS - 5, NOW)).toBe(NOW - 5 * 3_600_000);
    expect(momentToSlider(NOW - 5 * 3_600_000, NOW)).toBe(SLIDER_STEPS - 5);
    expect(momentToSlider(NOW - 90 * 86_400_000, NOW)).toBe(0);
  });

  it('fingerprints the cases drawn', () => {
    expect(digest(['a', 'b'], ['reported', 'closed'])).toBe(digest(['a', 'b'], ['reported', 'closed']));
    expect(digest(['a', 'b'], ['reported', 'closed'])).not.toBe(digest(['a', 'b'], ['reported', 'accepted']));
    expect(digest([], [])).toMatch(/^0-/);
  });
});
