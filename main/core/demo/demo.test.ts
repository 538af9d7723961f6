import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../shared/domain/catalogue';
import { CASE_STATES, OPEN_STATES, type CaseState } from '../../../shared/domain/model';
import { CLOCK_STATES, WORKFLOW_ACTIONS, apply, initialSnapshot, type ActorRole, type WorkflowAction, type WorkflowSnapshot } from '../../../shared/domain/workflow';
import { pointInGeometry, type AreaGeometry } from '../../../shared/geo';
import { DAY_MS, shanghaiDay, shanghaiHour } from '../../../shared/time';
import type { CaseRow } from '../cases/queries';
import { getMeta, openStore, type Db } from '../db/store';
import { silentLogger } from '../log';
import { buildAreas } from './areas';
import { ensureDemo, generateDemo, readDemoMarker, type DemoMarker } from './index';
import { Rng } from './prng';

const NOW = Date.parse('2026-11-21T10:30:00+08:00');
const dirs: string[] = [];
const tempStore = (): Db => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-demo-'));
  dirs.push(dir);
  return openStore(dir);
};

let db: Db;
let marker: DemoMarker;

interface AreaRecord {
  id: string;
  parent_id: string | null;
  level: number;
  code: string;
  cx: number;
  cy: number;
  geometry: string;
}

const areas = new Map<string, AreaRecord & { geom: AreaGeometry }>();

beforeAll(() => {
  db = tempStore();
  marker = generateDemo(db, { name: 'hangzhou', scale: 'town', now: NOW, log: silentLogger });
  for (const a of db.prepare('SELECT id, parent_id, level, code, cx, cy, geometry FROM areas').all() as AreaRecord[]) {
    areas.set(a.id, { ...a, geom: JSON.parse(a.geometry) as AreaGeometry });
  }
});

afterAll(() => {
  db.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A plain assertion for loops over tens of thousands of rows (expect() is slow there). */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

const count = (sql: string, ...params: unknown[]): number => (db.prepare(sql).get(...params) as { n: number }).n;

const DEMO_TABLES = ['areas', 'departments', 'units', 'staff', 'cameras', 'sensors', 'cases'];

function tableDigest(store: Db, table: string): string {
  const h = crypto.createHash('sha256');
  // change_log also holds what migrations seeded at wall-clock time; compare the demo's part.
  const sql =
    table === 'change_log'
      ? `SELECT at, entity, entity_id, op, version FROM change_log WHERE entity IN (${DEMO_TABLES.map(() => '?').join(', ')}) ORDER BY seq`
      : `SELECT * FROM ${table} ORDER BY rowid`;
  for (const row of store.prepare(sql).iterate(...(table === 'change_log' ? DEMO_TABLES : []))) h.update(JSON.stringify(row));
  return h.digest('hex');
}

describe('demo generation (town scale)', { timeout: 180_000 }, () => {
  it('is deterministic: the same seed and clock give the same rows', () => {
    const other = tempStore();
    generateDemo(other, { name: 'hangzhou', scale: 'town', now: NOW, log: silentLogger });
    for (const table of ['areas', 'areas_rtree', 'departments', 'units', 'staff', 'cameras', 'cameras_rtree', 'sensors', 'cases', 'case_events', 'change_log']) {
      expect(tableDigest(other, table), table).toBe(tableDigest(db, table));
    }
    other.close();
  });

  it('depends on the seed', () => {
    const a = buildAreas(new Rng(1), { gridsPerTown: 20, communitiesPerTown: [3, 4] });
    const b = buildAreas(new Rng(2), { gridsPerTown: 20, communitiesPerTown: [3, 4] });
    expect(JSON.stringify(a.grids[0]!.area.geometry)).not.toBe(JSON.stringify(b.grids[0]!.area.geometry));
  });

  it('writes the marker and the centre settings in meta', () => {
    const m = readDemoMarker(db);
    expect(m).not.toBeNull();
    expect(m!.name).toBe('hangzhou');
    expect(m!.scale).toBe('town');
    expect(m!.generatedAt).toBe(NOW);
    expect(getMeta(db, 'root_area_id')).toBe('area-330100');
    expect(getMeta(db, 'centre_name')).toBe('杭州市城市运行管理中心');
    expect(getMeta(db, 'centre_name_en')).toBe('Hangzhou City Operations Centre');
    const c = m!.counts;
    expect(c.areas).toBe(count('SELECT COUNT(*) n FROM areas'));
    expect(c.staff).toBe(count('SELECT COUNT(*) n FROM staff'));
    expect(c.cameras).toBe(count('SELECT COUNT(*) n FROM cameras'));
    expect(c.sensors).toBe(count('SELECT COUNT(*) n FROM sensors'));
    expect(c.cases).toBe(count('SELECT COUNT(*) n FROM cases'));
    expect(c.caseEvents).toBe(count('SELECT COUNT(*) n FROM case_events'));
  });

  it('has the expected number of areas per level', () => {
    const byLevel = new Map((db.prepare('SELECT level, COUNT(*) n FROM areas GROUP BY level').all() as Array<{ level: number; n: number }>).map((r) => [r.level, r.n]));
    expect(byLevel.get(1)).toBe(1);
    expect(byLevel.get(2)).toBe(13);
    expect(byLevel.get(3)).toBe(32); // 12 in 西湖区 + 20 in 余杭区
    expect(byLevel.get(4)).toBeGreaterThanOrEqual(32 * 8);
    expect(byLevel.get(4)).toBeLessThanOrEqual(32 * 14);
    expect(byLevel.get(5)).toBe(4000);
    expect(count('SELECT COUNT(*) n FROM areas_rtree')).toBe(count('SELECT COUNT(*) n FROM areas'));
    // ~125 grids per town (三墩镇's 125 grid circles).
    const perTown = db
      .prepare(
        `SELECT t.name, COUNT(*) n FROM areas g JOIN areas c ON g.parent_id = c.id JOIN areas t ON c.parent_id = t.id
         WHERE g.level = 5 GROUP BY t.id`,
      )
      .all() as Array<{ name: string; n: number }>;
    expect(perTown).toHaveLength(32);
    for (const t of perTown) {
      expect(t.n, t.name).toBeGreaterThanOrEqual(110);
      expect(t.n, t.name).toBeLessThanOrEqual(140);
    }
    expect(perTown.find((t) => t.name === '三墩镇')).toBeDefined();
  });

  it('uses the real district names and codes', () => {
    const names = (db.prepare('SELECT code, name FROM areas WHERE level = 2 ORDER BY code').all() as Array<{ code: string; name: string }>).map((r) => `${r.code} ${r.name}`);
    expect(names).toContain('330106 西湖区');
    expect(names).toContain('330110 余杭区');
    expect(names).toContain('330102 上城区');
    const towns = (db.prepare("SELECT name FROM areas WHERE level = 3 AND parent_id = 'area-330106'").all() as Array<{ name: string }>).map((r) => r.name);
    expect(towns).toEqual(expect.arrayContaining(['三墩镇', '蒋村街道', '文新街道', '古荡街道', '翠苑街道', '转塘街道']));
    expect(count("SELECT COUNT(*) n FROM areas WHERE level = 5 AND code GLOB '330106-0[0-9][0-9]-[0-9][0-9][0-9]-[0-9][0-9][0-9]'")).toBeGreaterThan(1000);
  });

  it('nests every area inside its parent (label point in polygon) with a consistent bbox', () => {
    let checked = 0;
    for (const a of areas.values()) {
      if (!a.parent_id) continue;
      const parent = areas.get(a.parent_id)!;
      expect(parent.level, a.id).toBe(a.level - 1);
      expect(pointInGeometry(a.cx, a.cy, a.geom), `${a.id} label in itself`).toBe(true);
      expect(pointInGeometry(a.cx, a.cy, parent.geom), `${a.id} in ${parent.id}`).toBe(true);
      checked++;
    }
    expect(checked).toBe(areas.size - 1);
    const rows = db
      .prepare('SELECT a.cx, a.cy, r.min_x, r.max_x, r.min_y, r.max_y FROM areas a JOIN areas_rtree r ON r.rid = a.rid')
      .all() as Array<{ cx: number; cy: number; min_x: number; max_x: number; min_y: number; max_y: number }>;
    for (const r of rows) {
      expect(r.cx).toBeGreaterThanOrEqual(r.min_x);
      expect(r.cx).toBeLessThanOrEqual(r.max_x);
      expect(r.cy).toBeGreaterThanOrEqual(r.min_y);
      expect(r.cy).toBeLessThanOrEqual(r.max_y);
    }
  });

  it('gives every area population, area and a risk level; grids a responsible unit', () => {
    expect(count('SELECT COUNT(*) n FROM areas WHERE population IS NULL OR area_km2 IS NULL OR area_km2 <= 0')).toBe(0);
    expect(count('SELECT COUNT(*) n FROM areas WHERE level = 5 AND responsible_unit_id IS NULL')).toBe(0);
    expect(count('SELECT COUNT(*) n FROM areas g WHERE level = 5 AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = g.responsible_unit_id)')).toBe(0);
    const risks = db.prepare('SELECT risk_level r, COUNT(*) n FROM areas WHERE level = 5 GROUP BY r').all() as Array<{ r: number; n: number }>;
    expect(risks.map((x) => x.r)).toEqual([0, 1, 2, 3, 4]);
    // Spatially coherent: neighbouring grids (same community) mostly differ by at most one level.
    const pairs = db
      .prepare('SELECT a.risk_level x, b.risk_level y FROM areas a JOIN areas b ON a.parent_id = b.parent_id AND a.rid < b.rid WHERE a.level = 5')
      .all() as Array<{ x: number; y: number }>;
    const close = pairs.filter((p) => Math.abs(p.x - p.y) <= 1).length;
    expect(close / pairs.length).toBeGreaterThan(0.8);
    const popCity = count("SELECT population n FROM areas WHERE id = 'area-330100'");
    expect(popCity).toBe(count('SELECT SUM(population) n FROM areas WHERE level = 2'));
  });

  it('places staff, cameras and sensors inside their grids', () => {
    const sizes = { staff: 0, cameras: 0, sensors: 0 };
    for (const table of ['staff', 'cameras', 'sensors'] as const) {
      for (const r of db.prepare(`SELECT lon, lat, grid_id FROM ${table}`).iterate() as IterableIterator<{ lon: number; lat: number; grid_id: string }>) {
        const g = areas.get(r.grid_id);
        expect(g?.level, `${table} grid`).toBe(5);
        if (!pointInGeometry(r.lon, r.lat, g!.geom)) throw new Error(`${table} at ${r.lon},${r.lat} is outside ${r.grid_id}`);
        sizes[table]++;
      }
    }
    // ~4 field staff, ~5 cameras and ~3 sensors per grid.
    expect(sizes.staff / 4000).toBeGreaterThan(3.5);
    expect(sizes.staff / 4000).toBeLessThan(4.5);
    expect(sizes.cameras).toBe(20_000);
    expect(sizes.sensors).toBe(12_000);
    const sandun = db
      .prepare(
        `SELECT s.role, COUNT(*) n FROM staff s JOIN units u ON u.id = s.unit_id JOIN areas t ON t.id = u.area_id WHERE t.name = '三墩镇' GROUP BY s.role`,
      )
      .all() as Array<{ role: string; n: number }>;
    const gridStaff = sandun.filter((r) => r.role === 'grid_worker' || r.role === 'grid_leader').reduce((s, r) => s + r.n, 0);
    const officers = sandun.filter((r) => r.role !== 'grid_worker' && r.role !== 'grid_leader').reduce((s, r) => s + r.n, 0);
    expect(gridStaff).toBeGreaterThan(170);
    expect(gridStaff).toBeLessThan(230);
    expect(officers).toBeGreaterThan(260);
    expect(officers).toBeLessThan(340);
    expect(count("SELECT COUNT(*) n FROM cameras WHERE status = 'online'") / 20_000).toBeGreaterThan(0.9);
    expect(count("SELECT COUNT(*) n FROM cameras WHERE streams <> '[]'")).toBe(0);
    expect(count('SELECT COUNT(*) n FROM cameras_rtree')).toBe(20_000);
    for (const s of db.prepare('SELECT thresholds, last_value, status FROM sensors').iterate() as IterableIterator<{ thresholds: string; last_value: number; status: string }>) {
      const t = JSON.parse(s.thresholds) as { warn: number; alarm: number; dir: string };
      expect(t.dir).toBe('above');
      expect(t.alarm).toBeGreaterThan(t.warn);
      if (s.status === 'normal') expect(s.last_value).toBeLessThan(t.warn);
      if (s.status === 'alarm') expect(s.last_value).toBeGreaterThanOrEqual(t.alarm);
    }
    expect(count('SELECT COUNT(*) n FROM units')).toBe(32 * 13);
    expect(count("SELECT COUNT(*) n FROM units WHERE name = '三墩镇城管中队'")).toBe(1);
    expect(count('SELECT COUNT(*) n FROM units u WHERE NOT EXISTS (SELECT 1 FROM staff s WHERE s.unit_id = u.id)')).toBe(0);
  });
});

/** A stored case (the cases table's row) as the demo writes it: always in a grid, with a known state. */
type CaseRecord = Omit<CaseRow, 'state' | 'grid_id' | 'community_id' | 'town_id' | 'district_id'> & {
  state: CaseState;
  grid_id: string;
  community_id: string;
  town_id: string;
  district_id: string;
};

interface HistoryRow {
  case_id: string;
  at: number;
  action: string;
  from_state: CaseState | null;
  to_state: CaseState;
  actor: string;
  role: string;
  note: string;
  data: string;
}

describe('demo cases', { timeout: 180_000 }, () => {
  const cases = (): CaseRecord[] => db.prepare('SELECT * FROM cases ORDER BY rid').all() as CaseRecord[];

  it('has a few hundred cases a day over 30 days, up to now', () => {
    const n = count('SELECT COUNT(*) n FROM cases');
    expect(n).toBeGreaterThanOrEqual(10_000);
    expect(n).toBeLessThanOrEqual(15_000);
    expect(count('SELECT MAX(reported_at) n FROM cases')).toBeLessThanOrEqual(NOW);
    expect(count('SELECT MIN(reported_at) n FROM cases')).toBeGreaterThanOrEqual(NOW - 30 * DAY_MS);
    expect(count('SELECT COUNT(DISTINCT code) n FROM cases')).toBe(n);
  });

  it('places every case inside its grid, with the grid’s ancestors filled in', () => {
    for (const c of cases()) {
      const grid = areas.get(c.grid_id)!;
      if (!pointInGeometry(c.lon, c.lat, grid.geom)) throw new Error(`${c.code} at ${c.lon},${c.lat} is outside ${c.grid_id}`);
      const community = areas.get(grid.parent_id!)!;
      const town = areas.get(community.parent_id!)!;
      expect(c.community_id).toBe(community.id);
      expect(c.town_id).toBe(town.id);
      expect(c.district_id).toBe(town.parent_id);
    }
  });

  it('follows realistic mixes of sources, categories, urgencies and hours', () => {
    const all = cases();
    const share = (pred: (c: CaseRecord) => boolean): number => all.filter(pred).length / all.length;
    expect(share((c) => c.source === 'grid')).toBeGreaterThan(0.4);
    expect(share((c) => c.source === 'grid')).toBeLessThan(0.5);
    expect(share((c) => c.source === 'hotline')).toBeGreaterThan(0.2);
    expect(share((c) => c.source === 'hotline')).toBeLessThan(0.3);
    for (const s of ['video_ai', 'iot', 'police110', 'public', 'superior']) expect(share((c) => c.source === s), s).toBeGreaterThan(0.01);
    const byClass = new Map<string, number>();
    for (const c of all) byClass.set(c.class_code, (byClass.get(c.class_code) ?? 0) + 1);
    const top = [...byClass.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map((e) => e[0]);
    expect(top.sort()).toEqual(['01', '04']); // 市容环境 and 街面秩序
    const codes = new Set(CATEGORIES.map((c) => c.code));
    for (const c of all) expect(codes.has(c.category_code)).toBe(true);
    expect(share((c) => c.urgency === 0)).toBeGreaterThan(0.8);
    const hours = new Array<number>(24).fill(0);
    for (const c of all) hours[shanghaiHour(c.reported_at)]!++;
    const night = hours.slice(0, 6).reduce((s, x) => s + x, 0) / 6;
    expect(hours[10]!).toBeGreaterThan(night * 4);
    expect(hours[15]!).toBeGreaterThan(night * 4);
    expect(hours[10]!).toBeGreaterThan(hours[13]!);
  });

  it('has codes by district and day, titles from road and category, masked reporters', () => {
    for (const c of cases()) {
      const prefix = c.district_id === 'area-330106' ? 'XH' : 'YH';
      expect(c.code).toMatch(new RegExp(`^${prefix}${shanghaiDay(c.reported_at).replaceAll('-', '')}-\\d{5}$`));
      const category = CATEGORIES.find((x) => x.code === c.category_code)!;
      expect(c.title.endsWith(category.name)).toBe(true);
      if (c.source === 'hotline' || c.source === 'public') {
        expect(c.reporter_name).toMatch(/^.(先生|女士)$/);
        expect(c.reporter_phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      } else {
        expect(c.reporter_phone).toBeNull();
      }
    }
  });

  it('has states and timestamps consistent with age', () => {
    const all = cases();
    for (const c of all) {
      const k = c.code;
      check(CASE_STATES.includes(c.state), `${k}: state ${c.state}`);
      if (c.registered_at !== null) check(c.registered_at >= c.reported_at, `${k}: registered before reported`);
      if (c.dispatched_at !== null) {
        check(c.registered_at !== null && c.dispatched_at >= c.registered_at, `${k}: dispatched before registered`);
        // A returned case keeps its dispatch time, but its clock is cleared until the next dispatch.
        if (c.state === 'returned') check(c.deadline_at === null, `${k}: returned with a deadline`);
        else check(c.deadline_at !== null && c.deadline_at > c.dispatched_at, `${k}: deadline not after dispatch`);
      }
      for (const t of [c.registered_at, c.dispatched_at, c.closed_at, c.updated_at]) check(t === null || t <= NOW, `${k}: a time after now`);
      if (c.state === 'closed') {
        check(c.closed_at !== null && c.registered_at !== null && c.closed_at >= c.registered_at, `${k}: closed_at`);
        if (c.dispatched_at !== null) check(c.closed_at! >= c.dispatched_at, `${k}: closed before dispatched`);
      } else check(c.closed_at === null, `${k}: closed_at on an open case`);
      if (c.state === 'reported' || c.state === 'cancelled') check(c.dispatched_at === null, `${k}: dispatched but ${c.state}`);
      if (c.state === 'reported') check(c.registered_at === null, `${k}: registered but reported`);
      const handledByUnit = ['dispatched', 'accepted', 'handled', 'rework', 'suspended'].includes(c.state) || (c.state === 'closed' && c.dispatched_at !== null);
      if (handledByUnit) check(c.unit_id !== null && c.department_id !== null, `${k}: no unit`);
      if (['accepted', 'handled', 'rework'].includes(c.state) || (c.state === 'closed' && c.dispatched_at !== null)) check(c.assignee_id !== null, `${k}: no assignee`);
      if (c.overdue) check(c.deadline_at !== null, `${k}: overdue without deadline`);
      if (c.overdue && OPEN_STATES.includes(c.state)) check(c.deadline_at! < NOW, `${k}: overdue before the deadline`);
    }
    const old = all.filter((c) => c.reported_at < NOW - 7 * DAY_MS);
    const recent = all.filter((c) => c.reported_at > NOW - DAY_MS / 2);
    const closedShare = (xs: CaseRecord[]): number => xs.filter((c) => c.state === 'closed' || c.state === 'cancelled').length / xs.length;
    expect(closedShare(old)).toBeGreaterThan(0.95);
    expect(closedShare(recent)).toBeLessThan(0.6);
    const states = new Set(all.map((c) => c.state));
    for (const s of ['reported', 'registered', 'dispatched', 'accepted', 'handled', 'closed', 'cancelled', 'suspended'] as const) expect(states.has(s), s).toBe(true);
    // A few open cases are overdue and supervised, not most of them.
    const open = all.filter((c) => OPEN_STATES.includes(c.state));
    const openOverdue = open.filter((c) => c.overdue === 1);
    expect(openOverdue.length).toBeGreaterThan(0);
    expect(openOverdue.length / open.length).toBeLessThan(0.2);
    expect(all.filter((c) => c.supervised === 1).length).toBeGreaterThan(0);
    const overdueShare = all.filter((c) => c.overdue === 1).length / all.length;
    expect(overdueShare).toBeLessThan(0.12);
  });

  it('has a history for every case that replays through the workflow state machine to its state', () => {
    const events = db
      .prepare('SELECT case_id, at, action, from_state, to_state, actor, role, note, data FROM case_events ORDER BY case_id, seq')
      .all() as HistoryRow[];
    const byCase = new Map<string, HistoryRow[]>();
    for (const e of events) {
      let list = byCase.get(e.case_id);
      if (!list) byCase.set(e.case_id, (list = []));
      list.push(e);
    }
    const actions = new Set(events.map((e) => e.action));
    for (const a of ['report', 'register', 'cancel', 'settle_on_spot', 'dispatch', 'accept', 'return', 'handle', 'verify_pass', 'verify_fail', 'request_extension', 'approve_extension', 'suspend', 'supervise', 'warning']) {
      expect(actions.has(a), a).toBe(true);
    }
    const actionSet = new Set<string>(WORKFLOW_ACTIONS);
    for (const c of cases()) {
      const history = byCase.get(c.id);
      if (!history) throw new Error(`${c.code} has no history`);
      expect(history[0]!.action).toBe('report');
      expect(history[0]!.from_state).toBeNull();
      expect(history[0]!.at).toBe(c.reported_at);
      let snap: WorkflowSnapshot = initialSnapshot();
      for (let i = 1; i < history.length; i++) {
        const e = history[i]!;
        const where = `${c.code} #${i} ${e.action}`;
        check(e.from_state === history[i - 1]!.to_state, `${where}: from ${e.from_state}, previous to ${history[i - 1]!.to_state}`);
        check(e.at >= history[i - 1]!.at && e.at <= NOW, `${where}: time out of order`);
        if (e.action === 'warning') {
          check(e.role === 'system' && e.to_state === e.from_state, `${where}: a warning is the system's and changes nothing`);
          continue;
        }
        check(actionSet.has(e.action), `${where}: not a workflow action`);
        const data = JSON.parse(e.data) as Record<string, unknown>;
        const fields: Record<string, unknown> = { note: e.note };
        if (e.action === 'dispatch') Object.assign(fields, { departmentId: data['departmentId'], unitId: data['unitId'] });
        if (e.action === 'request_extension') fields['extension'] = data['extension'];
        if (e.action === 'supervise' && e.role !== 'system') fields['level'] = data['level'];
        const step = apply(snap, { action: e.action as WorkflowAction, role: e.role as ActorRole, fields });
        if (!step.ok) throw new Error(`${where} by ${e.role}: ${step.error.message}`);
        check(step.to === e.to_state, `${where}: recorded ${e.to_state}, the workflow gives ${step.to}`);
        snap = step.next;
      }
      const last = history[history.length - 1]!;
      check(snap.state === c.state && last.to_state === c.state, `${c.code}: history ends in ${snap.state}, the case is ${c.state}`);
      check(last.at === c.updated_at && history.length === c.version, `${c.code}: updated_at/version do not match the history`);
      check(snap.supervisionLevel === c.supervision_level, `${c.code}: supervision level`);
      if (c.registered_at !== null) check(history.find((e) => e.action === 'register' || e.action === 'settle_on_spot')!.at === c.registered_at, `${c.code}: registered_at`);
      if (c.state === 'closed') check(history.some((e) => e.action === 'verify_pass' || e.action === 'settle_on_spot'), `${c.code}: closed without a check`);
      if (c.supervised) check(history.some((e) => e.action === 'supervise'), `${c.code}: supervised without 督办`);
      if (c.overdue && CLOCK_STATES.includes(c.state)) check(history.some((e) => e.action === 'supervise' && e.role === 'system'), `${c.code}: overdue without automatic 督办`);
    }
  });

  it('keeps the deadline clock the way the core does', () => {
    for (const c of cases()) {
      if (CLOCK_STATES.includes(c.state)) {
        expect(c.deadline_at, c.code).not.toBeNull();
        expect(c.paused_at, c.code).toBeNull();
        expect(c.limit_ms, c.code).toBeGreaterThan(0);
        // Once overdue, a restarted clock puts the warning at the restart (as the core does).
        if (!c.overdue) expect(c.warn_at!, c.code).toBeLessThanOrEqual(c.deadline_at!);
        if (c.deadline_at! + 60_000 < NOW) expect(c.overdue, c.code).toBe(1);
        if (c.deadline_at! > NOW) expect(c.overdue, c.code).toBe(0);
      }
      if (c.state === 'handled' || c.state === 'suspended') expect(c.paused_at, c.code).not.toBeNull();
      if (c.state === 'returned' || c.state === 'reported' || c.state === 'registered') expect(c.deadline_at, c.code).toBeNull();
      if (c.overdue) expect(c.warning).toBe(1);
    }
  });
});

describe('ensureDemo', () => {
  it('does nothing when the demo is already there', async () => {
    const before = count('SELECT COUNT(*) n FROM cases');
    await ensureDemo(db, { name: 'hangzhou', scale: 'town', now: NOW + DAY_MS, log: silentLogger });
    expect(count('SELECT COUNT(*) n FROM cases')).toBe(before);
    expect(readDemoMarker(db)!.generatedAt).toBe(NOW);
  });

  it('does not mix the demo into a store that already holds other data', async () => {
    const other = tempStore();
    other
      .prepare(
        "INSERT INTO areas (rid, id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, updated_at) VALUES (1, 'x', 1, 'x', 'x', 0, 0, 0, 0, 0, 0, '{}', 0)",
      )
      .run();
    await ensureDemo(other, { name: 'hangzhou', scale: 'town', now: NOW, log: silentLogger });
    expect(readDemoMarker(other)).toBeNull();
    expect((other.prepare('SELECT COUNT(*) n FROM areas').get() as { n: number }).n).toBe(1);
    other.close();
  });

  it('refuses to generate twice', () => {
    expect(() => generateDemo(db, { name: 'hangzhou', scale: 'town', now: NOW, log: silentLogger })).toThrow(/already has a demo/);
    expect(marker.counts.grids).toBe(4000);
  });
});
