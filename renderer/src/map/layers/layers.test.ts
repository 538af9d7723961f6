import { describe, expect, it } from 'vitest';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import { boundaryLayerProps, DEFAULT_TOWN_BOUNDARY_CONFIG } from './boundaries';
import { casePointAttributes, casePointLayerProps, DEFAULT_CASE_POINT_CONFIG, type CasePoints } from './casePoints';
import { CASE_MARKER_COLOURS, caseMarkerKind, hexToRgb, riskColour } from './colours';
import { DEFAULT_GRID_CONFIG, gridFillColour, gridLayerProps } from './grids';
import type { AreaFeature } from './geojson';

const square = (x: number, y: number): number[][][] => [
  [
    [x, y],
    [x + 0.01, y],
    [x + 0.01, y + 0.01],
    [x, y + 0.01],
    [x, y],
  ],
];

const grids: AreaFeatureCollection = {
  type: 'FeatureCollection',
  features: [0, 1, 2, 3, 4].map((level) => ({
    type: 'Feature' as const,
    id: `g${level}`,
    properties: { id: `g${level}`, name: `网格${level}`, code: `G${level}`, level: 'grid' as const, parentId: 't1', riskLevel: level },
    geometry: { type: 'Polygon' as const, coordinates: square(120 + level * 0.01, 30.2) },
  })),
};

const points: CasePoints = {
  ids: ['a', 'b', 'c', 'd'],
  lon: [120.1, 120.2, 120.3, 120.4],
  lat: [30.1, 30.2, 30.3, 30.4],
  state: ['accepted', 'closed', 'reported', 'dispatched'],
  urgency: ['normal', 'normal', 'critical', 'urgent'],
  overdue: [true, false, false, false],
};

describe('risk colours', () => {
  it('maps the five levels to 绿/蓝/黄/橙/红 with the alpha given', () => {
    expect(riskColour(0, 100)).toEqual([0x2e, 0xcc, 0x71, 100]);
    expect(riskColour(1, 100)).toEqual([0x34, 0x98, 0xdb, 100]);
    expect(riskColour(2, 100)).toEqual([0xf1, 0xc4, 0x0f, 100]);
    expect(riskColour(3, 100)).toEqual([0xe6, 0x7e, 0x22, 100]);
    expect(riskColour(4, 255)).toEqual([0xe7, 0x4c, 0x3c, 255]);
  });

  it('clamps levels outside 0..4', () => {
    expect(riskColour(9, 1)).toEqual(riskColour(4, 1));
    expect(riskColour(-2, 1)).toEqual(riskColour(0, 1));
    expect(riskColour(Number.NaN, 1)).toEqual(riskColour(0, 1));
  });

  it('refuses malformed hex', () => {
    expect(() => hexToRgb('red')).toThrow();
  });
});

describe('grid layer', () => {
  it('fills each grid with its risk colour', () => {
    const props = gridLayerProps(DEFAULT_GRID_CONFIG, grids);
    expect(props.id).toBe('grids');
    expect(props.filled).toBe(true);
    const features = grids.features as unknown as AreaFeature[];
    expect(features.map((f) => gridFillColour(DEFAULT_GRID_CONFIG, f)[0])).toEqual([0x2e, 0x34, 0xf1, 0xe6, 0xe7]);
    const fill = props.getFillColor;
    expect(typeof fill).toBe('function');
  });

  it('passes placement and config through', () => {
    const props = gridLayerProps({ ...DEFAULT_GRID_CONFIG, beforeId: 'district-line', fillAlpha: 50, visible: false }, grids);
    expect(props.beforeId).toBe('district-line');
    expect(props.visible).toBe(false);
    expect(props.updateTriggers).toEqual({ getFillColor: [50], getLineColor: [DEFAULT_GRID_CONFIG.lineAlpha] });
    expect(gridLayerProps(DEFAULT_GRID_CONFIG, grids).beforeId).toBeUndefined();
  });
});

describe('boundary layer', () => {
  it('draws outlines only', () => {
    const props = boundaryLayerProps(DEFAULT_TOWN_BOUNDARY_CONFIG, grids);
    expect(props.filled).toBe(false);
    expect(props.stroked).toBe(true);
    expect(props.getLineColor).toEqual(DEFAULT_TOWN_BOUNDARY_CONFIG.lineColour);
    expect(props.lineWidthUnits).toBe('pixels');
  });
});

describe('case points layer', () => {
  it('classifies states, with overdue open cases first', () => {
    expect(caseMarkerKind('accepted', true)).toBe('overdue');
    expect(caseMarkerKind('closed', true)).toBe('done');
    expect(caseMarkerKind('reported', false)).toBe('pending');
    expect(caseMarkerKind('dispatched', false)).toBe('inProgress');
    expect(caseMarkerKind('suspended', false)).toBe('parked');
  });

  it('builds typed arrays in drawing order: done first, overdue last', () => {
    const a = casePointAttributes(DEFAULT_CASE_POINT_CONFIG, points);
    expect(a.length).toBe(4);
    expect([...a.order]).toEqual([1, 3, 2, 0]);
    expect([...a.positions.slice(0, 2)]).toEqual([120.2, 30.2]);
    expect([...a.positions.slice(6, 8)]).toEqual([120.1, 30.1]);
    expect([...a.colours.slice(12, 16)]).toEqual(CASE_MARKER_COLOURS.overdue);
    expect([...a.colours.slice(0, 4)]).toEqual(CASE_MARKER_COLOURS.done);
    // critical (index 2) is drawn third, with the biggest radius
    expect(a.radii[2]).toBeCloseTo(DEFAULT_CASE_POINT_CONFIG.radiusPx * 1.75);
    expect(a.radii[0]).toBeCloseTo(DEFAULT_CASE_POINT_CONFIG.radiusPx);
  });

  it('feeds the attributes to the layer as binary data', () => {
    const props = casePointLayerProps(DEFAULT_CASE_POINT_CONFIG, points);
    const data = props.data as { length: number; attributes: Record<string, { value: ArrayLike<number>; size: number }> };
    expect(data.length).toBe(4);
    expect(data.attributes.getPosition!.size).toBe(2);
    expect(data.attributes.getFillColor!.value).toBeInstanceOf(Uint8ClampedArray);
    expect(props.radiusUnits).toBe('pixels');
  });

  it('handles no cases', () => {
    const empty: CasePoints = { ids: [], lon: [], lat: [], state: [], urgency: [], overdue: [] };
    expect(casePointAttributes(DEFAULT_CASE_POINT_CONFIG, empty).length).toBe(0);
  });
});
