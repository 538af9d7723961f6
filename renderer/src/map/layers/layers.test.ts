import { describe, expect, it } from 'vitest';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import type { AlarmSeverity, AlarmState } from '../../../../shared/domain/monitoring';
import type { DispatchArc, MapAlarms, MapCases, MapTrails } from '../../../../shared/api/map';
import { DEFAULT_MAP_LAYERS, type MapLayers } from '../../../../shared/domain/map';
import type { Camera, Sensor } from '../../../../shared/domain/model';
import { alarmAt, alarmLayerProps, alarmPulseLayerProps, describeAlarm, prepareAlarms, WARNING_MIN_ZOOM } from './alarms';
import { areaChildLayerProps, childLevelOf, drillData, selectedAreaLayerProps, type AreaGeometries } from './areas';
import { arcLayerProps, visibleArcs, ALL_ARCS_ZOOM } from './arcs';
import { CAMERA_MIN_ZOOM, cameraBinary, cameraDotLayerProps, cameraFovLayerProps, cameraWedges, FOV_MIN_ZOOM, prepareCameras } from './cameras';
import { caseClusterLayerProps, caseClusters, caseCounts, caseIconLayerProps, casePulseLayerProps, CLUSTER_BELOW_ZOOM, clusterRadius, prepareCases } from './cases';
import { clusterPoints, mercatorX, mercatorY } from './cluster';
import { ALARM_SEVERITY_COLOURS, CASE_MARKER_COLOURS, caseMarkerKind, hexToRgb, riskColour, SENSOR_STATUS_COLOURS } from './colours';
import { forceDotLayerProps, forceTrailLayerProps, prepareForces, STILL_STAFF_MIN_ZOOM, trailSecondsAt } from './forces';
import { gridLayerProps, gridLevelCounts, GRID_OUTLINE_ZOOM, prepareGrids } from './grids';
import { heatmapLayerProps, hexagonLayerProps, hexRadiusM, prepareHeat } from './heat';
import { CLASS_ICONS, iconMapping, iconName } from './icons';
import { buildStatic, composeScene, EMPTY_SCENE, needsAnimation, pickTarget, type SceneData } from './index';
import { SensorStore, sensorLayerProps, sensorMask, sensorPulseLayerProps, SENSOR_MIN_ZOOM } from './sensors';
import { indexed, type LayerContext } from './types';
import { warningLayerProps, type WarningFeatures } from './warnings';

const ctx = (over: Partial<LayerContext> = {}): LayerContext => ({
  zoom: 14,
  scale: 1,
  beforeFills: 'fills',
  beforePoints: 'points',
  selectedAreaId: null,
  selectedLevel: 'city',
  highlight: null,
  ...over,
});
const clock = { seconds: 0.4, trailSeconds: 1800 };
const L: MapLayers = DEFAULT_MAP_LAYERS;

/** Call an accessor of a layer's props the way deck.gl does: (object, {index, target}). */
function access<T>(fn: unknown, index: number, target: number[] = [0, 0, 0, 0]): T {
  return (fn as (o: unknown, info: { index: number; target: number[] }) => T)(null, { index, target });
}

const square = (x: number, y: number, d = 0.01): number[][][] => [
  [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ],
];

function area(id: string, level: 'district' | 'town' | 'community' | 'grid', parentId: string | null, x: number, risk = 0): AreaFeatureCollection['features'][number] {
  return { type: 'Feature', id, properties: { id, name: `名${id}`, code: id.toUpperCase(), level, parentId, riskLevel: risk }, geometry: { type: 'Polygon', coordinates: square(120 + x, 30.2) } };
}
const fc = (features: AreaFeatureCollection['features']): AreaFeatureCollection => ({ type: 'FeatureCollection', features });

const grids = fc([0, 1, 2, 3, 4].map((l) => area(`g${l}`, 'grid', 'c1', l * 0.01, l)));

const cases: MapCases = {
  at: '2026-11-21T10:00:00.000+08:00',
  mode: 'live',
  ids: ['a', 'b', 'c', 'd'],
  codes: ['A', 'B', 'C', 'D'],
  lon: [120.1, 120.2, 120.3, 120.4],
  lat: [30.1, 30.2, 30.3, 30.4],
  state: ['accepted', 'closed', 'reported', 'dispatched'],
  urgency: ['normal', 'normal', 'critical', 'urgent'],
  overdue: [true, false, false, false],
  fresh: [false, false, true, false],
  classCode: ['01', '05', '99', '01'],
  truncated: false,
};

describe('colours', () => {
  it('maps the five levels to 绿/蓝/黄/橙/红 with the alpha given, clamped', () => {
    expect(riskColour(0, 100)).toEqual([0x2e, 0xcc, 0x71, 100]);
    expect(riskColour(4, 255)).toEqual([0xe7, 0x4c, 0x3c, 255]);
    expect(riskColour(9, 1)).toEqual(riskColour(4, 1));
    expect(riskColour(Number.NaN, 1)).toEqual(riskColour(0, 1));
    expect(() => hexToRgb('red')).toThrow();
  });

  it('classifies case states, overdue open cases first', () => {
    expect(caseMarkerKind('accepted', true)).toBe('overdue');
    expect(caseMarkerKind('closed', true)).toBe('done');
    expect(caseMarkerKind('reported', false)).toBe('pending');
    expect(caseMarkerKind('dispatched', false)).toBe('inProgress');
    expect(caseMarkerKind('suspended', false)).toBe('parked');
  });
});

describe('grids', () => {
  it('colours by the model’s levels when there are scores, else by the grids’ field', () => {
    const field = prepareGrids(grids, null, 1);
    expect([...field.levels]).toEqual([0, 1, 2, 3, 4]);
    expect(field.source).toBe('field');
    const model = prepareGrids(grids, { areaIds: ['g0', 'g4', 'elsewhere'], levels: [4, 0, 2] }, 2);
    expect([...model.levels]).toEqual([4, 1, 2, 3, 0]);
    expect(model.source).toBe('model');
    expect(gridLevelCounts(model)).toEqual([1, 1, 1, 1, 1]);
  });

  it('fills from the levels array; a new version changes only the colour triggers', () => {
    const d = prepareGrids(grids, null, 7);
    const p = gridLayerProps(L.grids, d, ctx({ zoom: 12 }));
    expect(p.id).toBe('grids');
    expect(p.beforeId).toBe('fills');
    expect(access<number[]>(p.getFillColor, 3)).toEqual([0xe6, 0x7e, 0x22, 150]);
    expect(p.updateTriggers).toEqual({ getFillColor: 7, getLineColor: 7 });
    expect(p.stroked).toBe(false);
    expect(gridLayerProps(L.grids, d, ctx({ zoom: GRID_OUTLINE_ZOOM })).stroked).toBe(true);
    expect(p.data).toBe(gridLayerProps(L.grids, d, ctx()).data);
    // Clicks drill into areas above the community level; grids are picked below it.
    expect(p.pickable).toBe(false);
    expect(gridLayerProps(L.grids, d, ctx({ selectedLevel: 'community' })).pickable).toBe(true);
  });
});

describe('areas (drill-down)', () => {
  const geo: AreaGeometries = {
    district: fc([area('d1', 'district', 'city', 0), area('d2', 'district', 'city', 1)]),
    town: fc([area('t1', 'town', 'd1', 0), area('t2', 'town', 'd1', 0.5), area('t3', 'town', 'd2', 1)]),
    community: fc([area('c1', 'community', 't1', 0)]),
    grid: grids,
  };

  it('offers the children of the selected area, level by level', () => {
    expect(drillData(geo, null).children.features.map((f) => f.id)).toEqual(['d1', 'd2']);
    const d1 = drillData(geo, { id: 'd1', level: 'district' });
    expect(d1.children.features.map((f) => f.id)).toEqual(['t1', 't2']);
    expect(d1.selected.features.map((f) => f.id)).toEqual(['d1']);
    expect(drillData(geo, { id: 't1', level: 'town' }).childLevel).toBe('community');
    expect(drillData(geo, { id: 'c1', level: 'community' }).children.features).toHaveLength(5);
    expect(drillData(geo, { id: 'g1', level: 'grid' }).children.features).toEqual([]);
    expect(childLevelOf('grid')).toBeNull();
  });

  it('draws the children pickable over the fills and the selection outlined', () => {
    const d = drillData(geo, { id: 'd1', level: 'district' });
    const children = areaChildLayerProps(L.areas, d, ctx());
    expect(children.pickable).toBe(true);
    expect(children.beforeId).toBe('points');
    expect(children.visible).toBe(true);
    // At a community, its grids are picked through the grids layer.
    expect(areaChildLayerProps(L.areas, drillData(geo, { id: 'c1', level: 'community' }), ctx()).visible).toBe(false);
    expect(selectedAreaLayerProps(L.areas, d, ctx(), false).visible).toBe(true);
    expect(selectedAreaLayerProps(L.areas, drillData(geo, null), ctx(), true).visible).toBe(false);
  });
});

describe('cases', () => {
  it('builds typed arrays in drawing order (done first, overdue last) with icons, sizes and pulses', () => {
    const d = prepareCases(cases, { classCodes: [], urgencies: [] });
    expect(d.length).toBe(4);
    expect([...d.source]).toEqual([1, 3, 2, 0]);
    expect(d.ids).toEqual(['b', 'd', 'c', 'a']);
    expect([...d.positions.slice(0, 2)]).toEqual([120.2, 30.2]);
    expect([...d.colours.slice(12, 16)]).toEqual(CASE_MARKER_COLOURS.overdue);
    expect([...d.colours.slice(0, 4)]).toEqual(CASE_MARKER_COLOURS.done);
    expect(d.sizes[2]).toBeCloseTo(1.75);
    expect(d.icons).toEqual(['05', '01', 'other', '01']);
    // the new case (c) and the overdue one (a) pulse
    expect([...d.pulse]).toEqual([2, 3]);
    expect(caseCounts(d)).toEqual({ done: 1, parked: 0, inProgress: 1, pending: 1, overdue: 1 });
  });

  it('filters by class and urgency', () => {
    expect(prepareCases(cases, { classCodes: ['01'], urgencies: [] }).ids).toEqual(['d', 'a']);
    expect(prepareCases(cases, { classCodes: [], urgencies: ['critical', 'urgent'] }).ids).toEqual(['d', 'c']);
  });

  it('shows icons when zoomed in and clusters with counts below the cluster zoom', () => {
    const d = prepareCases(cases, { classCodes: [], urgencies: [] });
    const icons = caseIconLayerProps(L.cases, d, ctx(), 'data:atlas');
    expect(icons.visible).toBe(true);
    expect(icons.iconAtlas).toBe('data:atlas');
    expect(access<string>(icons.getIcon, 0)).toBe('05');
    expect(access<number[]>(icons.getPosition, 3)).toEqual([120.1, 30.1, 0, 0]);
    expect(access<number[]>(icons.getColor, 3)).toEqual([...CASE_MARKER_COLOURS.overdue]);
    expect(icons.data).toBe(caseIconLayerProps(L.cases, d, ctx({ zoom: 15 }), 'data:atlas').data);
    const low = ctx({ zoom: CLUSTER_BELOW_ZOOM - 4 });
    expect(caseIconLayerProps(L.cases, d, low, 'x').visible).toBe(false);
    const c = caseClusters(d, low.zoom);
    expect(c).toBe(caseClusters(d, low.zoom + 0.5));
    expect(c.counts.reduce((a, b) => a + b, 0)).toBe(4);
    const cl = caseClusterLayerProps(L.cases, c, low);
    expect(cl.visible).toBe(true);
    expect(caseClusterLayerProps({ ...L.cases, cluster: false }, c, low).visible).toBe(false);
    expect(clusterRadius(1)).toBe(4);
    expect(clusterRadius(100)).toBeGreaterThan(clusterRadius(10));
  });

  it('pulses by changing only the radius scale and opacity', () => {
    const d = prepareCases(cases, { classCodes: [], urgencies: [] });
    const a = casePulseLayerProps(L.cases, d, ctx(), { seconds: 0.1, trailSeconds: 0 });
    const b = casePulseLayerProps(L.cases, d, ctx(), { seconds: 0.9, trailSeconds: 0 });
    expect(a.data).toBe(b.data);
    expect(a.getPosition).not.toBe(undefined);
    expect(a.radiusScale).not.toBe(b.radiusScale);
    expect(a.opacity).toBeGreaterThan(b.opacity ?? 0);
  });
});

describe('clustering and icons', () => {
  it('groups points of one screen cell, keeping the highest rank', () => {
    const z = 10;
    const positions = new Float64Array([120, 30, 120.0001, 30.0001, 121, 31]);
    const c = clusterPoints(positions, new Uint8Array([1, 4, 2]), 3, z, 50);
    expect(c.length).toBe(2);
    expect([...c.counts]).toEqual([2, 1]);
    expect([...c.worst]).toEqual([4, 2]);
    expect(c.labels).toEqual(['2', '']);
    expect(mercatorX(0, 0)).toBe(256);
    expect(mercatorY(0, 0)).toBeCloseTo(256);
  });

  it('lays the class icons out in one row, unknown classes falling back', () => {
    const m = iconMapping();
    expect(Object.keys(m)).toHaveLength(CLASS_ICONS.length);
    expect(m['05']).toMatchObject({ y: 0, mask: true });
    expect(new Set(CLASS_ICONS.map((i) => i.glyph)).size).toBe(CLASS_ICONS.length);
    expect(iconName('42')).toBe('other');
  });
});

const cameraList: Camera[] = [
  { id: 'c1', name: '枪机1', departmentId: null, gridId: null, lon: 120.1, lat: 30.2, heading: 90, fov: 60, kind: 'fixed', status: 'online' },
  { id: 'c2', name: '球机2', departmentId: null, gridId: null, lon: 120.2, lat: 30.2, heading: 0, fov: 360, kind: 'ptz', status: 'online' },
  { id: 'c3', name: '枪机3', departmentId: null, gridId: null, lon: 120.3, lat: 30.2, heading: 0, fov: 60, kind: 'fixed', status: 'fault' },
];

describe('cameras', () => {
  it('binary dots by status from zoom 13, filtered by status and kind', () => {
    const d = prepareCameras(cameraList, { statuses: [], kinds: [] });
    expect(d.length).toBe(3);
    expect(prepareCameras(cameraList, { statuses: ['fault'], kinds: [] }).ids).toEqual(['c3']);
    expect(prepareCameras(cameraList, { statuses: [], kinds: ['ptz'] }).ids).toEqual(['c2']);
    const p = cameraDotLayerProps(L.cameras, d, ctx({ zoom: CAMERA_MIN_ZOOM }));
    expect(p.visible).toBe(true);
    expect(p.data).toBe(cameraBinary(d));
    expect(cameraBinary(d).attributes.getFillColor!.type).toBe('unorm8');
    expect(cameraDotLayerProps(L.cameras, d, ctx({ zoom: CAMERA_MIN_ZOOM - 1 })).visible).toBe(false);
  });

  it('builds field-of-view wedges of online cameras only, and only from the FOV zoom', () => {
    const d = prepareCameras(cameraList, { statuses: [], kinds: [] });
    const w = cameraWedges(d);
    expect(w.length).toBe(2);
    expect(w).toBe(cameraWedges(d));
    // the fixed camera's wedge starts at the camera and opens to the east
    expect([w.vertices[0], w.vertices[1]]).toEqual([120.1, 30.2]);
    expect(w.vertices[4]!).toBeGreaterThan(120.1);
    expect(cameraFovLayerProps(L.cameras, d, ctx({ zoom: FOV_MIN_ZOOM - 0.5 })).visible).toBe(false);
    const fov = cameraFovLayerProps(L.cameras, d, ctx({ zoom: FOV_MIN_ZOOM }));
    expect(fov.visible).toBe(true);
    expect((fov.data as { length: number }).length).toBe(2);
    expect(cameraFovLayerProps({ ...L.cameras, fov: false }, d, ctx({ zoom: 17 })).visible).toBe(false);
  });
});

const sensorList: Sensor[] = ['a', 'b', 'c'].map((id, i) => ({
  id,
  name: `设备${id}`,
  type: 'water_level' as const,
  unit: 'm',
  departmentId: null,
  gridId: null,
  lon: 120 + i * 0.01,
  lat: 30,
  intervalS: 60,
  status: i === 2 ? ('offline' as const) : ('normal' as const),
  lastValue: i === 2 ? null : 0.05,
  lastAt: null,
}));

describe('sensors', () => {
  it('colours by value towards the warning line and by status', () => {
    const s = new SensorStore(sensorList, { water_level: { dir: 'above', warn: 0.15, alarm: 0.2 } });
    expect([...s.colours.slice(8, 12)]).toEqual(SENSOR_STATUS_COLOURS.offline);
    const low = [...s.colours.slice(0, 4)];
    s.apply({ ids: ['a'], values: [0.14], status: ['normal'] });
    expect([...s.colours.slice(0, 4)]).not.toEqual(low);
  });

  it('applies a batch in place: same arrays and binary data, a new version, alarms tracked', () => {
    const s = new SensorStore(sensorList);
    const { positions, colours, binary } = s;
    expect(s.apply({ ids: ['b', 'ghost', 'a'], values: [3, 1, null], status: ['alarm', 'normal', 'warning'] })).toBe(2);
    expect(s.version).toBe(1);
    expect(s.positions).toBe(positions);
    expect(s.colours).toBe(colours);
    expect(s.binary).toBe(binary);
    expect([...s.colours.slice(4, 8)]).toEqual(SENSOR_STATUS_COLOURS.alarm);
    expect(Number.isNaN(s.values[0]!)).toBe(true);
    expect([...s.alarmIndex]).toEqual([1]);
    expect(s.apply({ ids: ['ghost'], values: [1], status: ['normal'] })).toBe(0);
    expect(s.version).toBe(1);
  });

  it('a new batch changes only the colour trigger of the layer (the positions stay the same binary data)', () => {
    const s = new SensorStore(sensorList);
    const before = sensorLayerProps(L.sensors, s, null, ctx());
    s.apply({ ids: ['a'], values: [1], status: ['warning'] });
    const after = sensorLayerProps(L.sensors, s, null, ctx());
    expect(after.data).toBe(before.data);
    expect((after.updateTriggers as { getFillColor: number }).getFillColor).toBe(1);
    expect((before.updateTriggers as { getFillColor: number }).getFillColor).toBe(0);
    expect(access<number[]>(after.getFillColor, 0)).toEqual([...SENSOR_STATUS_COLOURS.warning]);
    expect(sensorLayerProps(L.sensors, s, null, ctx({ zoom: SENSOR_MIN_ZOOM - 1 })).visible).toBe(false);
  });

  it('hides filtered sensors by radius and pulses those in alarm', () => {
    const s = new SensorStore(sensorList);
    const mask = sensorMask(s, { types: [], statuses: ['offline'] })!;
    expect([...mask]).toEqual([0, 0, 1]);
    expect(sensorMask(s, { types: [], statuses: [] })).toBeNull();
    const p = sensorLayerProps({ ...L.sensors, statuses: ['offline'] }, s, mask, ctx());
    expect(access<number>(p.getRadius, 0)).toBe(0);
    expect(access<number>(p.getRadius, 2)).toBe(1);
    expect(sensorPulseLayerProps(L.sensors, s, ctx(), clock).visible).toBe(false);
    s.apply({ ids: ['a'], values: [9], status: ['alarm'] });
    const pulse = sensorPulseLayerProps(L.sensors, s, ctx(), clock);
    expect(pulse.visible).toBe(true);
    expect((pulse.data as { length: number }).length).toBe(1);
  });
});

const trails: MapTrails = {
  from: 1_000_000,
  to: 1_000_000 + 3_600_000,
  ids: ['p1', 'p2'],
  names: ['王', '李'],
  roles: ['enforcement', 'police'],
  unitIds: ['u1', null],
  starts: [0, 3],
  lon: [120, 120.001, 120.002, 120.5],
  lat: [30, 30.001, 30.002, 30.5],
  t: [0, 60, 120, 3000],
};

describe('forces', () => {
  it('last positions for everyone, binary trails for those who moved', () => {
    const d = prepareForces(trails, { roles: [] });
    expect(d.length).toBe(2);
    expect([...d.positions]).toEqual([120.002, 30.002, 120.5, 30.5]);
    expect([...d.moving]).toEqual([1, 0]);
    expect(d.trails.length).toBe(1);
    expect([...d.trails.timestamps]).toEqual([0, 60, 120]);
    expect(d.trailBinary.attributes.getPath!.value).toBe(d.trails.path);
    expect(prepareForces(trails, { roles: ['police'] }).ids).toEqual(['p2']);
    expect(trailSecondsAt(d, d.to)).toBe(3600);
  });

  it('moves the trail clock without touching data; still staff show when zoomed in', () => {
    const d = prepareForces(trails, { roles: [] });
    const a = forceTrailLayerProps(L.forces, d, ctx(), { seconds: 0, trailSeconds: 100 });
    const b = forceTrailLayerProps(L.forces, d, ctx(), { seconds: 0, trailSeconds: 200 });
    expect(a.data).toBe(b.data);
    expect([a.currentTime, b.currentTime]).toEqual([100, 200]);
    expect(forceTrailLayerProps({ ...L.forces, trails: false }, d, ctx(), clock).visible).toBe(false);
    const far = forceDotLayerProps(L.forces, d, ctx({ zoom: STILL_STAFF_MIN_ZOOM - 1 }));
    expect([access<number>(far.getRadius, 0), access<number>(far.getRadius, 1)]).toEqual([1, 0]);
    expect(access<number>(forceDotLayerProps(L.forces, d, ctx({ zoom: STILL_STAFF_MIN_ZOOM })).getRadius, 1)).toBe(1);
  });
});

describe('density', () => {
  it('one Float64Array of positions; heat or hexagons by mode; hexagon size by zoom', () => {
    const d = prepareHeat({ lon: [120, 121], lat: [30, 31], from: 'a', to: 'b' });
    expect([...d.positions]).toEqual([120, 30, 121, 31]);
    const heat = heatmapLayerProps({ ...L.heat, visible: true }, d, ctx());
    const hex = hexagonLayerProps({ ...L.heat, visible: true }, d, ctx());
    expect(heat.visible).toBe(true);
    expect(hex.visible).toBe(false);
    expect(hexagonLayerProps({ ...L.heat, visible: true, mode: 'hex' }, d, ctx()).visible).toBe(true);
    expect(access<number[]>(heat.getPosition, 1)).toEqual([121, 31, 0, 0]);
    expect(heat.data).toBe(hex.data);
    expect(hexRadiusM(10)).toBeGreaterThan(hexRadiusM(14));
  });
});

const arcs: DispatchArc[] = [
  { caseId: 'a', code: 'A', title: 't', state: 'accepted', urgency: 'normal', overdue: false, unitId: 'u', unitName: '中队', from: [120, 30], to: [120.1, 30.1], dispatchedAt: '2026-11-20T10:00:00.000+08:00' },
  { caseId: 'b', code: 'B', title: 't', state: 'dispatched', urgency: 'critical', overdue: false, unitId: 'u', unitName: '中队', from: [120, 30], to: [120.2, 30.1], dispatchedAt: '2026-11-20T10:00:00.000+08:00' },
  { caseId: 'c', code: 'C', title: 't', state: 'accepted', urgency: 'normal', overdue: true, unitId: 'u', unitName: '中队', from: [120, 30], to: [120.3, 30.1], dispatchedAt: '2026-11-20T10:00:00.000+08:00' },
];

describe('dispatch arcs', () => {
  it('draw all when zoomed in, and the urgent, overdue or recent ones below', () => {
    const now = Date.parse('2026-11-21T10:00:00+08:00');
    expect(visibleArcs(arcs, ALL_ARCS_ZOOM, now)).toBe(arcs);
    const few = visibleArcs(arcs, 10, now);
    expect(few.map((a) => a.caseId)).toEqual(['b', 'c']);
    expect(visibleArcs(arcs, 10, now)).toBe(few);
    const p = arcLayerProps(L.arcs, arcs, ctx({ zoom: 14 }), now);
    expect(p.data).toBe(arcs);
    expect((p.getTargetColor as unknown as (a: DispatchArc) => number[])(arcs[2]!)[0]).toBe(255);
    expect(p.pickable).toBe(true);
  });
});

const mapAlarms = (rows: Array<[id: string, severity: AlarmSeverity, state: AlarmState]>): MapAlarms => ({
  at: '2026-11-21T08:00:00+08:00',
  mode: 'live',
  total: rows.length,
  ids: rows.map((r) => r[0]),
  sensorIds: rows.map((r) => `s-${r[0]}`),
  sensorNames: rows.map((r) => `水位 ${r[0]}`),
  lon: rows.map((_, i) => 120 + i / 100),
  lat: rows.map(() => 30),
  severity: rows.map((r) => r[1]),
  state: rows.map((r) => r[2]),
  message: rows.map((r) => `message ${r[0]}`),
  raisedAt: rows.map(() => '2026-11-21T08:00:00+08:00'),
  truncated: false,
});

describe('alarms', () => {
  it('order by severity, size warnings small, pulse only unacknowledged alarms and criticals', () => {
    const src = mapAlarms([
      ['1', 'critical', 'raised'],
      ['2', 'warning', 'raised'],
      ['3', 'alarm', 'acknowledged'],
    ]);
    const d = prepareAlarms(src, { severities: [] });
    expect([...d.order].map((j) => src.ids[j])).toEqual(['2', '3', '1']);
    expect([...d.positions.slice(4, 6)]).toEqual([120, 30]);
    expect([...d.colours.slice(8, 12)]).toEqual(ALARM_SEVERITY_COLOURS.critical);
    expect(d.sizes[0]).toBeLessThan(d.sizes[2]!);
    expect(d.raised.length / 2).toBe(1);
    expect(prepareAlarms(src, { severities: ['warning'] }).length).toBe(1);
    expect(alarmLayerProps(L.alarms, d, ctx()).visible).toBe(true);
    expect(alarmPulseLayerProps(L.alarms, d, ctx(), clock).visible).toBe(true);
    // Warnings from the sensors' zoom on; alarms and criticals at every zoom.
    const radius = (zoom: number, i: number): number => (alarmLayerProps(L.alarms, d, ctx({ zoom })).getRadius as unknown as (o: unknown, info: { index: number }) => number)(null, { index: i });
    expect(radius(WARNING_MIN_ZOOM, 0)).toBeGreaterThan(0);
    expect(radius(WARNING_MIN_ZOOM - 1, 0)).toBe(0);
    expect(radius(WARNING_MIN_ZOOM - 1, 2)).toBe(1);
    expect(alarmLayerProps(L.alarms, d, ctx({ zoom: 10 })).updateTriggers).toEqual({ getRadius: false, getLineWidth: false });
  });

  it('name the picked alarm and describe it for the tooltip', () => {
    const src = mapAlarms([
      ['a', 'critical', 'raised'],
      ['b', 'warning', 'acknowledged'],
    ]);
    const d = prepareAlarms(src, { severities: [] });
    expect(alarmAt(d, 0)).toEqual({ id: 'b', sensorId: 's-b' });
    expect(alarmAt(d, 1)).toEqual({ id: 'a', sensorId: 's-a' });
    expect(alarmAt(d, 2)).toBeNull();
    expect(describeAlarm(d, 1, { severity: (s) => s.toUpperCase(), state: (s) => `[${s}]` })).toEqual({ title: '水位 a', lines: ['message a', 'CRITICAL · [raised]'] });
    expect(pickTarget({ layer: { id: 'alarms-dots' } as never, index: 0, object: null }, { ...EMPTY_SCENE, alarms: d })).toEqual({ kind: 'alarm', id: 'b' });
  });
});

describe('warnings', () => {
  it('fill the areas in the warning colour', () => {
    const w: WarningFeatures = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { warningId: 'w1', areaDesc: '西湖区', colour: 'red', event: '暴雨', headline: null, shape: 'polygon' }, geometry: { type: 'Polygon', coordinates: square(120, 30) } }],
    };
    const p = warningLayerProps(L.warnings, w, ctx());
    expect((p.getFillColor as unknown as (f: unknown) => number[])(w.features[0])).toEqual([0xe8, 0x26, 0x2b, 70]);
    expect(p.beforeId).toBe('fills');
    expect(warningLayerProps(L.warnings, { type: 'FeatureCollection', features: [] }, ctx()).visible).toBe(false);
  });
});

describe('the registry', () => {
  const scene = (): SceneData => {
    const store = new SensorStore(sensorList);
    return {
      ...EMPTY_SCENE,
      grids: prepareGrids(grids, null, 1),
      cases: prepareCases(cases, { classCodes: [], urgencies: [] }),
      sensors: { store, mask: null, version: 0 },
      forces: prepareForces(trails, { roles: [] }),
    };
  };
  const assets = { iconAtlas: 'data:x', fontFamily: 'sans-serif' };

  it('builds each kind’s layers in drawing order, animated ones next to their kind', () => {
    const d = scene();
    const stat = buildStatic(L, d, ctx(), assets);
    expect(stat.grids.map((l) => l.id)).toEqual(['grids']);
    expect(stat.cases.map((l) => l.id)).toEqual(['cases-icons']);
    expect(stat.heat).toEqual([]);
    const ids = composeScene(L, d, ctx(), stat, clock).map((l) => l.id);
    expect(ids).toEqual(['grids', 'sensors-dots', 'sensors-pulse', 'forces-dots', 'forces-trails', 'cases-icons', 'cases-pulse']);
    expect(needsAnimation(L, d, ctx())).toBe(true);
    const still = { ...L, forces: { ...L.forces, visible: false } };
    expect(needsAnimation(still, d, ctx())).toBe(true);
    // Clustered cases do not pulse.
    expect(needsAnimation(still, d, ctx({ zoom: CLUSTER_BELOW_ZOOM - 2 }))).toBe(false);
    expect(needsAnimation({ ...still, cases: { ...L.cases, visible: false } }, d, ctx())).toBe(false);
  });

  it('rebuilds only the kinds that changed (a sensor batch leaves the geometry layers as they were)', () => {
    const d = scene();
    const first = buildStatic(L, d, ctx(), assets);
    d.sensors!.store.apply({ ids: ['a'], values: [5], status: ['alarm'] });
    const next = buildStatic(L, { ...d, sensors: { ...d.sensors!, version: 1 } }, ctx(), assets, first, new Set(['sensors']));
    expect(next.grids).toBe(first.grids);
    expect(next.cases).toBe(first.cases);
    expect(next.forces).toBe(first.forces);
    expect(next.sensors).not.toBe(first.sensors);
    expect(next.sensors[0]!.props.data).toBe(first.sensors[0]!.props.data);
  });

  it('maps picks to what a click opens', () => {
    const d = scene();
    const layer = (id: string) => ({ id }) as never;
    expect(pickTarget({ layer: layer('cases-icons'), index: 3, object: null }, d)).toEqual({ kind: 'case', id: 'a' });
    expect(pickTarget({ layer: layer('sensors-dots'), index: 1, object: null }, d)).toEqual({ kind: 'sensor', id: 'b' });
    expect(pickTarget({ layer: layer('grids'), index: 2, object: null }, d)).toEqual({ kind: 'area', id: 'g2' });
    expect(pickTarget({ layer: layer('forces-dots'), index: 1, object: null }, d)).toEqual({ kind: 'staff', index: 1 });
    expect(pickTarget({ layer: layer('cases-clusters'), index: 0, object: null, coordinate: [120, 30] }, d)).toEqual({ kind: 'cluster', lon: 120, lat: 30 });
    expect(pickTarget({ layer: layer('grids'), index: -1, object: null }, d)).toBeNull();
  });

  it('hands out one data object per owner', () => {
    const owner = new Float64Array(4);
    expect(indexed(owner, 2)).toBe(indexed(owner, 2));
    expect(indexed(owner, 3).length).toBe(3);
  });
});
