/** Scores as the API shows them: one level's colours, and the explanation of one area's score. */
import { ApiFailure } from '../../../shared/api/contract';
import type { ScoreExplanation, Scores } from '../../../shared/api/consult';
import { AREA_LEVELS, type AreaLevel } from '../../../shared/domain/model';
import type { RollupWeight } from '../../../shared/domain/indicators';
import { effectiveMeasures, explainScore, round, type ScoreDetail } from '../../../shared/domain/scoring';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { getModel } from './models';
import { ensureRun, previousDay, scoreOf, type EnsureOptions, type ScoreRow } from './runs';
import { loadTree, type AreaTree } from './tree';

const levelNo = (level: AreaLevel): number => AREA_LEVELS.indexOf(level) + 1;

export function scoresOf(db: Db, args: { modelId: string; revision?: number | undefined; day: string; level: AreaLevel; within?: string | undefined }, opts: EnsureOptions): Scores {
  const stored = getModel(db, args.modelId, args.revision);
  const { run } = ensureRun(db, args.modelId, args.day, { ...opts, revision: stored.revision });
  let rows: Array<[string, number, number]>;
  if (args.within) {
    if (!loadTree(db).index.has(args.within)) throw new ApiFailure('not_found', `no area with id ${args.within}`, 'input.within');
    rows = db
      .prepare(
        `WITH RECURSIVE sub(id) AS (SELECT id FROM areas WHERE id = ? UNION ALL SELECT a.id FROM areas a JOIN sub ON a.parent_id = sub.id)
         SELECT s.area_id, s.score, s.level FROM consult_scores s JOIN sub ON sub.id = s.area_id WHERE s.run_id = ? AND s.area_level = ? ORDER BY s.area_id`,
      )
      .raw()
      .all(args.within, run.id, levelNo(args.level)) as Array<[string, number, number]>;
  } else {
    rows = db.prepare('SELECT area_id, score, level FROM consult_scores WHERE run_id = ? AND area_level = ? ORDER BY area_id').raw().all(run.id, levelNo(args.level)) as Array<
      [string, number, number]
    >;
  }
  const counts = [0, 0, 0, 0, 0];
  for (const r of rows) counts[r[2]] = (counts[r[2]] ?? 0) + 1;
  return {
    modelId: args.modelId,
    revision: stored.revision,
    day: args.day,
    asOf: toShanghaiIso(run.as_of),
    computedAt: toShanghaiIso(run.computed_at),
    final: run.final === 1,
    kind: stored.config.kind,
    thresholds: [...stored.config.levels.thresholds],
    level: args.level,
    areaIds: rows.map((r) => r[0]),
    scores: rows.map((r) => round(r[1], 2)),
    levels: rows.map((r) => r[2]),
    counts,
  };
}

export function detailOf(row: ScoreRow): ScoreDetail {
  return {
    score: row.score,
    level: row.level,
    base: row.base,
    coefficient: row.coefficient,
    raw: JSON.parse(row.raw) as number[],
    norm: row.norm === null ? null : (JSON.parse(row.norm) as Array<number | null>),
    contrib: JSON.parse(row.contrib) as number[],
  };
}

const measureCache = new WeakMap<AreaTree, { population: Float64Array; area: Float64Array }>();

/** The weight each area carries into its parent under a roll-up rule (tree order). */
export function rollupWeights(tree: AreaTree, weightBy: RollupWeight): Float64Array {
  let m = measureCache.get(tree);
  if (!m) {
    m = effectiveMeasures(tree.nodes);
    measureCache.set(tree, m);
  }
  const out = new Float64Array(tree.ids.length);
  const src = weightBy === 'population' ? m.population : m.area;
  for (let i = 0; i < out.length; i++) out[i] = weightBy === 'equal' ? 1 : Number.isNaN(src[i]!) ? 0 : src[i]!;
  return out;
}

export function explainArea(db: Db, args: { modelId: string; areaId: string; day: string; revision?: number | undefined }, opts: EnsureOptions): ScoreExplanation {
  const tree = loadTree(db);
  const node = tree.index.get(args.areaId);
  if (node === undefined) throw new ApiFailure('not_found', `no area with id ${args.areaId}`, 'input.areaId');
  const stored = getModel(db, args.modelId, args.revision);
  const { run } = ensureRun(db, args.modelId, args.day, { ...opts, revision: stored.revision });
  const row = scoreOf(db, run.id, args.areaId);
  if (!row) throw new ApiFailure('not_found', `area ${args.areaId} has no score in model ${args.modelId} (no grids under it)`, 'input.areaId');
  const yDay = previousDay(args.day);
  const yRun = ensureRun(db, args.modelId, yDay, { ...opts, revision: stored.revision }).run;
  const yRow = scoreOf(db, yRun.id, args.areaId);
  const detail = detailOf(row);
  if (detail.raw.length !== stored.config.indicators.length) throw new ApiFailure('not_found', `the detail of ${args.day} has been pruned; only the score is kept`, 'input.day');
  const yDetail = yRow && JSON.parse(yRow.raw).length === stored.config.indicators.length ? detailOf(yRow) : null;
  const ex = explainScore(stored.config, detail, yDetail);
  const sources = JSON.parse(run.sources) as Array<{ indicatorId: string; source: string }>;

  // Children that weigh most in the score: weight share × score.
  const childRows = db
    .prepare('SELECT s.area_id, s.score, s.level FROM consult_scores s JOIN areas a ON a.id = s.area_id WHERE s.run_id = ? AND a.parent_id = ?')
    .raw()
    .all(run.id, args.areaId) as Array<[string, number, number]>;
  const yChild = new Map<string, number>(
    (db.prepare('SELECT s.area_id, s.score FROM consult_scores s JOIN areas a ON a.id = s.area_id WHERE s.run_id = ? AND a.parent_id = ?').raw().all(yRun.id, args.areaId) as Array<
      [string, number]
    >).map(([id, s]) => [id, s]),
  );
  const weights = rollupWeights(tree, stored.config.rollup.weightBy);
  const w = childRows.map(([id]) => weights[tree.index.get(id) ?? 0] ?? 0);
  const total = w.reduce((a, b) => a + b, 0);
  const children = childRows
    .map(([id, score, level], i) => ({
      areaId: id,
      name: tree.names[tree.index.get(id) ?? 0] ?? id,
      score: round(score, 2),
      level,
      weightShare: total > 0 ? round(w[i]! / total, 4) : round(1 / childRows.length, 4),
      delta: yChild.has(id) ? round(score - yChild.get(id)!, 2) : null,
    }))
    .sort((a, b) => b.weightShare * b.score - a.weightShare * a.score)
    .slice(0, 12);

  return {
    modelId: stored.config.id,
    modelName: stored.config.name,
    kind: stored.config.kind,
    revision: stored.revision,
    day: args.day,
    asOf: toShanghaiIso(run.as_of),
    area: { id: args.areaId, name: tree.names[node]!, level: AREA_LEVELS[tree.levels[node]! - 1]! },
    score: round(ex.score, 2),
    level: ex.level,
    base: round(ex.base, 2),
    coefficient: round(ex.coefficient, 4),
    yesterday: ex.yesterday ? { score: round(ex.yesterday.score, 2), level: ex.yesterday.level } : null,
    delta: ex.delta === null ? null : round(ex.delta, 2),
    indicators: ex.indicators.map((ind) => ({
      ...ind,
      weightShare: round(ind.weightShare, 4),
      raw: round(ind.raw, 4),
      normalised: ind.normalised === null ? null : round(ind.normalised, 4),
      contribution: round(ind.contribution, 2),
      share: round(ind.share, 4),
      yesterday: ind.yesterday ? { raw: round(ind.yesterday.raw, 4), contribution: round(ind.yesterday.contribution, 2) } : null,
      delta: ind.delta === null ? null : round(ind.delta, 2),
      source: sources.find((s) => s.indicatorId === ind.id)?.source ?? '',
    })),
    children,
  };
}
