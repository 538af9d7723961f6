/**
 * Test support (imported by *.test.ts only): a fresh store with a small city and a Core on it with
 * a settable clock.
 *
 *   city → district D1 → town T1 → communities C1 (west), C2 (east) → grids G1…G4 (0.05° squares)
 *   G1 [120.00–120.05] G2 [120.05–120.10] in C1; G3 [120.10–120.15] G4 [120.15–120.20] in C2;
 *   all between lat 30.20 and 30.25. A second town T2 north of it (lat 30.25–30.30) has grid G5.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEPARTMENTS } from '../../../shared/domain/catalogue';
import { createCore, type Core } from '../core';
import { openStore, setMeta, type Db } from '../db/store';
import { silentLogger } from '../log';

export const T0 = Date.parse('2026-03-02T09:00:00+08:00'); // a Monday

type Box = [number, number, number, number];
const AREAS: Array<{ rid: number; id: string; parent: string | null; level: number; code: string; name: string; box: Box; unit?: string }> = [
  { rid: 1, id: 'area-city', parent: null, level: 1, code: '330100', name: '测试市', box: [120.0, 30.2, 120.2, 30.3] },
  { rid: 2, id: 'area-d1', parent: 'area-city', level: 2, code: '330101', name: '一区', box: [120.0, 30.2, 120.2, 30.3] },
  { rid: 3, id: 'area-t1', parent: 'area-d1', level: 3, code: '330101001', name: '南街道', box: [120.0, 30.2, 120.2, 30.25] },
  { rid: 4, id: 'area-c1', parent: 'area-t1', level: 4, code: '330101001001', name: '西社区', box: [120.0, 30.2, 120.1, 30.25] },
  { rid: 5, id: 'area-c2', parent: 'area-t1', level: 4, code: '330101001002', name: '东社区', box: [120.1, 30.2, 120.2, 30.25] },
  { rid: 6, id: 'area-g1', parent: 'area-c1', level: 5, code: 'G1', name: '一号网格', box: [120.0, 30.2, 120.05, 30.25], unit: 'unit-JZ-t1' },
  { rid: 7, id: 'area-g2', parent: 'area-c1', level: 5, code: 'G2', name: '二号网格', box: [120.05, 30.2, 120.1, 30.25], unit: 'unit-JZ-t1' },
  { rid: 8, id: 'area-g3', parent: 'area-c2', level: 5, code: 'G3', name: '三号网格', box: [120.1, 30.2, 120.15, 30.25], unit: 'unit-JZ-t1' },
  { rid: 9, id: 'area-g4', parent: 'area-c2', level: 5, code: 'G4', name: '四号网格', box: [120.15, 30.2, 120.2, 30.25], unit: 'unit-CG-g4' },
  { rid: 10, id: 'area-t2', parent: 'area-d1', level: 3, code: '330101002', name: '北街道', box: [120.0, 30.25, 120.2, 30.3] },
  { rid: 11, id: 'area-c3', parent: 'area-t2', level: 4, code: '330101002001', name: '北社区', box: [120.0, 30.25, 120.2, 30.3] },
  { rid: 12, id: 'area-g5', parent: 'area-c3', level: 5, code: 'G5', name: '五号网格', box: [120.0, 30.25, 120.2, 30.3], unit: 'unit-JZ-t2' },
];

export const UNITS = [
  { id: 'unit-CG-t1', dept: 'CG', area: 'area-t1', name: '南街道城管中队' },
  { id: 'unit-CG-g4', dept: 'CG', area: 'area-g4', name: '四号网格城管队员组' },
  { id: 'unit-CG-t2', dept: 'CG', area: 'area-t2', name: '北街道城管中队' },
  { id: 'unit-JJ-d1', dept: 'JJ', area: 'area-d1', name: '一区交警大队' },
  { id: 'unit-SW-d1', dept: 'SW', area: 'area-d1', name: '一区水务所' },
  { id: 'unit-JZ-t1', dept: 'JZ', area: 'area-t1', name: '南街道办' },
  { id: 'unit-JZ-t2', dept: 'JZ', area: 'area-t2', name: '北街道办' },
  { id: 'unit-HB-any', dept: 'HB', area: null, name: '生态环境执法队' },
] as const;

const polygon = ([x0, y0, x1, y1]: Box) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

export function seedCity(db: Db, at = T0): void {
  db.transaction(() => {
    const area = db.prepare(
      `INSERT INTO areas(rid, id, parent_id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, responsible_unit_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const box = db.prepare('INSERT INTO areas_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
    for (const a of AREAS) {
      const [x0, y0, x1, y1] = a.box;
      area.run(a.rid, a.id, a.parent, a.level, a.code, a.name, (x0 + x1) / 2, (y0 + y1) / 2, x0, y0, x1, y1, JSON.stringify(polygon(a.box)), a.unit ?? null, at);
      box.run(a.rid, x0, x1, y0, y1);
    }
    const dep = db.prepare('INSERT INTO departments(id, code, name, name_en, kind, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const d of DEPARTMENTS) dep.run(`dept-${d.code}`, d.code, d.name, d.nameEn, d.kind, at);
    const unit = db.prepare('INSERT INTO units(id, department_id, name, area_id, updated_at) VALUES (?, ?, ?, ?, ?)');
    for (const u of UNITS) unit.run(u.id, `dept-${u.dept}`, u.name, u.area, at);
    const staff = db.prepare(
      `INSERT INTO staff(id, name, role, department_id, unit_id, grid_id, lon, lat, position_at, on_duty, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Grid G1 workers; CG enforcement officers at increasing distances from (120.02, 30.22); one off duty.
    staff.run('s-gw1', '王网格', 'grid_worker', 'dept-JZ', 'unit-JZ-t1', 'area-g1', 120.021, 30.221, at - 5 * 60_000, 1, at);
    staff.run('s-gl1', '李网格长', 'grid_leader', 'dept-JZ', 'unit-JZ-t1', 'area-g1', 120.03, 30.23, at - 60 * 60_000, 1, at);
    staff.run('s-cg1', '张执法', 'enforcement', 'dept-CG', 'unit-CG-t1', 'area-g1', 120.0205, 30.2205, at - 2 * 60_000, 1, at);
    staff.run('s-cg2', '赵执法', 'enforcement', 'dept-CG', 'unit-CG-t1', 'area-g2', 120.06, 30.22, at - 10 * 60_000, 1, at);
    staff.run('s-cg3', '钱执法', 'enforcement', 'dept-CG', 'unit-CG-t1', 'area-g2', 120.0201, 30.2201, at - 3 * 60_000, 0, at);
    staff.run('s-far', '孙执法', 'enforcement', 'dept-CG', 'unit-CG-t2', 'area-g5', 120.1, 30.29, at - 3 * 60_000, 1, at);
    setMeta(db, 'root_area_id', 'area-city');
  })();
}

export interface TestCore {
  core: Core;
  dir: string;
  clock: { t: number };
  /** Advance the clock by ms. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** A Core on a fresh store (with the small city unless `empty`), clock at T0 unless given. */
export async function makeTestCore(opts: { empty?: boolean; at?: number; seed?: (db: Db) => void } = {}): Promise<TestCore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-cases-'));
  const db = openStore(dir);
  if (!opts.empty) seedCity(db, opts.at ?? T0);
  opts.seed?.(db);
  db.close();
  const clock = { t: opts.at ?? T0 };
  const core = await createCore({ dataDir: dir, demo: 'none', host: 'test', log: silentLogger, now: () => clock.t });
  return {
    core,
    dir,
    clock,
    advance(ms) {
      clock.t += ms;
    },
    async close() {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
