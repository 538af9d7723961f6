/**
 * Scoring runs: one model revision over every grid at one instant, rolled up the area tree, kept
 * per Shanghai day (consult_runs + consult_scores). A past day's run reads the data as of the end
 * of that day and is final; today's run reads it as of now and is refreshed when it gets stale.
 */
import { ApiFailure } from '../../../shared/api/contract';
import type { ModelConfig } from '../../../shared/domain/indicators';
import { levelOf, rollUp, scoreGrids, type Bounds, type GridScores, type RollupResult } from '../../../shared/domain/scoring';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../../shared/time';
import type { Db } from '../db/store';
import { getModel, type StoredModel } from './models';
import { readSources } from './sources';
import { loadTree, type AreaTree } from './tree';

export interface ComputedRun {
  model: ModelConfig;
  revision: number;
  day: string;
  asOf: number;
  tree: AreaTree;
  raw: Float64Array[];
  grid: GridScores;
  /** Per node (tree order). */
  rolled: RollupResult;
  level: Uint8Array;
  base: Float64Array;
  coefficient: Float64Array;
  provenance: string[];
  ms: number;
}

export interface RunRow {
  id: number;
  model_id: string;
  revision: number;
  day: string;
  as_of: number;
  computed_at: number;
  final: number;
  ms: number;
  bounds: string;
  sources: string;
}

/** The instant a day's run reads the data at: the end of the day, or now for today. */
export function asOfFor(day: string, now: number): number {
  const end = shanghaiDayStart(day) + DAY_MS;
  return Math.min(end, now);
}

export const previousDay = (day: string, n = 1): string => shanghaiDay(shanghaiDayStart(day) - n * DAY_MS + 12 * 3_600_000);

/**
 * Score a model over the store as of `asOf`. Precision models need the five-colour levels of their
 * based-on risk model per node (`basedOnLevels`, tree order).
 */
export function computeRun(db: Db, stored: StoredModel, day: string, asOf: number, basedOnLevels?: Uint8Array): ComputedRun {
  const t0 = performance.now();
  const model = stored.config;
  const tree = loadTree(db);
  const { columns: raw, provenance } = readSources(db, model.indicators, tree.gridIndex, tree.gridIds.length, asOf);
  let gridLevels: Uint8Array | undefined;
  if (model.kind === 'precision') {
    if (!basedOnLevels) throw new Error(`precision model ${model.id} needs the levels of ${model.precision?.basedOn}`);
    gridLevels = new Uint8Array(tree.gridNodes.length);
    tree.gridNodes.forEach((node, g) => {
      gridLevels![g] = basedOnLevels[node]!;
    });
  }
  const grid = scoreGrids(model, tree.gridMeasures, raw, gridLevels);
  const rolled = rollUp(tree.nodes, tree.gridNodes, { score: grid.score, contrib: grid.contrib, raw }, model.rollup.weightBy);
  const n = tree.ids.length;
  const level = new Uint8Array(n);
  const base = new Float64Array(n);
  const coefficient = new Float64Array(n).fill(1);
  if (model.kind === 'precision') {
    // The base (before coefficients) rolls up like the score; a parent's coefficient is their ratio.
    const baseRolled = rollUp(tree.nodes, tree.gridNodes, { score: grid.base, contrib: [], raw: [] }, model.rollup.weightBy);
    for (let i = 0; i < n; i++) {
      level[i] = basedOnLevels![i]!;
      base[i] = baseRolled.score[i]!;
      coefficient[i] = base[i]! > 0 ? rolled.score[i]! / base[i]! : 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const s = rolled.score[i]!;
      level[i] = Number.isNaN(s) ? 0 : levelOf(s, model.levels.thresholds);
      base[i] = s;
    }
  }
  return { model, revision: stored.revision, day, asOf, tree, raw, grid, rolled, level, base, coefficient, provenance, ms: performance.now() - t0 };
}

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;
const jsonArray = (values: ArrayLike<number>, nanAsNull = false): string => {
  const out: Array<number | null> = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out.push(Number.isNaN(v) ? (nanAsNull ? null : 0) : r4(v));
  }
  return JSON.stringify(out);
};

/**
 * What storing a run needs: a ComputedRun, or the same numbers computed by the run worker and
 * posted back (runWorker.ts), with the area order they were computed in.
 */
export interface StorableRun {
  model: ModelConfig;
  revision: number;
  day: string;
  asOf: number;
  tree: Pick<AreaTree, 'ids' | 'levels' | 'gridNodes'>;
  grid: Pick<GridScores, 'bounds' | 'norm'>;
  rolled: Pick<RollupResult, 'score' | 'raw' | 'contrib'>;
  level: Uint8Array;
  base: Float64Array;
  coefficient: Float64Array;
  provenance: string[];
  ms: number;
}

/** Store a run (replacing an earlier run of the same model, revision and day). Returns its id. */
export function saveRun(db: Db, run: StorableRun, final: boolean, computedAt: number): number {
  const { tree, rolled, grid } = run;
  const k = run.model.indicators.length;
  const bounds: Bounds[] = grid.bounds;
  const save = db.transaction((): number => {
    const existing = db.prepare('SELECT id FROM consult_runs WHERE model_id = ? AND revision = ? AND day = ?').pluck().get(run.model.id, run.revision, run.day) as
      | number
      | undefined;
    let id: number;
    const meta = [run.asOf, computedAt, final ? 1 : 0, Math.round(run.ms * 10) / 10, JSON.stringify(bounds), JSON.stringify(run.model.indicators.map((ind, i) => ({ indicatorId: ind.id, source: run.provenance[i] })))];
    if (existing !== undefined) {
      id = existing;
      db.prepare('DELETE FROM consult_scores WHERE run_id = ?').run(id);
      db.prepare('UPDATE consult_runs SET as_of = ?, computed_at = ?, final = ?, ms = ?, bounds = ?, sources = ? WHERE id = ?').run(...meta, id);
    } else {
      id = Number(
        db.prepare('INSERT INTO consult_runs(model_id, revision, day, as_of, computed_at, final, ms, bounds, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(run.model.id, run.revision, run.day, ...meta)
          .lastInsertRowid,
      );
    }
    const insert = db.prepare(
      'INSERT INTO consult_scores(run_id, area_id, area_level, score, base, coefficient, level, raw, norm, contrib) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const gridOfNode = new Int32Array(tree.ids.length).fill(-1);
    tree.gridNodes.forEach((node, g) => {
      gridOfNode[node] = g;
    });
    const rawRow = new Float64Array(k);
    const contribRow = new Float64Array(k);
    const normRow = new Float64Array(k);
    for (let i = 0; i < tree.ids.length; i++) {
      const score = rolled.score[i]!;
      if (Number.isNaN(score)) continue;
      for (let j = 0; j < k; j++) {
        rawRow[j] = rolled.raw[j]![i]!;
        contribRow[j] = rolled.contrib[j]![i]!;
      }
      const g = gridOfNode[i]!;
      let norm: string | null = null;
      if (g >= 0) {
        for (let j = 0; j < k; j++) normRow[j] = grid.norm[j]![g]!;
        norm = jsonArray(normRow, true);
      }
      insert.run(id, tree.ids[i], tree.levels[i], r4(score), r4(run.base[i]!), r4(run.coefficient[i]!), run.level[i], jsonArray(rawRow), norm, jsonArray(contribRow));
    }
    return id;
  });
  return save.immediate();
}

export function findRun(db: Db, modelId: string, revision: number, day: string): RunRow | undefined {
  return db.prepare('SELECT * FROM consult_runs WHERE model_id = ? AND revision = ? AND day = ?').get(modelId, revision, day) as RunRow | undefined;
}

export function getRun(db: Db, id: number): RunRow {
  const row = db.prepare('SELECT * FROM consult_runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!row) throw new ApiFailure('not_found', `no scoring run ${id}`);
  return row;
}

/** Five-colour levels of every node (tree order) from a stored run; 0 where the run has none. */
export function levelsOfRun(db: Db, runId: number, tree: AreaTree): Uint8Array {
  const out = new Uint8Array(tree.ids.length);
  const rows = db.prepare('SELECT area_id, level FROM consult_scores WHERE run_id = ?').raw().all(runId) as Array<[string, number]>;
  for (const [id, level] of rows) {
    const i = tree.index.get(id);
    if (i !== undefined) out[i] = level;
  }
  return out;
}

export interface EnsureOptions {
  now: number;
  /** Today's run is recomputed when older than this (ms). */
  freshMs: number;
  revision?: number | undefined;
  /** Recompute even when a usable run exists. */
  force?: boolean;
  /** Told about every run this call computed and stored. */
  onComputed?: (run: RunRow) => void;
}

export interface EnsuredRun {
  run: RunRow;
  /** Set when the run was computed by this call. */
  computed: ComputedRun | null;
}

/** A run to compute: the model revision, the instant the data is read at, and whether it is final. */
export interface RunPlan {
  stored: StoredModel;
  day: string;
  asOf: number;
  final: boolean;
}

/**
 * What ensureRun does for a model and day: the stored run when it is usable, else the plan of
 * the run to compute (past days as of the end of the day and final; future days are refused).
 */
export function planRun(db: Db, modelId: string, day: string, opts: EnsureOptions): { run: RunRow; plan: null } | { run: null; plan: RunPlan } {
  const today = shanghaiDay(opts.now);
  if (day > today) throw new ApiFailure('validation', `day ${day} is in the future`, 'input.day');
  const stored = getModel(db, modelId, opts.revision);
  const existing = findRun(db, modelId, stored.revision, day);
  if (existing && !opts.force && (existing.final === 1 || (day === today && opts.now - existing.computed_at < opts.freshMs))) return { run: existing, plan: null };
  const asOf = asOfFor(day, opts.now);
  return { run: null, plan: { stored, day, asOf, final: asOf >= shanghaiDayStart(day) + DAY_MS } };
}

/** Store a computed run and tell opts.onComputed. */
export function persistRun(db: Db, computed: StorableRun, final: boolean, opts: EnsureOptions): RunRow {
  const id = saveRun(db, computed, final, opts.now);
  const run = getRun(db, id);
  opts.onComputed?.(run);
  return run;
}

/** The options of the based-on run a precision model needs (never forced, current revision). */
const baseOptions = (opts: EnsureOptions): EnsureOptions => ({ now: opts.now, freshMs: opts.freshMs, ...(opts.onComputed ? { onComputed: opts.onComputed } : {}) });

/**
 * The run of a model for a day, computed and stored when missing (or stale, for today). Past days
 * are computed as of the end of the day and final; future days are refused.
 */
export function ensureRun(db: Db, modelId: string, day: string, opts: EnsureOptions): EnsuredRun {
  const { run: existing, plan } = planRun(db, modelId, day, opts);
  if (existing) return { run: existing, computed: null };
  const { stored, asOf, final } = plan;
  let basedOn: Uint8Array | undefined;
  if (stored.config.kind === 'precision' && stored.config.precision) {
    const base = ensureRun(db, stored.config.precision.basedOn, day, baseOptions(opts));
    basedOn = levelsOfRun(db, base.run.id, loadTree(db));
  }
  const computed = computeRun(db, stored, day, asOf, basedOn);
  return { run: persistRun(db, computed, final, opts), computed };
}

/**
 * One run to compute, as the run worker receives it: everything is read from the store by id, so
 * the job is a few numbers and strings. A precision model's based-on levels come from a stored run.
 */
export interface RunJob {
  modelId: string;
  revision: number;
  day: string;
  asOf: number;
  /** The stored run of the based-on model (precision models), whose levels weigh the grids. */
  baseRunId: number | null;
}

/** Compute a job over a (possibly read-only) connection: the run worker's whole task. */
export function computeJob(db: Db, job: RunJob): ComputedRun {
  const stored = getModel(db, job.modelId, job.revision);
  const basedOn = job.baseRunId === null ? undefined : levelsOfRun(db, job.baseRunId, loadTree(db));
  return computeRun(db, stored, job.day, job.asOf, basedOn);
}

/** Computes a job elsewhere (the run worker); null when the result was dropped (the core closed). */
export type RunComputer = (job: RunJob) => Promise<StorableRun | null>;

/**
 * ensureRun with the computation handed to `compute` (the run worker): the plan, the stored
 * based-on run and the write stay here, on the one writer connection. Returns null when the
 * result was dropped. When a request stored the run while the job ran (a newer run of today, or
 * the final run of a past day), that run is kept and returned.
 */
export async function ensureRunWith(db: Db, modelId: string, day: string, opts: EnsureOptions, compute: RunComputer): Promise<RunRow | null> {
  const { run: existing, plan } = planRun(db, modelId, day, opts);
  if (existing) return existing;
  const { stored, asOf, final } = plan;
  let baseRunId: number | null = null;
  if (stored.config.kind === 'precision' && stored.config.precision) {
    const base = await ensureRunWith(db, stored.config.precision.basedOn, day, baseOptions(opts), compute);
    if (!base) return null;
    baseRunId = base.id;
  }
  const computed = await compute({ modelId, revision: stored.revision, day, asOf, baseRunId });
  if (!computed || !db.open) return null;
  const meanwhile = findRun(db, modelId, stored.revision, day);
  if (meanwhile && (meanwhile.computed_at > opts.now || (!opts.force && meanwhile.final === 1))) return meanwhile;
  return persistRun(db, computed, final, opts);
}

export interface ScoreRow {
  area_id: string;
  area_level: number;
  score: number;
  base: number;
  coefficient: number;
  level: number;
  raw: string;
  norm: string | null;
  contrib: string;
}

export function scoreOf(db: Db, runId: number, areaId: string): ScoreRow | undefined {
  return db.prepare('SELECT * FROM consult_scores WHERE run_id = ? AND area_id = ?').get(runId, areaId) as ScoreRow | undefined;
}

/** Drop the per-indicator detail of runs older than `keepDays` (scores and colours stay). */
export function pruneDetail(db: Db, beforeDay: string): number {
  return db
    .prepare(`UPDATE consult_scores SET raw = '[]', norm = NULL, contrib = '[]' WHERE raw <> '[]' AND run_id IN (SELECT id FROM consult_runs WHERE day < ?)`)
    .run(beforeDay).changes;
}
