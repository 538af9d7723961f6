import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../../shared/api';
import type { MapAlarms, MapCases } from '../../../shared/api/map';
import { DEFAULT_MAP_LAYERS } from '../../../shared/domain/map';
import { makeTestCore, T0, type TestCore } from '../cases/test-fixture';
import type { Db } from '../db/store';
import { pmtilesBytes, testRasterTiles, writeTestPmtiles } from '../../testing/tiles';
import { Patrol } from './patrol';
import { recordPositions, STAFF_ROW_REFRESH_MS } from './trails';

const MIN = 60_000;
const HOUR = 3_600_000;

interface CaseSeed {
  id: string;
  lon: number;
  lat: number;
  state: string;
  reportedAt: number;
  grid?: string;
  urgency?: number;
  deadlineAt?: number | null;
  closedAt?: number | null;
  dispatchedAt?: number | null;
  unitId?: string | null;
  assigneeId?: string | null;
  overdue?: boolean;
  events: Array<[at: number, toState: string]>;
}

function seedCase(db: Db, c: CaseSeed): void {
  db.prepare(
    `INSERT INTO cases(id, code, source, class_code, category_code, title, address, lon, lat, grid_id, community_id, town_id, district_id, urgency, state,
       reported_at, dispatched_at, deadline_at, closed_at, overdue, unit_id, assignee_id, updated_at)
     VALUES (?, ?, 'grid', '01', '0101', ?, ?, ?, ?, ?, ?, 'area-t1', 'area-d1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    c.id,
    `CODE-${c.id}`,
    `标题${c.id}`,
    `文三路${c.id}号`,
    c.lon,
    c.lat,
    c.grid ?? 'area-g1',
    c.grid === 'area-g3' ? 'area-c2' : 'area-c1',
    c.urgency ?? 0,
    c.state,
    c.reportedAt,
    c.dispatchedAt ?? null,
    c.deadlineAt ?? null,
    c.closedAt ?? null,
    c.overdue ? 1 : 0,
    c.unitId ?? null,
    c.assigneeId ?? null,
    c.reportedAt,
  );
  const ev = db.prepare(`INSERT INTO case_events(case_id, at, action, from_state, to_state, actor, role) VALUES (?, ?, 'x', NULL, ?, 't', 'operator')`);
  for (const [at, to] of c.events) ev.run(c.id, at, to);
}

let t: TestCore;
let events: EventMessage[];

beforeEach(async () => {
  t = await makeTestCore();
  events = [];
  t.core.bus.subscribe((m) => events.push(m));
});
afterEach(async () => {
  await t.close();
});

const call = async <T>(method: string, input: unknown): Promise<T> => {
  const r = await t.core.registry.call(method, input, { transport: 'internal' });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const failure = async (method: string, input: unknown): Promise<string> => {
  const r = await t.core.registry.call(method, input, { transport: 'internal' });
  if (r.ok) throw new Error(`${method} should have failed`);
  return r.error.code;
};

describe('map state', () => {
  it('starts from the defaults and merges layer patches per kind', async () => {
    const first = await call<{ state: { layers: typeof DEFAULT_MAP_LAYERS; time: { mode: string } }; version: number }>('map.state.get', {});
    expect(first.version).toBe(0);
    expect(first.state.layers).toEqual(DEFAULT_MAP_LAYERS);
    expect(first.state.time).toEqual({ mode: 'live' });

    const next = await call<{ state: { layers: typeof DEFAULT_MAP_LAYERS }; version: number; updatedBy: string }>('map.state.update', {
      layers: { cases: { visible: false }, heat: { mode: 'hex', visible: true } },
      actor: '坐席1',
    });
    expect(next.version).toBe(1);
    expect(next.updatedBy).toBe('坐席1');
    expect(next.state.layers.cases).toEqual({ ...DEFAULT_MAP_LAYERS.cases, visible: false });
    expect(next.state.layers.heat.mode).toBe('hex');
    expect(next.state.layers.heat.windowHours).toBe(DEFAULT_MAP_LAYERS.heat.windowHours);
    expect(events.filter((e) => e.event === 'map.state')).toHaveLength(1);
  });

  it('checks the time window, the area and the expected version', async () => {
    const old = new Date(T0 - 40 * 24 * HOUR).toISOString();
    expect(await failure('map.state.update', { time: { mode: 'moment', at: old }, actor: 'a' })).toBe('validation');
    expect(await failure('map.state.update', { time: { mode: 'window', from: new Date(T0 - HOUR).toISOString(), to: new Date(T0 - 2 * HOUR).toISOString() }, actor: 'a' })).toBe(
      'validation',
    );
    expect(await failure('map.state.update', { areaId: 'nope', actor: 'a' })).toBe('not_found');
    const ok = await call<{ state: { areaId: string; time: { mode: string } }; version: number }>('map.state.update', {
      areaId: 'area-t1',
      time: { mode: 'moment', at: new Date(T0 - 5 * HOUR).toISOString() },
      actor: 'a',
    });
    expect(ok.state.areaId).toBe('area-t1');
    expect(ok.state.time.mode).toBe('moment');
    expect(await failure('map.state.update', { areaId: null, actor: 'a', expectedVersion: 0 })).toBe('conflict');
  });

  it('numbers fly-to requests', async () => {
    const a = await call<{ state: { flyTo: { seq: number; areaId: string } } }>('map.state.update', { flyTo: { areaId: 'area-g1' }, actor: 'a' });
    const b = await call<{ state: { flyTo: { seq: number; centre: number[]; zoom: number } } }>('map.state.update', { flyTo: { centre: [120.1, 30.2], zoom: 15 }, actor: 'a' });
    expect(a.state.flyTo.seq).toBe(1);
    expect(b.state.flyTo).toMatchObject({ seq: 2, centre: [120.1, 30.2], zoom: 15 });
  });
});

describe('saved views', () => {
  it('saves, lists, updates with a version check and deletes', async () => {
    const v = await call<{ id: string; version: number; layers: typeof DEFAULT_MAP_LAYERS }>('map.views.save', {
      name: '南街道夜巡',
      centre: [120.1, 30.22],
      zoom: 14,
      areaId: 'area-t1',
      layers: { ...DEFAULT_MAP_LAYERS, cameras: { ...DEFAULT_MAP_LAYERS.cameras, visible: false } },
      actor: 'a',
    });
    expect(v.layers.cameras.visible).toBe(false);
    const list = await call<Array<{ id: string; name: string }>>('map.views.list', {});
    expect(list.map((x) => x.name)).toEqual(['南街道夜巡']);
    const u = await call<{ version: number; name: string }>('map.views.save', { id: v.id, name: '夜巡', version: v.version, actor: 'a' });
    expect(u).toMatchObject({ version: 2, name: '夜巡' });
    expect(await failure('map.views.save', { id: v.id, name: 'x', version: 1, actor: 'a' })).toBe('conflict');
    expect(await failure('map.views.save', { name: 'x', centre: [120, 30], actor: 'a' })).toBe('validation');
    await call('map.views.delete', { id: v.id, actor: 'a' });
    expect(await call<unknown[]>('map.views.list', {})).toEqual([]);
    expect(await failure('map.views.delete', { id: v.id, actor: 'a' })).toBe('not_found');
    expect(events.filter((e) => e.event === 'map.views').map((e) => (e.payload as { op: string }).op)).toEqual(['save', 'save', 'delete']);
  });

  it('reads the v1 fixture', () => {
    const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../shared/domain/fixtures/map-view.v1.json'), 'utf8')) as { v: number };
    t.core.db.prepare('INSERT INTO map_views(id, name, data, updated_at) VALUES (?, ?, ?, ?)').run('fx', 'fixture', JSON.stringify(raw), T0);
    return call<Array<{ id: string; zoom: number }>>('map.views.list', {}).then((list) => expect(list[0]).toMatchObject({ id: 'fx', zoom: 13.5 }));
  });
});

describe('cases at a time', () => {
  beforeEach(() => {
    const db = t.core.db;
    // a: reported 3 h ago, dispatched 2 h ago (deadline 1.5 h ago), closed 1 h ago.
    seedCase(db, {
      id: 'a',
      lon: 120.02,
      lat: 30.22,
      state: 'closed',
      reportedAt: T0 - 3 * HOUR,
      dispatchedAt: T0 - 2 * HOUR,
      deadlineAt: T0 - 1.5 * HOUR,
      closedAt: T0 - HOUR,
      unitId: 'unit-CG-t1',
      assigneeId: 's-cg1',
      events: [
        [T0 - 3 * HOUR, 'reported'],
        [T0 - 2.5 * HOUR, 'registered'],
        [T0 - 2 * HOUR, 'dispatched'],
        [T0 - HOUR, 'closed'],
      ],
    });
    // b: reported 30 min ago, still reported (new).
    seedCase(db, { id: 'b', lon: 120.12, lat: 30.22, grid: 'area-g3', state: 'reported', reportedAt: T0 - 30 * MIN, urgency: 2, events: [[T0 - 30 * MIN, 'reported']] });
    // c: reported 2 days ago, accepted, overdue now.
    seedCase(db, {
      id: 'c',
      lon: 120.03,
      lat: 30.23,
      state: 'accepted',
      reportedAt: T0 - 48 * HOUR,
      dispatchedAt: T0 - 47 * HOUR,
      deadlineAt: T0 - 20 * HOUR,
      overdue: true,
      unitId: 'unit-JZ-t1',
      events: [
        [T0 - 48 * HOUR, 'reported'],
        [T0 - 47 * HOUR, 'dispatched'],
        [T0 - 46 * HOUR, 'accepted'],
      ],
    });
  });

  it('live: the cases open now', async () => {
    const r = await call<MapCases>('map.cases', {});
    expect(r.mode).toBe('live');
    expect(r.ids).toEqual(['b', 'c']);
    expect(r.fresh).toEqual([true, false]);
    expect(r.overdue).toEqual([false, true]);
    expect(r.urgency).toEqual(['critical', 'normal']);
    expect(r.classCode).toEqual(['01', '01']);
  });

  it('a moment: the cases open then, in the state they had', async () => {
    const r = await call<MapCases>('map.cases', { time: { mode: 'moment', at: new Date(T0 - 1.25 * HOUR).toISOString() } });
    expect(r.ids).toEqual(['a', 'c']);
    expect(r.state).toEqual(['dispatched', 'accepted']);
    expect(r.overdue).toEqual([true, true]);
    const earlier = await call<MapCases>('map.cases', { time: { mode: 'moment', at: new Date(T0 - 47.5 * HOUR).toISOString() } });
    expect(earlier.ids).toEqual(['c']);
    expect(earlier.state).toEqual(['reported']);
    expect(earlier.fresh).toEqual([true]);
  });

  it('a window: the cases reported in it, by scope', async () => {
    const w = { mode: 'window', from: new Date(T0 - 4 * HOUR).toISOString(), to: new Date(T0).toISOString() };
    expect((await call<MapCases>('map.cases', { time: w })).ids).toEqual(['b']);
    expect((await call<MapCases>('map.cases', { time: w, scope: 'all' })).ids).toEqual(['b', 'a']);
    expect((await call<MapCases>('map.cases', { time: w, scope: 'all', areaId: 'area-c2' })).ids).toEqual(['b']);
    expect((await call<MapCases>('map.cases', { time: w, scope: 'all', limit: 1 })).truncated).toBe(true);
  });

  it('density of a window, and dispatch arcs from the assignee', async () => {
    const heat = await call<{ lon: number[] }>('map.heat', { hours: 4 });
    expect(heat.lon).toHaveLength(2);
    const all = await call<{ lon: number[] }>('map.heat', { hours: 72 });
    expect(all.lon).toHaveLength(3);
    const arcs = await call<Array<{ caseId: string; from: number[]; unitName: string }>>('map.dispatches', {});
    expect(arcs.map((a) => a.caseId)).toEqual(['c']);
    // unit-JZ-t1's area centroid (no assignee)
    expect(arcs[0]!.from).toEqual([120.1, 30.225]);
    const past = await call<Array<{ caseId: string; from: number[] }>>('map.dispatches', { time: { mode: 'moment', at: new Date(T0 - 1.5 * HOUR).toISOString() } });
    expect(past.map((a) => a.caseId).sort()).toEqual(['a', 'c']);
    expect(past.find((a) => a.caseId === 'a')!.from).toEqual([120.0205, 30.2205]);
  });
});

describe('alarms at a time', () => {
  const seedAlarm = (db: Db, id: string, severity: 1 | 2 | 3, raisedAt: number, ackedAt: number | null, clearedAt: number | null, grid = 'area-g1'): void => {
    const state = clearedAt !== null && clearedAt <= T0 ? 'cleared' : ackedAt !== null ? 'acknowledged' : 'raised';
    db.prepare(
      `INSERT INTO alarms(id, sensor_id, sensor_type, kind, severity, state, message, value, threshold, lon, lat, grid_id, raised_at, last_at, acked_at, cleared_at, updated_at)
       VALUES (?, ?, 'water_level', 'threshold', ?, ?, ?, 1, 0.5, 120.02, 30.22, ?, ?, ?, ?, ?, ?)`,
    ).run(id, `sensor-${id}`, severity, state, `水位 ${id}`, grid, raisedAt, raisedAt, ackedAt, clearedAt, raisedAt);
  };
  beforeEach(() => {
    const db = t.core.db;
    // x: critical, raised 3 h ago, acknowledged 2 h ago, cleared 1 h ago.
    seedAlarm(db, 'x', 3, T0 - 3 * HOUR, T0 - 2 * HOUR, T0 - HOUR);
    // y: warning, raised 30 min ago, open.
    seedAlarm(db, 'y', 1, T0 - 30 * MIN, null, null, 'area-g3');
    // z: alarm, raised ten days ago and still open (a long-running alarm a 7-day look-back would miss).
    seedAlarm(db, 'z', 2, T0 - 240 * HOUR, T0 - 239 * HOUR, null);
  });

  it('live: the open ones, most severe first; a moment: those open then, in the state they had', async () => {
    const live = await call<MapAlarms>('map.alarms', {});
    expect(live).toMatchObject({ mode: 'live', total: 2, ids: ['z', 'y'], severity: ['alarm', 'warning'], state: ['acknowledged', 'raised'], truncated: false });
    expect(live.sensorNames).toEqual(['sensor-z', 'sensor-y']);
    const moment = await call<MapAlarms>('map.alarms', { time: { mode: 'moment', at: new Date(T0 - 2.5 * HOUR).toISOString() } });
    expect(moment.ids).toEqual(['x', 'z']);
    expect(moment.state).toEqual(['raised', 'acknowledged']);
    const later = await call<MapAlarms>('map.alarms', { time: { mode: 'moment', at: new Date(T0 - 1.5 * HOUR).toISOString() } });
    expect(later.state).toEqual(['acknowledged', 'acknowledged']);
  });

  it('a window: raised in it, in their state at its end; by area, severity and limit', async () => {
    const w = { mode: 'window', from: new Date(T0 - 4 * HOUR).toISOString(), to: new Date(T0).toISOString() };
    const all = await call<MapAlarms>('map.alarms', { time: w });
    expect(all.ids).toEqual(['x', 'y']);
    expect(all.state).toEqual(['cleared', 'raised']);
    expect((await call<MapAlarms>('map.alarms', { time: w, areaId: 'area-c2' })).ids).toEqual(['y']);
    expect((await call<MapAlarms>('map.alarms', { time: w, severities: ['warning'] })).ids).toEqual(['y']);
    expect(await call<MapAlarms>('map.alarms', { time: w, limit: 1 })).toMatchObject({ total: 2, ids: ['x'], truncated: true });
    expect(await failure('map.alarms', { areaId: 'nowhere' })).toBe('not_found');
  });
});

describe('trails', () => {
  it('stores positions, refreshes the staff record at most every few minutes and answers the last hour', async () => {
    const r = await call<{ stored: number; unknown: string[] }>('map.positions.report', {
      positions: [
        { staffId: 's-gw1', lon: 120.022, lat: 30.222, at: new Date(T0 - 50 * MIN).toISOString() },
        { staffId: 's-gw1', lon: 120.023, lat: 30.223, at: new Date(T0 - 40 * MIN).toISOString() },
        { staffId: 'ghost', lon: 120, lat: 30 },
      ],
    });
    expect(r).toEqual({ stored: 2, unknown: ['ghost'] });
    const row = t.core.db.prepare("SELECT lon, position_at FROM staff WHERE id = 's-gw1'").get() as { lon: number; position_at: number };
    // The stored position (5 min old) is newer than 40 min ago: kept.
    expect(row.position_at).toBe(T0 - 5 * MIN);
    recordPositions(t.core.db, [{ staffId: 's-gw1', lon: 120.024, lat: 30.224, at: T0 - 5 * MIN + STAFF_ROW_REFRESH_MS }]);
    expect((t.core.db.prepare("SELECT lon FROM staff WHERE id = 's-gw1'").get() as { lon: number }).lon).toBe(120.024);

    const trails = await call<{ ids: string[]; starts: number[]; t: number[]; lon: number[]; from: number; to: number }>('map.trails', {});
    expect(trails.to).toBe(T0);
    expect(trails.ids[0]).toBe('s-gw1');
    expect(trails.starts.slice(0, 2)).toEqual([0, 3]);
    expect(trails.t.slice(0, 2)).toEqual([600, 1200]);
    // everyone else on duty, at their last position; s-cg3 is off duty
    expect([...trails.ids].sort()).toEqual(['s-cg1', 's-cg2', 's-far', 's-gl1', 's-gw1']);
    const area = await call<{ ids: string[] }>('map.trails', { areaId: 'area-t2' });
    expect(area.ids).toEqual(['s-far']);
    const moment = await call<{ ids: string[] }>('map.trails', { time: { mode: 'moment', at: new Date(T0 - 30 * MIN).toISOString() } });
    expect(moment.ids).toEqual(['s-gw1']);
  });

  it('demo patrols walk near their beat and fill in the last hour once', () => {
    const db = t.core.db;
    const patrol = new Patrol(db, 3);
    expect(patrol.size).toBe(3);
    const stored = patrol.backfill(db, T0, 60);
    expect(stored).toBe(3 * 61);
    expect(patrol.backfill(db, T0, 60)).toBe(0);
    const pts = db.prepare('SELECT staff_id, lon, lat FROM staff_positions ORDER BY at').all() as Array<{ staff_id: string; lon: number; lat: number }>;
    for (const p of pts) {
      const home = db.prepare('SELECT lon, lat FROM staff WHERE id = ?').get(p.staff_id) as { lon: number; lat: number };
      expect(Math.abs(p.lon - home.lon)).toBeLessThan(0.02);
      expect(Math.abs(p.lat - home.lat)).toBeLessThan(0.02);
    }
    expect(patrol.tick(db, T0 + 60_000)).toBe(3);
  });
});

describe('search', () => {
  it('finds areas by code and name, cases by number, cameras by name', async () => {
    seedCase(t.core.db, { id: 'case-9', lon: 120.02, lat: 30.22, state: 'reported', reportedAt: T0 - HOUR, events: [[T0 - HOUR, 'reported']] });
    t.core.db.prepare("INSERT INTO cameras(id, name, lon, lat, kind, updated_at) VALUES ('cam-1', '文三路口枪机', 120.03, 30.21, 'fixed', 1)").run();
    const byCode = await call<Array<{ kind: string; id: string; bbox: number[] | null }>>('map.search', { text: 'G3' });
    expect(byCode[0]).toMatchObject({ kind: 'area', id: 'area-g3', bbox: [120.1, 30.2, 120.15, 30.25] });
    expect((await call<Array<{ id: string }>>('map.search', { text: '南街道' }))[0]!.id).toBe('area-t1');
    expect((await call<Array<{ kind: string; id: string }>>('map.search', { text: 'CODE-case-9' }))[0]).toMatchObject({ kind: 'case', id: 'case-9' });
    expect((await call<Array<{ kind: string; id: string }>>('map.search', { text: '文三路口' }))[0]).toMatchObject({ kind: 'camera', id: 'cam-1' });
    const addr = await call<Array<{ kind: string }>>('map.search', { text: '文三路case' });
    expect(addr.some((h) => h.kind === 'address')).toBe(true);
    expect(await call<unknown[]>('map.search', { text: '%_' })).toEqual([]);
  });
});

describe('basemap', () => {
  it('serves a PMTiles file, and falls back with a message when a file is missing or corrupt', async () => {
    expect(await call<{ setting: { kind: string }; ok: boolean; source: null }>('map.basemap.get', {})).toMatchObject({ setting: { kind: 'bundled' }, ok: true, source: null });
    const dir = path.join(t.dir, 'basemaps');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'Hangzhou Raster.pmtiles');
    writeTestPmtiles(file, { bounds: [120, 30.1, 120.3, 30.4], minzoom: 8, maxzoom: 10 });
    const ok = await call<{ ok: boolean; source: { name: string; type: string; format: string; tiles: string[]; maxzoom: number }; revision: number }>('map.basemap.set', {
      setting: { kind: 'file', path: file },
      actor: 'a',
    });
    expect(ok.ok).toBe(true);
    expect(ok.source).toMatchObject({ name: 'hangzhou-raster', type: 'raster', format: 'png', maxzoom: 10 });
    expect(ok.source.tiles[0]).toBe(`/tiles/hangzhou-raster/{z}/{x}/{y}.png?v=${ok.revision}`);
    expect((await call<{ files: Array<{ name: string }> }>('map.basemap.files', {})).files.map((f) => f.name)).toEqual(['Hangzhou Raster.pmtiles']);

    const bad = path.join(dir, 'broken.pmtiles');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from('PMTiles'), Buffer.alloc(40, 7)]));
    const corrupt = await call<{ ok: boolean; message: string; source: null }>('map.basemap.set', { setting: { kind: 'file', path: bad }, actor: 'a' });
    expect(corrupt.ok).toBe(false);
    expect(corrupt.source).toBeNull();
    expect(corrupt.message).toMatch(/broken\.pmtiles/);
    const missing = await call<{ ok: boolean; message: string }>('map.basemap.set', { setting: { kind: 'file', path: 'nowhere.mbtiles' }, actor: 'a' });
    expect(missing).toMatchObject({ ok: false });
    expect(missing.message).toMatch(/does not exist/);

    const url = await call<{ ok: boolean; source: { tiles: string[]; scheme: string } }>('map.basemap.set', {
      setting: { kind: 'url', url: 'http://10.1.2.3/wmts/rest/vec/default/GoogleMapsCompatible/{TileMatrix}/{TileRow}/{TileCol}.png' },
      actor: 'a',
    });
    expect(url.source.tiles[0]).toBe('http://10.1.2.3/wmts/rest/vec/default/GoogleMapsCompatible/{z}/{y}/{x}.png');
    expect((await call<{ ok: boolean }>('map.basemap.set', { setting: { kind: 'url', url: 'http://10.1.2.3/tiles.png' }, actor: 'a' })).ok).toBe(false);
    expect(events.filter((e) => e.event === 'map.basemap')).toHaveLength(5);
  });

  it('keeps the choice across restarts of the core', async () => {
    const file = path.join(t.dir, 'x.pmtiles');
    fs.writeFileSync(file, pmtilesBytes(testRasterTiles({ bounds: [120, 30, 120.1, 30.1], minzoom: 5, maxzoom: 5 })));
    await call('map.basemap.set', { setting: { kind: 'file', path: file }, actor: 'a' });
    await t.core.close();
    const { createCore } = await import('../core');
    const { silentLogger } = await import('../log');
    const again = await createCore({ dataDir: t.dir, demo: 'none', host: 'test', log: silentLogger, now: () => T0 });
    try {
      const r = await again.registry.call('map.basemap.get', {}, { transport: 'internal' });
      expect(r.ok && r.value).toMatchObject({ ok: true, source: { name: 'x' } });
    } finally {
      await again.close();
    }
  });
});
