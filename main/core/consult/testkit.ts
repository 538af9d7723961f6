/**
 * Test kit of the consultation: a store with the schema (whatever migrations are registered, plus
 * 005 when it is not yet), a core context around it with a settable clock, and a small city whose
 * numbers are easy to compute by hand. Used by the tests next to this file and by the benchmark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EventMessage } from '../../../shared/api';
import { DEPARTMENTS } from '../../../shared/domain/catalogue';
import type { CoreContext } from '../core';
import { MIGRATIONS } from '../db/migrations';
import { migration005 } from '../db/migrations/005_consult';
import { setMeta, type Db } from '../db/store';
import { registerTextFunctions } from '../db/text';
import { silentLogger } from '../log';
import { EventBus, HandlerRegistry } from '../registry';

/** A fresh store in a temporary directory with every known migration applied. */
export function testDb(dir: string): Db {
  const db = new Database(path.join(dir, 'cityops.sqlite'));
  // The store's own settings (db/store.ts): WAL, NORMAL sync, a 64 MiB page cache.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  registerTextFunctions(db);
  const all = [...MIGRATIONS];
  if (!all.some((m) => m.version === migration005.version)) all.push(migration005);
  all.sort((a, b) => a.version - b.version);
  db.transaction(() => {
    for (const m of all) m.up(db);
  })();
  return db;
}

export interface TestContext extends CoreContext {
  setNow(ms: number): void;
  readonly events: EventMessage[];
  close(): void;
}

export function testContext(startAt: number): TestContext {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-consult-'));
  const db = testDb(dir);
  const registry = new HandlerRegistry(silentLogger);
  const bus = new EventBus(silentLogger);
  const events: EventMessage[] = [];
  bus.subscribe((m) => events.push(m));
  let clock = startAt;
  let last: number | null = null;
  const timers = new Set<NodeJS.Timeout>();
  const onClose: Array<() => void | Promise<void>> = [];
  return {
    db,
    registry,
    bus,
    log: silentLogger,
    dataDir: dir,
    now: () => clock,
    startedAt: startAt,
    host: 'test',
    timers,
    onClose,
    touch(at) {
      last = at ?? clock;
    },
    lastChangeAt: () => last,
    setNow(ms) {
      clock = ms;
    },
    events,
    close() {
      for (const t of timers) clearInterval(t);
      for (const hook of onClose) void hook();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const HOUR = 3_600_000;

export interface CaseSpec {
  grid: string;
  category?: string;
  source?: string;
  reportedAt: number;
  state?: string;
  deadlineAt?: number | null;
  closedAt?: number | null;
  overdue?: boolean;
  supervised?: boolean;
  departmentCode?: string;
}

/**
 * 测试市 (root) → 测试区 → 东镇 (t1: 东一社区 m1 with grids g1, g2; 东二社区 m2 with g3) and 西镇
 * (t2: 西一社区 m3 with g4, g5). Grids are 0.01° squares; populations 1000, 3000, 2000, 4000, null.
 */
export class SmallCity {
  private seq = 0;
  readonly departments = new Map<string, string>();

  constructor(readonly db: Db) {}

  build(now: number): this {
    const db = this.db;
    const insert = db.prepare(`INSERT INTO areas(id, parent_id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, population, area_km2, updated_at)
      VALUES (@id, @parent, @level, @code, @name, @cx, @cy, @x, @y, @x2, @y2, @geometry, @population, @km2, @now)`);
    const rtree = db.prepare('INSERT INTO areas_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
    const area = (id: string, parent: string | null, level: number, code: string, name: string, x: number, y: number, w: number, h: number, population: number | null, km2: number | null): void => {
      const geometry = JSON.stringify({ type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] });
      const info = insert.run({ id, parent, level, code, name, cx: x + w / 2, cy: y + h / 2, x, y, x2: x + w, y2: y + h, geometry, population, km2, now });
      rtree.run(info.lastInsertRowid, x, x + w, y, y + h);
    };
    db.transaction(() => {
      area('c', null, 1, '339900', '测试市', 120, 30, 0.05, 0.02, null, null);
      area('d1', 'c', 2, '339901', '测试区', 120, 30, 0.05, 0.02, null, null);
      area('t1', 'd1', 3, '339901001', '东镇', 120, 30, 0.03, 0.02, null, null);
      area('t2', 'd1', 3, '339901002', '西镇', 120.03, 30, 0.02, 0.02, null, null);
      area('m1', 't1', 4, '339901001001', '东一社区', 120, 30, 0.02, 0.01, null, null);
      area('m2', 't1', 4, '339901001002', '东二社区', 120.02, 30, 0.01, 0.01, null, null);
      area('m3', 't2', 4, '339901002001', '西一社区', 120.03, 30, 0.02, 0.01, null, null);
      area('g1', 'm1', 5, '339901001001001', '东一1号网格', 120, 30, 0.01, 0.01, 1000, 1);
      area('g2', 'm1', 5, '339901001001002', '东一2号网格', 120.01, 30, 0.01, 0.01, 3000, 1);
      area('g3', 'm2', 5, '339901001002001', '东二1号网格', 120.02, 30, 0.01, 0.01, 2000, 1);
      area('g4', 'm3', 5, '339901002001001', '西一1号网格', 120.03, 30, 0.01, 0.01, 4000, 1);
      area('g5', 'm3', 5, '339901002001002', '西一2号网格', 120.04, 30, 0.01, 0.01, null, 1);
      const dep = db.prepare('INSERT INTO departments(id, code, name, name_en, kind, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
      const unit = db.prepare('INSERT INTO units(id, department_id, name, area_id, phone, updated_at) VALUES (?, ?, ?, ?, NULL, ?)');
      for (const d of DEPARTMENTS) {
        const id = `dep-${d.code.toLowerCase()}`;
        dep.run(id, d.code, d.name, d.nameEn, d.kind, now);
        unit.run(`unit-${d.code.toLowerCase()}-west`, id, `${d.name}西镇中队`, 't2', now);
        unit.run(`unit-${d.code.toLowerCase()}-east`, id, `${d.name}东镇中队`, 't1', now);
        this.departments.set(d.code, id);
      }
      setMeta(db, 'root_area_id', 'c');
      setMeta(db, 'centre_name', '测试市城运中心');
    })();
    return this;
  }

  private static readonly CHAIN: Record<string, [string, string]> = { g1: ['m1', 't1'], g2: ['m1', 't1'], g3: ['m2', 't1'], g4: ['m3', 't2'], g5: ['m3', 't2'] };

  addCase(spec: CaseSpec): string {
    const id = `case-${++this.seq}`;
    const [community, town] = SmallCity.CHAIN[spec.grid]!;
    const category = spec.category ?? '0101';
    const state = spec.state ?? 'dispatched';
    this.db
      .prepare(
        `INSERT INTO cases(id, code, source, class_code, category_code, title, lon, lat, grid_id, community_id, town_id, district_id, urgency, state,
           department_id, reported_at, deadline_at, closed_at, overdue, supervised, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 120.005, 30.005, ?, ?, ?, 'd1', 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        `T${String(this.seq).padStart(6, '0')}`,
        spec.source ?? 'grid',
        category.slice(0, 2),
        category,
        `测试案件${this.seq}`,
        spec.grid,
        community,
        town,
        state,
        spec.departmentCode ? (this.departments.get(spec.departmentCode) ?? null) : null,
        spec.reportedAt,
        spec.deadlineAt ?? null,
        spec.closedAt ?? null,
        spec.overdue ? 1 : 0,
        spec.supervised ? 1 : 0,
        spec.reportedAt,
      );
    return id;
  }

  /** n cases in a grid, one an hour back from `before`. */
  addCases(n: number, grid: string, before: number, spec: Partial<CaseSpec> = {}): void {
    for (let i = 0; i < n; i++) this.addCase({ ...spec, grid, reportedAt: before - (i + 1) * HOUR });
  }
}
