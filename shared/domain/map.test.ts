import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAP_LAYERS,
  DEFAULT_MAP_STATE,
  MapVersionError,
  migrateMapState,
  migrateSavedView,
  normaliseTileUrl,
  patchLayers,
  REPLAY_DAYS,
  resolveTime,
  TileUrlError,
  tileSetName,
  TimeSelectionError,
} from './map';

const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
const NOW = Date.parse('2026-11-21T10:00:00+08:00');
const HOUR = 3_600_000;

describe('persisted map bodies (versioned)', () => {
  it('reads the v1 fixtures, filling layers that were not stored', () => {
    const state = migrateMapState(fixture('map-state.v1.json'));
    expect(state.layers.grids.colourBy).toBe('field');
    expect(state.layers.sensors.statuses).toEqual(['alarm']);
    expect(state.layers.cases).toEqual(DEFAULT_MAP_LAYERS.cases);
    expect(state.rotation).toEqual({ enabled: true, intervalS: 45, viewIds: ['view-1', 'view-2'] });
    const view = migrateSavedView(fixture('map-view.v1.json'));
    expect(view.layers.heat).toEqual({ visible: true, opacity: 0.7, mode: 'hex', windowHours: 24 });
    expect(view.layers.forces).toEqual(DEFAULT_MAP_LAYERS.forces);
  });

  it('refuses bodies from a newer build, without a version, or malformed', () => {
    expect(() => migrateMapState({ v: 2 })).toThrow(MapVersionError);
    expect(() => migrateMapState({})).toThrow(/numeric version/);
    expect(() => migrateSavedView({ v: 1, name: '', centre: null, zoom: null, areaId: null })).toThrow(/malformed/);
    expect(() => migrateSavedView({ v: 9 })).toThrow(/newer/);
  });

  it('has defaults for a fresh state', () => {
    expect(DEFAULT_MAP_STATE).toMatchObject({ v: 1, time: { mode: 'live' }, areaId: null, flyTo: null, rotation: { enabled: false, intervalS: 60, viewIds: [] } });
    expect(DEFAULT_MAP_LAYERS.heat.visible).toBe(false);
    expect(DEFAULT_MAP_LAYERS.cases.visible).toBe(true);
  });

  it('patches layers per kind and field', () => {
    const p = patchLayers(DEFAULT_MAP_LAYERS, { cameras: { fov: false, opacity: undefined }, cases: { classCodes: ['05'] } });
    expect(p.cameras).toEqual({ ...DEFAULT_MAP_LAYERS.cameras, fov: false });
    expect(p.cases.classCodes).toEqual(['05']);
    expect(p.grids).toEqual(DEFAULT_MAP_LAYERS.grids);
  });
});

describe('time selection', () => {
  it('resolves live, moments and windows against the clock', () => {
    expect(resolveTime({ mode: 'live' }, NOW, 24)).toEqual({ mode: 'live', at: NOW, from: NOW - 24 * HOUR, to: NOW });
    const at = NOW - 5 * 24 * HOUR;
    expect(resolveTime({ mode: 'moment', at: new Date(at).toISOString() }, NOW, 2)).toEqual({ mode: 'moment', at, from: at - 2 * HOUR, to: at });
    const w = resolveTime({ mode: 'window', from: new Date(NOW - 3 * HOUR).toISOString(), to: new Date(NOW - HOUR).toISOString() }, NOW);
    expect(w).toEqual({ mode: 'window', at: NOW - HOUR, from: NOW - 3 * HOUR, to: NOW - HOUR });
  });

  it(`refuses moments older than ${REPLAY_DAYS} days, in the future, and empty windows`, () => {
    expect(() => resolveTime({ mode: 'moment', at: new Date(NOW - 31 * 24 * HOUR).toISOString() }, NOW)).toThrow(TimeSelectionError);
    expect(() => resolveTime({ mode: 'moment', at: new Date(NOW + HOUR).toISOString() }, NOW)).toThrow(/future/);
    expect(() => resolveTime({ mode: 'window', from: new Date(NOW - HOUR).toISOString(), to: new Date(NOW - HOUR).toISOString() }, NOW)).toThrow(/ends before/);
    // a minute of clock skew is tolerated, clamped to now
    expect(resolveTime({ mode: 'moment', at: new Date(NOW + 60_000).toISOString() }, NOW).at).toBe(NOW);
  });
});

describe('basemap helpers', () => {
  it('normalises XYZ, TMS and WMTS REST templates', () => {
    expect(normaliseTileUrl('http://gis.local/xyz/{z}/{x}/{y}.png')).toEqual({ template: 'http://gis.local/xyz/{z}/{x}/{y}.png', scheme: 'xyz' });
    expect(normaliseTileUrl('https://gis.local/tms/{z}/{x}/{-y}.png')).toEqual({ template: 'https://gis.local/tms/{z}/{x}/{y}.png', scheme: 'tms' });
    expect(normaliseTileUrl('http://10.0.0.8/wmts/img/{TileMatrix}/{TileRow}/{TileCol}').template).toBe('http://10.0.0.8/wmts/img/{z}/{y}/{x}');
    expect(() => normaliseTileUrl('ftp://x/{z}/{x}/{y}')).toThrow(TileUrlError);
    expect(() => normaliseTileUrl('http://x/{z}/{x}.png')).toThrow(/\{y\}/);
  });

  it('names tile sets after their file', () => {
    expect(tileSetName('Hangzhou 2026 影像.mbtiles')).toBe('hangzhou-2026');
    expect(tileSetName('底图.pmtiles')).toBe('basemap');
  });
});
