/**
 * The run worker: scoring runs computed off the event loop (DESIGN.md convention 6), so the host
 * keeps answering while the background job refreshes today's colours and backfills past days.
 *
 * A worker_threads Worker (worker.ts) opens its own READ-ONLY connection to the store file (WAL
 * lets it read while the core writes), computes a job with the same code as the main thread
 * (runs.ts computeJob → computeRun → readSources) and posts the numbers back, transferring the
 * typed arrays' buffers. This thread keeps the one writer connection: it plans the runs and
 * stores them (runs.ts ensureRunWith).
 *
 * The worker is started on the first job and stopped after a while without jobs. It is not used
 * for a store it cannot open (in memory, not in WAL mode), and is given up for good when it cannot
 * start or keeps failing; every such case is logged once and the caller computes on the main
 * thread instead. Results arriving after close() are dropped.
 *
 * Entry: from source (vitest, tsx) the .ts file with tsx's CommonJS hook; from the bundles
 * (dist/main/host.cjs, dist/electron/main.cjs) consultWorker.cjs next to them (scripts/build.mjs).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/store';
import type { Logger } from '../log';
import type { ComputedRun, RunJob, StorableRun } from './runs';

export type ToWorker = { type: 'run'; id: number; job: RunJob };
export type FromWorker = { type: 'ready' } | { type: 'done'; id: number; run: StorableRun } | { type: 'failed'; id: number; error: string };

export interface RunWorkerData {
  /** The store file, opened read-only. */
  file: string;
  /** better-sqlite3's addon to load (Electron's build), or null for node_modules' own. */
  nativeBinding: string | null;
}

/** The bundle's file name next to dist/main/host.cjs and dist/electron/main.cjs. */
export const WORKER_BUNDLE = 'consultWorker.cjs';

/**
 * The run as it is posted back: everything saveRun needs. The typed arrays computed for this run
 * are transferred (moved, not copied); the tree's arrays are the worker's cached tree, so they are
 * copied.
 */
export function packRun(run: ComputedRun): { run: StorableRun; transfer: ArrayBuffer[] } {
  const packed: StorableRun = {
    model: run.model,
    revision: run.revision,
    day: run.day,
    asOf: run.asOf,
    tree: { ids: run.tree.ids, levels: run.tree.levels, gridNodes: run.tree.gridNodes },
    grid: { bounds: run.grid.bounds, norm: run.grid.norm },
    rolled: { score: run.rolled.score, raw: run.rolled.raw, contrib: run.rolled.contrib },
    level: run.level,
    base: run.base,
    coefficient: run.coefficient,
    provenance: run.provenance,
    ms: run.ms,
  };
  const moved = [run.rolled.score, ...run.rolled.raw, ...run.rolled.contrib, ...run.grid.norm, run.level, run.base, run.coefficient];
  const buffers = new Set<ArrayBuffer>();
  for (const a of moved) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return { run: packed, transfer: [...buffers] };
}

export interface WorkerEntry {
  /** A script path, or the code itself when `eval` is set (tests). */
  file: string;
  execArgv: string[];
  eval?: boolean;
}

/**
 * Where the worker's entry is: worker.ts next to this file when running from source (vitest,
 * tsx; tsx's CommonJS hook is preloaded, as `--import tsx` does not reach workers on Node 20), or
 * the bundle next to the host's or Electron's bundle.
 */
export function workerEntry(dir: string = __dirname, self: string = __filename): WorkerEntry {
  if (self.endsWith('.ts')) return { file: path.join(dir, 'worker.ts'), execArgv: ['--require', createRequire(self).resolve('tsx/cjs')] };
  return { file: path.join(dir, WORKER_BUNDLE), execArgv: [] };
}

/**
 * The better-sqlite3 addon the worker loads. In Electron the main process may load a separate
 * build for Electron's ABI (main/electron/sqlite.ts, which makes it the default of the main
 * thread's module only); the worker looks in the same places, in the same order. Elsewhere
 * node_modules' build, as the core's.
 */
export function workerSqliteBinding(
  env: Readonly<Record<string, string | undefined>> = process.env,
  electron: string | undefined = process.versions.electron,
  resourcesPath: string | undefined = (process as { resourcesPath?: string }).resourcesPath,
  exists: (file: string) => boolean = (file) => fs.existsSync(file),
): string | null {
  if (!electron) return null;
  const fromEnv = env.CITYOPS_SQLITE_BINDING?.trim();
  if (fromEnv && exists(path.resolve(fromEnv))) return path.resolve(fromEnv);
  if (resourcesPath) {
    const file = path.join(resourcesPath, 'sqlite', 'better_sqlite3.node');
    if (exists(file)) return file;
  }
  return null;
}

/** Why a worker cannot read this store (then runs are computed on the main thread), or null. */
export function offThreadProblem(db: Db): string | null {
  if (db.memory || !db.name || db.name === ':memory:') return 'the store is in memory';
  const mode = String(db.pragma('journal_mode', { simple: true }));
  if (mode.toLowerCase() !== 'wal') return `the store is in journal mode ${mode}, not WAL (a reader would block the writer)`;
  if (!fs.existsSync(db.name)) return `the store file ${db.name} is not found`;
  return null;
}

/** The worker could not compute a job (not started, crashed, failed, given up): compute it here. */
export class RunWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunWorkerError';
  }
}

export interface RunWorkerOptions {
  /** The store file. */
  file: string;
  log: Logger;
  entry?: WorkerEntry;
  /** Default: workerSqliteBinding(). */
  nativeBinding?: string | null;
  /** Stop the worker after this long without a job (ms). */
  idleMs?: number;
  /** Give the worker up after this many crashes or failed jobs. */
  maxFailures?: number;
  /** Give the worker up when it is not ready after this long (ms). */
  startTimeoutMs?: number;
}

export interface RunWorkerStats {
  starts: number;
  /** Runs computed by the worker. */
  runs: number;
  /** Their computing time, summed (ms). */
  computeMs: number;
  /** Crashes and failed jobs. */
  failures: number;
  /** Why the worker was given up, or null. */
  disabled: string | null;
}

interface Pending {
  resolve(run: StorableRun | null): void;
  reject(err: Error): void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class RunWorker {
  readonly stats: RunWorkerStats = { starts: 0, runs: 0, computeMs: 0, failures: 0, disabled: null };
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  /** The worker of `starting`, before it is ready (close() stops it at once). */
  private startingWorker: Worker | null = null;
  /** Crashes since the last job the worker finished: the worker is given up at maxFailures. */
  private crashesInARow = 0;
  /** Workers being stopped on purpose (idle, given up, closed): their exit is no failure. */
  private readonly stopping = new WeakSet<Worker>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly idleMs: number;
  private readonly maxFailures: number;
  private readonly startTimeoutMs: number;

  constructor(private readonly opts: RunWorkerOptions) {
    this.idleMs = opts.idleMs ?? 30_000;
    this.maxFailures = opts.maxFailures ?? 3;
    this.startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  }

  /** False once closed or given up: compute on the main thread. */
  get usable(): boolean {
    return !this.closed && this.stats.disabled === null;
  }

  /** Whether a worker is running now (started and not stopped). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Compute a job in the worker. Resolves null when the result is dropped (closed meanwhile);
   * rejects with RunWorkerError when the worker cannot do it.
   */
  async compute(job: RunJob): Promise<StorableRun | null> {
    if (this.closed) return null;
    if (this.stats.disabled !== null) throw new RunWorkerError(`the run worker was given up: ${this.stats.disabled}`);
    this.clearIdle();
    const id = this.nextId++;
    const result = new Promise<StorableRun | null>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // Rejected without a waiter when the start fails (compute throws that error instead).
    result.catch(() => undefined);
    let worker: Worker;
    try {
      worker = await this.start();
    } catch (err) {
      this.pending.delete(id);
      if (this.closed) return null;
      throw err;
    }
    if (!this.pending.has(id)) return result; // closed (or given up) meanwhile
    this.updateRef();
    worker.postMessage({ type: 'run', id, job } satisfies ToWorker);
    return result;
  }

  /** Stop the worker; jobs still running resolve null and their results are dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearIdle();
    for (const p of this.pending.values()) p.resolve(null);
    this.pending.clear();
    // A worker still starting is stopped now, not after it becomes ready (up to startTimeoutMs).
    const worker = this.worker ?? this.startingWorker;
    if (worker) await this.stop(worker);
    await this.starting?.catch(() => null);
  }

  private start(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.starting) return this.starting;
    const t0 = performance.now();
    const { log } = this.opts;
    let entry: WorkerEntry;
    try {
      entry = this.opts.entry ?? workerEntry();
      if (!entry.eval && !fs.existsSync(entry.file)) throw new Error(`${entry.file} is not found (npm run build makes it)`);
    } catch (err) {
      return Promise.reject(this.disable(`no worker entry: ${message(err)}`));
    }
    const data: RunWorkerData = { file: this.opts.file, nativeBinding: this.opts.nativeBinding !== undefined ? this.opts.nativeBinding : workerSqliteBinding() };
    this.stats.starts++;
    const starting = new Promise<Worker>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = new Worker(entry.file, { eval: entry.eval ?? false, execArgv: entry.execArgv, workerData: data, stdout: false, stderr: false });
        this.startingWorker = worker;
      } catch (err) {
        reject(this.disable(`cannot start: ${message(err)}`));
        return;
      }
      let ready = false;
      let lastError: Error | null = null;
      const timeout = setTimeout(() => {
        lastError = new Error(`not ready after ${this.startTimeoutMs} ms`);
        void worker.terminate();
      }, this.startTimeoutMs);
      timeout.unref();
      worker.on('message', (m: FromWorker) => {
        if (m.type !== 'ready') {
          if (this.worker === worker) this.settle(m);
          return;
        }
        ready = true;
        clearTimeout(timeout);
        if (this.startingWorker === worker) this.startingWorker = null;
        if (this.starting === starting) this.starting = null;
        if (this.closed || this.stats.disabled !== null) {
          void this.stop(worker);
        } else {
          this.worker = worker;
          log.info('consult.worker_started', { ms: Math.round(performance.now() - t0), entry: entry.eval ? '(eval)' : entry.file, sqliteBinding: data.nativeBinding ?? 'default' });
        }
        resolve(worker);
      });
      worker.on('error', (err) => {
        lastError = err;
      });
      worker.on('exit', (code) => {
        clearTimeout(timeout);
        if (this.startingWorker === worker) this.startingWorker = null;
        if (this.worker === worker) this.worker = null;
        if (this.starting === starting) this.starting = null;
        const why = lastError ? message(lastError) : `exited with code ${code}`;
        if (this.stopping.has(worker) || this.closed) {
          if (!ready) reject(new RunWorkerError('the run worker was stopped'));
          return;
        }
        if (!ready) {
          reject(this.disable(`did not start: ${why}`));
          return;
        }
        if (this.pending.size === 0) return; // nothing lost: started again for the next job
        this.stats.failures++;
        this.crashesInARow++;
        log.warn('consult.worker_failed', { error: why, runsLost: this.pending.size, failures: this.stats.failures, inARow: this.crashesInARow });
        this.rejectAll(
          this.crashesInARow >= this.maxFailures ? this.disable(`failed ${this.crashesInARow} times in a row, last: ${why}`) : new RunWorkerError(`the run worker stopped: ${why}`),
        );
      });
    });
    this.starting = starting;
    return starting;
  }

  private settle(m: Exclude<FromWorker, { type: 'ready' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return; // dropped (closed)
    this.pending.delete(m.id);
    if (m.type === 'done') {
      this.stats.runs++;
      this.stats.computeMs += m.run.ms;
      this.crashesInARow = 0;
      p.resolve(m.run);
    } else {
      // The job failed, not the worker (a model the data cannot score, a busy store): the main
      // thread tries it; only crashes count toward giving the worker up.
      this.stats.failures++;
      this.opts.log.warn('consult.worker_run_failed', { error: m.error, failures: this.stats.failures });
      p.reject(new RunWorkerError(m.error));
    }
    this.afterJob();
  }

  /** Give the worker up (logged once): jobs waiting for it are rejected. Returns the error to reject with. */
  private disable(reason: string): RunWorkerError {
    if (this.stats.disabled === null) {
      this.stats.disabled = reason;
      this.opts.log.warn('consult.worker_unavailable', { reason, using: 'the main thread' });
      if (this.worker) void this.stop(this.worker);
    }
    const err = new RunWorkerError(`the run worker was given up: ${this.stats.disabled}`);
    this.rejectAll(err);
    return err;
  }

  private rejectAll(err: RunWorkerError): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(err);
  }

  private async stop(worker: Worker): Promise<void> {
    this.stopping.add(worker);
    if (this.worker === worker) this.worker = null;
    await worker.terminate();
  }

  private afterJob(): void {
    this.updateRef();
    if (this.pending.size > 0 || this.closed || !this.worker) return;
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker && this.pending.size === 0) void this.stop(this.worker);
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The worker keeps the process alive only while a job waits for it. */
  private updateRef(): void {
    const worker = this.worker;
    if (!worker) return;
    if (this.pending.size > 0) worker.ref();
    else worker.unref();
  }
}
