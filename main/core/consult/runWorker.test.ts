/**
 * The run worker (DESIGN.md 6): the background job's runs computed in a worker thread over its own
 * read-only connection to an on-disk WAL store, stored by the main thread exactly as the
 * main-thread path stores them; the fallbacks when there is no worker, when it cannot start and
 * when it crashes; nothing written after close.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/store';
import type { Logger } from '../log';
import { computeJob, ensureRun, ensureRunWith } from './runs';
import { offThreadProblem, RunWorker, workerEntry, type WorkerEntry } from './runWorker';
import { registerConsult } from './service';
import { SmallCity, testContext, type TestContext } from './testkit';

const NOW = Date.parse('2026-11-21T09:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TODAY = '2026-11-21';
const YESTERDAY = '2026-11-20';
/** The backfilled models: the primary and the six indices. */
const BACKFILLED = 7;

interface Logged {
  level: string;
  msg: string;
  fields: Record<string, unknown> | undefined;
}

function capture(): { log: Logger; entries: Logged[] } {
  const entries: Logged[] = [];
  const at =
    (level: string) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      entries.push({ level, msg, fields });
    };
  return { entries, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), file: null, close: () => {} } };
}

/** A month of cases over the five grids, some overdue, some closed, in several categories and sources. */
function seed(ctx: TestContext): void {
  const city = new SmallCity(ctx.db).build(NOW - 40 * DAY);
  const grids = ['g1', 'g2', 'g3', 'g4', 'g5'];
  for (let d = 0; d < 32; d++) {
    grids.forEach((grid, i) => {
      const n = (d * 7 + i * 3) % 5;
      for (let k = 0; k < n; k++) {
        const reportedAt = NOW - d * DAY - (k + 1) * 2 * HOUR;
        const closed = (d + k) % 3 === 0;
        city.addCase({
          grid,
          reportedAt,
          category: ['0101', '0301', '0401', '0504', '1102'][(d + k + i) % 5]!,
          source: ['grid', 'hotline', 'police110', 'public'][(d + k) % 4]!,
          state: closed ? 'closed' : 'dispatched',
          closedAt: closed ? reportedAt + 5 * HOUR : null,
          deadlineAt: reportedAt + DAY,
          overdue: !closed && d > 1,
          supervised: !closed && k === 0 && d % 4 === 0,
        });
      }
    });
  }
}

/** Every stored run and score, keyed by model, revision and day (never by run id or computing time). */
function stored(db: Db): { runs: unknown[]; scores: unknown[] } {
  return {
    runs: db.prepare('SELECT model_id, revision, day, as_of, final, bounds, sources FROM consult_runs ORDER BY model_id, revision, day').all(),
    scores: db
      .prepare(
        `SELECT r.model_id, r.revision, r.day, s.area_id, s.area_level, s.score, s.base, s.coefficient, s.level, s.raw, s.norm, s.contrib
         FROM consult_scores s JOIN consult_runs r ON r.id = s.run_id ORDER BY r.model_id, r.revision, r.day, s.area_id`,
      )
      .raw()
      .all(),
  };
}

/** The real worker, slowed down by `ms` per run (a district-scale store takes that long). */
function slowWorker(ms: number): WorkerEntry {
  const real = workerEntry();
  const code = `
    const { parentPort } = require('node:worker_threads');
    const post = parentPort.postMessage.bind(parentPort);
    parentPort.postMessage = (m, transfer) => {
      if (m && m.type === 'done') { const end = Date.now() + ${ms}; while (Date.now() < end); }
      return post(m, transfer);
    };
    require(${JSON.stringify(real.file)});`;
  return { file: code, eval: true, execArgv: real.execArgv };
}

/** A worker that starts, then dies on its first job. */
const CRASHING: WorkerEntry = {
  eval: true,
  execArgv: [],
  file: `const { parentPort } = require('node:worker_threads');
    parentPort.postMessage({ type: 'ready' });
    parentPort.on('message', () => process.exit(7));`,
};

/** A worker that starts, then reports every job as failed (a job error, not a crash). */
const FAILING_JOBS: WorkerEntry = {
  eval: true,
  execArgv: [],
  file: `const { parentPort } = require('node:worker_threads');
    parentPort.postMessage({ type: 'ready' });
    parentPort.on('message', (m) => parentPort.postMessage({ type: 'failed', id: m.id, error: 'database is locked' }));`,
};

describe('the run worker', () => {
  const contexts: TestContext[] = [];
  const context = (): TestContext => {
    const ctx = testContext(NOW);
    contexts.push(ctx);
    seed(ctx);
    return ctx;
  };
  afterEach(() => {
    for (const ctx of contexts.splice(0)) ctx.close();
  });

  it('backfills in a worker thread, storing exactly what the main thread computes', async () => {
    const inWorker = context();
    const onMain = context();
    const { log, entries } = capture();
    const service = registerConsult({ ...inWorker, log }, { backfillDays: 10 });
    const reference = registerConsult(onMain, { backfillDays: 10, worker: false });
    await service.tick();
    await reference.tick();

    const status = service.offThread();
    expect(status).toMatchObject({ mode: 'worker', mainRuns: 0, failures: 0, disabled: null, starts: 1 });
    // Today's colours and ten past days of every backfilled model, all computed in the worker.
    expect(status.runs).toBe(1 + 10 * BACKFILLED);
    expect(reference.offThread()).toMatchObject({ mode: 'main', runs: 0, mainRuns: 1 + 10 * BACKFILLED });
    expect(entries.filter((e) => e.msg === 'consult.background_runs').map((e) => e.fields)).toEqual([expect.objectContaining({ inWorker: 1 + 10 * BACKFILLED, onMainThread: 0 })]);

    const a = stored(inWorker.db);
    const b = stored(onMain.db);
    expect(a.runs).toHaveLength(1 + 10 * BACKFILLED);
    expect(a.scores.length).toBeGreaterThan(12 * 10 * BACKFILLED);
    expect(a.runs).toStrictEqual(b.runs);
    expect(a.scores).toStrictEqual(b.scores);
    // Today's colours were written from the worker's run too.
    const colours = (db: Db): unknown[] => db.prepare('SELECT id, risk_level FROM areas ORDER BY id').raw().all();
    expect(colours(inWorker.db)).toStrictEqual(colours(onMain.db));
    // Nothing new: the next tick computes nothing.
    await service.tick();
    expect(service.offThread().runs).toBe(1 + 10 * BACKFILLED);
  });

  it('computes a precision model (its based-on levels read by the worker) as the main thread does', async () => {
    const inWorker = context();
    const onMain = context();
    registerConsult(inWorker, { worker: false });
    registerConsult(onMain, { worker: false });
    const worker = new RunWorker({ file: inWorker.db.name, log: capture().log });
    try {
      const opts = { now: NOW, freshMs: 60_000 };
      const run = await ensureRunWith(inWorker.db, 'precision', YESTERDAY, opts, (job) => worker.compute(job));
      expect(run).toMatchObject({ model_id: 'precision', day: YESTERDAY, final: 1 });
      ensureRun(onMain.db, 'precision', YESTERDAY, opts);
      // The precision run and the composite run it is based on.
      expect(worker.stats.runs).toBe(2);
      expect(stored(inWorker.db)).toStrictEqual(stored(onMain.db));
      // A stored final run is kept: nothing to compute.
      await ensureRunWith(inWorker.db, 'precision', YESTERDAY, opts, (job) => worker.compute(job));
      expect(worker.stats.runs).toBe(2);
    } finally {
      await worker.close();
    }
  });

  it('keeps the run a request stored while the job was computed elsewhere', async () => {
    const ctx = context();
    registerConsult(ctx, { worker: false });
    // Today's refresh, dispatched at NOW; a request computes today's run at NOW + 1 s meanwhile.
    const refreshed = await ensureRunWith(ctx.db, 'composite', TODAY, { now: NOW, freshMs: 60_000, force: true }, async (job) => {
      const computed = computeJob(ctx.db, job);
      ensureRun(ctx.db, 'composite', TODAY, { now: NOW + 1000, freshMs: 60_000 });
      return computed;
    });
    expect(refreshed).toMatchObject({ day: TODAY, computed_at: NOW + 1000 });
    // A past day finalised by a request meanwhile is kept too; a dropped result stores nothing.
    const past = await ensureRunWith(ctx.db, 'fire', YESTERDAY, { now: NOW, freshMs: 60_000 }, async (job) => {
      ensureRun(ctx.db, 'fire', YESTERDAY, { now: NOW + 2000, freshMs: 60_000 });
      return computeJob(ctx.db, job);
    });
    expect(past).toMatchObject({ day: YESTERDAY, final: 1, computed_at: NOW + 2000 });
    expect(await ensureRunWith(ctx.db, 'security', YESTERDAY, { now: NOW, freshMs: 60_000 }, () => Promise.resolve(null))).toBeNull();
    expect(ctx.db.prepare("SELECT COUNT(*) FROM consult_runs WHERE model_id = 'security'").pluck().get()).toBe(0);
  });

  it('keeps the event loop turning while the worker computes', async () => {
    const ctx = context();
    const delay = 200;
    const service = registerConsult(ctx, { backfillDays: 2, worker: { entry: slowWorker(delay) } });
    let beats = 0;
    let maxGap = 0;
    let last = performance.now();
    const beat = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      beats++;
    }, 20);
    const t0 = performance.now();
    try {
      await service.tick();
    } finally {
      clearInterval(beat);
    }
    const jobs = 1 + 2 * BACKFILLED;
    expect(service.offThread()).toMatchObject({ mode: 'worker', runs: jobs, mainRuns: 0 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(jobs * delay);
    // Blocked for 200 ms a run, the main thread would beat about once a run; free, every 20 ms.
    // (A third of that, for a loaded machine; the bench reports the longest stall.)
    expect(beats).toBeGreaterThan((jobs * delay) / 20 / 3);
    void maxGap; // (reported by the bench, not asserted: a loaded machine decides it)
  });

  it('falls back to the main thread, logged once, when the worker cannot start', async () => {
    const ctx = context();
    const { log, entries } = capture();
    const service = registerConsult({ ...ctx, log }, { backfillDays: 3, worker: { entry: { file: path.join(os.tmpdir(), 'no-such-consult-worker.cjs'), execArgv: [] } } });
    await service.tick();
    await service.tick();
    const status = service.offThread();
    expect(status).toMatchObject({ mode: 'main', runs: 0, mainRuns: 1 + 3 * BACKFILLED });
    expect(status.disabled).toMatch(/no-such-consult-worker\.cjs is not found/);
    expect(entries.filter((e) => e.msg === 'consult.worker_unavailable')).toHaveLength(1);
    expect(ctx.db.prepare('SELECT COUNT(*) FROM consult_runs WHERE final = 1').pluck().get()).toBe(3 * BACKFILLED);
  });

  it('falls back when the worker dies before it is ready (e.g. the addon does not load)', async () => {
    const ctx = context();
    const { log, entries } = capture();
    const entry: WorkerEntry = { eval: true, execArgv: [], file: "throw new Error('better_sqlite3.node was compiled against a different Node.js version')" };
    const service = registerConsult({ ...ctx, log }, { backfillDays: 1, worker: { entry } });
    await service.tick();
    expect(service.offThread()).toMatchObject({ mode: 'main', runs: 0, mainRuns: 1 + BACKFILLED });
    expect(service.offThread().disabled).toMatch(/did not start: .*different Node\.js version/);
    expect(entries.filter((e) => e.msg === 'consult.worker_unavailable')).toHaveLength(1);
  });

  it('survives a worker that crashes: each lost run is computed here, and the worker is given up after three crashes', async () => {
    const ctx = context();
    const { log, entries } = capture();
    const service = registerConsult({ ...ctx, log }, { backfillDays: 2, worker: { entry: CRASHING } });
    await service.tick();
    const status = service.offThread();
    expect(status).toMatchObject({ mode: 'main', runs: 0, failures: 3, starts: 3, mainRuns: 1 + 2 * BACKFILLED });
    expect(status.disabled).toMatch(/failed 3 times.*code 7/);
    expect(entries.filter((e) => e.msg === 'consult.worker_failed')).toHaveLength(3);
    expect(entries.filter((e) => e.msg === 'consult.worker_unavailable')).toHaveLength(1);
    expect(ctx.db.prepare('SELECT COUNT(*) FROM consult_runs WHERE final = 1').pluck().get()).toBe(2 * BACKFILLED);
  });

  it('does not give the worker up for jobs that fail (the main thread computes them)', async () => {
    const ctx = context();
    const { log, entries } = capture();
    const service = registerConsult({ ...ctx, log }, { backfillDays: 2, worker: { entry: FAILING_JOBS } });
    await service.tick();
    const status = service.offThread();
    expect(status).toMatchObject({ mode: 'worker', runs: 0, starts: 1, failures: 1 + 2 * BACKFILLED, mainRuns: 1 + 2 * BACKFILLED, disabled: null });
    expect(entries.filter((e) => e.msg === 'consult.worker_unavailable')).toHaveLength(0);
    expect(ctx.db.prepare('SELECT COUNT(*) FROM consult_runs WHERE final = 1').pluck().get()).toBe(2 * BACKFILLED);
  });

  it('is stopped on close, and the run in flight is dropped', async () => {
    const ctx = context();
    const service = registerConsult(ctx, { backfillDays: 5, worker: { entry: slowWorker(300) } });
    const tick = service.tick();
    // A run stored, the next one in the worker.
    await vi.waitFor(() => expect(service.offThread().runs).toBeGreaterThanOrEqual(1), { timeout: 20_000, interval: 20 });
    expect(service.offThread().running).toBe(true);
    const runs = ctx.db.prepare('SELECT COUNT(*) FROM consult_runs').pluck().get() as number;
    const file = ctx.db.name;
    ctx.close();
    contexts.splice(contexts.indexOf(ctx), 1);
    await expect(tick).resolves.toBeUndefined();
    await vi.waitFor(() => expect(service.offThread().running).toBe(false));
    expect(service.offThread().runs).toBe(runs);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('is not used for a store it cannot read alongside the writer', () => {
    const memory = new Database(':memory:');
    expect(offThreadProblem(memory)).toMatch(/in memory/);
    memory.close();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-runworker-'));
    try {
      const rollback = new Database(path.join(dir, 'store.sqlite'));
      expect(offThreadProblem(rollback)).toMatch(/journal mode delete, not WAL/);
      rollback.pragma('journal_mode = WAL');
      expect(offThreadProblem(rollback)).toBeNull();
      rollback.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds its entry from source and from the bundles', () => {
    expect(workerEntry('/app/dist/main', '/app/dist/main/host.cjs')).toEqual({ file: '/app/dist/main/consultWorker.cjs', execArgv: [] });
    expect(workerEntry('/app/resources/app.asar/dist/electron', '/app/resources/app.asar/dist/electron/main.cjs').file).toBe('/app/resources/app.asar/dist/electron/consultWorker.cjs');
    const source = workerEntry();
    expect(source.file).toBe(path.join(__dirname, 'worker.ts'));
    expect(source.execArgv[0]).toBe('--require');
    expect(fs.existsSync(source.execArgv[1]!)).toBe(true);
  });
});
