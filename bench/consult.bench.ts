/**
 * Benchmarks of the morning consultation (issue 7):
 * - scoring 20,000 grids over 1,000,000 cases with the six-indicator 综合风险 model (target < 500 ms):
 *   one GROUP BY per source kind and window, then typed-array maths and the roll-up;
 * - generating the agenda (target < 2 s), with the day's runs already stored (as the background job
 *   leaves them) and cold (computing every run it needs);
 * - exporting the briefing PDF (target < 10 s);
 * - the background job's backfill: the longest the event loop stalls while past days are scored,
 *   with the runs computed on the main thread and in the run worker (DESIGN.md 6; the worker
 *   leaves the main thread only the write of each run).
 * Data: the demo generator at district scale when it runs, else synthetic rows of the same size.
 */
import type { Db } from '../main/core/db/store';
import { generateAgenda } from '../main/core/consult/agenda';
import { createBriefing } from '../main/core/consult/briefing';
import { getModel } from '../main/core/consult/models';
import { computeRun, ensureRun, saveRun, previousDay } from '../main/core/consult/runs';
import { registerConsult } from '../main/core/consult/service';
import { getSession, openSession } from '../main/core/consult/sessions';
import { testContext, type TestContext } from '../main/core/consult/testkit';
import { ensureDemo } from '../main/core/demo';
import { silentLogger } from '../main/core/log';
import { HandlerRegistry } from '../main/core/registry';
import { CATEGORIES } from '../shared/domain/catalogue';
import { CASE_SOURCES, OPEN_STATES, SENSOR_TYPES } from '../shared/domain/model';
import { mulberry32 } from '../shared/random';
import { shanghaiDay } from '../shared/time';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  params: Record<string, unknown>;
}

const NOW = Date.parse('2026-11-21T09:00:00+08:00');
const DAY = 86_400_000;
const CASES = 1_000_000;

/**
 * 2 districts × 16 towns × 25 communities × 25 grids = 20,000 grids of 0.004° laid out in blocks,
 * 1,000,000 cases over 60 days concentrated on hot grids, 10,000 sensors, 18,000 cameras, alarms.
 */
export function generateSynthetic(db: Db, now: number): void {
  const rand = mulberry32(20_261_121);
  const cell = 0.004;
  const x0 = 119.9;
  const y0 = 30.1;
  const areas = db.prepare(`INSERT INTO areas(id, parent_id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, population, area_km2, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const rtree = db.prepare('INSERT INTO areas_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const area = (id: string, parent: string | null, level: number, name: string, col: number, row: number, w: number, h: number, pop: number | null, km2: number | null): void => {
    const x = x0 + col * cell;
    const y = y0 + row * cell;
    const geometry = JSON.stringify({ type: 'Polygon', coordinates: [[[x, y], [x + w * cell, y], [x + w * cell, y + h * cell], [x, y + h * cell], [x, y]]] });
    const info = areas.run(id, parent, level, id, name, x + (w * cell) / 2, y + (h * cell) / 2, x, y, x + w * cell, y + h * cell, geometry, pop, km2, now);
    rtree.run(info.lastInsertRowid, x, x + w * cell, y, y + h * cell);
  };
  const gridIds: string[] = [];
  const chain = new Map<string, [string, string, string]>();
  const hot: number[] = [];
  db.transaction(() => {
    area('city', null, 1, '基准市', 0, 0, 200, 100, null, null);
    for (let d = 0; d < 2; d++) {
      const did = `d${d}`;
      area(did, 'city', 2, `基准区${d + 1}`, d * 100, 0, 100, 100, null, null);
      for (let t = 0; t < 16; t++) {
        const tid = `${did}t${t}`;
        const tc = d * 100 + (t % 4) * 25;
        const tr = Math.floor(t / 4) * 25;
        area(tid, did, 3, `基准${d + 1}区${t + 1}镇`, tc, tr, 25, 25, null, null);
        for (let c = 0; c < 25; c++) {
          const cid = `${tid}c${c}`;
          const cc = tc + (c % 5) * 5;
          const cr = tr + Math.floor(c / 5) * 5;
          area(cid, tid, 4, `${t + 1}镇${c + 1}社区`, cc, cr, 5, 5, null, null);
          for (let g = 0; g < 25; g++) {
            const gid = `${cid}g${g}`;
            area(gid, cid, 5, `${c + 1}社区${g + 1}网格`, cc + (g % 5), cr + Math.floor(g / 5), 1, 1, 300 + Math.floor(rand() * 2700), 0.18);
            gridIds.push(gid);
            chain.set(gid, [cid, tid, did]);
            // A fifth of the grids draw most of the cases.
            hot.push(rand() < 0.2 ? 6 + rand() * 10 : 0.3 + rand());
          }
        }
      }
    }
    const dep = db.prepare('INSERT INTO departments(id, code, name, name_en, kind, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const code of ['CG', 'GA', 'XF', 'YJ', 'JJ', 'SW', 'HB', 'ZJ', 'JZ']) dep.run(`dep-${code}`, code, `部门${code}`, code, 'regulation', now);
  })();
  // Cumulative weights to pick a grid.
  const cumulative = new Float64Array(hot.length);
  let sum = 0;
  hot.forEach((w, i) => {
    sum += w;
    cumulative[i] = sum;
  });
  const pickGrid = (): number => {
    const r = rand() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const insert = db.prepare(`INSERT INTO cases(id, code, source, class_code, category_code, title, lon, lat, grid_id, community_id, town_id, district_id, urgency, state,
    department_id, reported_at, deadline_at, closed_at, overdue, supervised, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const deps = ['CG', 'GA', 'XF', 'YJ', 'JJ', 'SW', 'HB', 'ZJ', 'JZ'];
  // Cases arrive in time order, as in a live store; the secondary indexes are built afterwards.
  const times = Float64Array.from({ length: CASES }, () => now - Math.floor(rand() * 60 * DAY)).sort();
  const indexes = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL").pluck().all() as string[];
  const indexNames = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL").pluck().all() as string[];
  for (const name of indexNames) db.exec(`DROP INDEX "${name.replace(/"/g, '""')}"`);
  const batch = 100_000;
  for (let start = 0; start < CASES; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(CASES, start + batch); i++) {
        const g = pickGrid();
        const gid = gridIds[g]!;
        const [cid, tid, did] = chain.get(gid)!;
        const cat = CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!;
        const reported = times[i]!;
        const deadline = reported + Math.floor((0.2 + rand() * 5) * DAY);
        const open = rand() < (now - reported < 3 * DAY ? 0.6 : 0.05);
        const state = open ? OPEN_STATES[1 + Math.floor(rand() * (OPEN_STATES.length - 1))]! : 'closed';
        const closed = open ? null : Math.min(now - 1, reported + Math.floor(rand() * 4 * DAY));
        const overdue = open && deadline < now ? 1 : 0;
        insert.run(
          `c${i}`,
          `BM${String(i).padStart(8, '0')}`,
          CASE_SOURCES[Math.floor(rand() * 7)]!,
          cat.classCode,
          cat.code,
          cat.name,
          x0 + (g % 200) * 0.004,
          y0,
          gid,
          cid,
          tid,
          did,
          0,
          state,
          `dep-${deps[i % deps.length]}`,
          reported,
          deadline,
          closed,
          overdue,
          overdue && rand() < 0.3 ? 1 : 0,
          reported,
        );
      }
    })();
  }
  db.transaction(() => {
    for (const sql of indexes) db.exec(sql);
  })();
  db.transaction(() => {
    const sensor = db.prepare('INSERT INTO sensors(id, name, type, unit, grid_id, lon, lat, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const alarm = db.prepare(`INSERT INTO alarms(id, sensor_id, sensor_type, kind, severity, state, message, lon, lat, grid_id, raised_at, last_at, updated_at)
      VALUES (?, ?, ?, 'threshold', 2, 'cleared', '', ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < 10_000; i++) {
      const gid = gridIds[Math.floor(rand() * gridIds.length)]!;
      const type = SENSOR_TYPES[i % SENSOR_TYPES.length]!;
      sensor.run(`s${i}`, `传感器${i}`, type, '', gid, x0, y0, rand() < 0.03 ? 'offline' : 'normal', now);
      for (let k = 0; k < 3; k++) if (rand() < 0.2) alarm.run(`a${i}-${k}`, `s${i}`, type, x0, y0, gid, now - Math.floor(rand() * 14 * DAY), now, now);
    }
    const camera = db.prepare(`INSERT INTO cameras(id, name, grid_id, lon, lat, kind, status, updated_at) VALUES (?, ?, ?, ?, ?, 'fixed', ?, ?)`);
    for (let i = 0; i < 18_000; i++) camera.run(`k${i}`, `摄像头${i}`, gridIds[Math.floor(rand() * gridIds.length)]!, x0, y0, rand() < 0.04 ? 'offline' : 'online', now);
  })();
  db.prepare("INSERT INTO meta(key, value) VALUES ('root_area_id', 'city'), ('centre_name', '基准市城运中心')").run();
}

/**
 * The background job's tick over `backfillDays` past days (their runs deleted first) and today's
 * colours, with the runs computed on the main thread or in the worker: the longest gap between
 * beats of a 10 ms interval, minus the interval, is the longest the host could not answer.
 */
export async function measureBackfillStall(
  ctx: TestContext,
  day: string,
  worker: boolean,
  backfillDays = 2,
): Promise<{ stallMs: number; tickMs: number; runs: number; inWorker: number; mode: string }> {
  ctx.db.prepare('DELETE FROM consult_runs WHERE day >= ?').run(previousDay(day, backfillDays));
  const onClose: Array<() => void | Promise<void>> = [];
  const service = registerConsult({ ...ctx, registry: new HandlerRegistry(silentLogger), onClose }, { refreshMs: 0, backfillDays, worker });
  let stall = 0;
  let last = performance.now();
  const beat = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 10);
    last = now;
  }, 10);
  const t0 = performance.now();
  try {
    await service.tick();
  } finally {
    clearInterval(beat);
    for (const hook of onClose) await hook();
  }
  const status = service.offThread();
  return { stallMs: stall, tickMs: performance.now() - t0, runs: status.runs + status.mainRuns, inWorker: status.runs, mode: status.mode };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function loadData(ctx: TestContext): Promise<string> {
  try {
    await ensureDemo(ctx.db, { name: 'hangzhou', scale: 'district', now: NOW, log: silentLogger });
    const grids = ctx.db.prepare('SELECT COUNT(*) FROM areas WHERE level = 5').pluck().get() as number;
    if (grids > 0) return 'demo-district';
  } catch {
    // The demo generator failed: fall through to synthetic rows in a clean store.
  }
  return 'synthetic';
}

export async function benchConsult(): Promise<BenchResult[]> {
  let ctx = testContext(NOW);
  const data = await loadData(ctx);
  if (data === 'synthetic') {
    ctx.close();
    ctx = testContext(NOW);
    generateSynthetic(ctx.db, NOW);
  }
  try {
    const db = ctx.db;
    registerConsult(ctx, { refreshMs: 0 });
    const grids = db.prepare('SELECT COUNT(*) FROM areas WHERE level = 5').pluck().get() as number;
    const cases = db.prepare('SELECT COUNT(*) FROM cases').pluck().get() as number;
    db.pragma('optimize');
    const model = getModel(db, 'composite');
    const day = shanghaiDay(NOW);
    const params = { grids, cases, indicators: model.config.indicators.length, model: model.config.id, data };

    const compute: number[] = [];
    const save: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      const run = computeRun(db, model, day, NOW);
      compute.push(performance.now() - t0);
      const t1 = performance.now();
      saveRun(db, run, false, NOW);
      save.push(performance.now() - t1);
    }
    const results: BenchResult[] = [
      { name: 'consult.score', value: Math.round(median(compute)), unit: 'ms', params: { ...params, what: 'read sources (GROUP BY per kind) + score + roll-up, median of 5', target: '< 500 ms' } },
      { name: 'consult.score.store', value: Math.round(median(save)), unit: 'ms', params: { ...params, what: 'store the run (every area, with per-indicator detail)' } },
    ];

    // Agenda, cold: computes today's and yesterday's runs of every model it shows.
    const tCold = performance.now();
    generateAgenda(db, NOW + 1, { freshMs: 0 });
    const cold = performance.now() - tCold;
    const warm: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      generateAgenda(db, NOW + 2 + k, { freshMs: 60_000 });
      warm.push(performance.now() - t0);
    }
    results.push(
      { name: 'consult.agenda', value: Math.round(median(warm)), unit: 'ms', params: { grids, cases, data, what: "the day's runs stored (as the background job leaves them), median of 3", target: '< 2 s' } },
      { name: 'consult.agenda.cold', value: Math.round(cold), unit: 'ms', params: { grids, cases, data, what: 'computing the 14 runs it needs (7 models × today and yesterday)' } },
    );

    // The briefing PDF of a session (runs stored).
    for (const m of ['composite', 'security', 'fire', 'production', 'traffic', 'dispute', 'operation']) ensureRun(db, m, previousDay(day), { now: NOW, freshMs: 60_000 });
    const { session } = openSession(db, { chair: '基准', now: NOW + 10, makeAgenda: () => generateAgenda(db, NOW + 10, { freshMs: 60_000 }) });
    const t0 = performance.now();
    const briefing = createBriefing({ db, dataDir: ctx.dataDir, session: getSession(db, session.id), decisions: [], actor: '基准', now: NOW + 20, ensure: { now: NOW + 20, freshMs: 60_000 } });
    const pdfMs = performance.now() - t0;
    results.push({ name: 'consult.briefing.pdf', value: Math.round(pdfMs), unit: 'ms', params: { grids, cases, data, pages: briefing.pages, bytes: briefing.bytes, target: '< 10 s' } });

    // The background job's backfill: the longest event-loop stall, main thread vs run worker.
    const onMain = await measureBackfillStall(ctx, day, false);
    const inWorker = await measureBackfillStall(ctx, day, true);
    const stallParams = { grids, cases, data, days: 2, runs: onMain.runs, what: "today's colours and 2 past days of the 7 backfilled models; longest gap of a 10 ms interval, minus 10 ms" };
    results.push(
      { name: 'consult.backfill.stall.main_thread', value: Math.round(onMain.stallMs), unit: 'ms', params: { ...stallParams, tickMs: Math.round(onMain.tickMs) } },
      {
        name: 'consult.backfill.stall.worker',
        value: Math.round(inWorker.stallMs),
        unit: 'ms',
        params: { ...stallParams, tickMs: Math.round(inWorker.tickMs), inWorker: inWorker.runs === inWorker.inWorker, mode: inWorker.mode, note: 'what is left on the main thread: storing each run (consult_scores rows)' },
      },
    );
    return results;
  } finally {
    ctx.close();
  }
}
