/**
 * 平安六指数: each risk model with an `index` yields a daily safety index, 100 − the city's risk
 * score. Its trend reads the stored daily runs (a day's latest revision: what was reported that
 * day), its composition the city's per-indicator contributions, and its movers the towns whose
 * change moved the city's index most (their weight share × their own change).
 */
import type { IndexSummary } from '../../../shared/api/consult';
import { indexFromRisk, round } from '../../../shared/domain/scoring';
import type { Db } from '../db/store';
import { rollupWeights, detailOf } from './explain';
import { listModels } from './models';
import { ensureRun, previousDay, scoreOf, type EnsureOptions } from './runs';
import { loadTree, type AreaTree } from './tree';

const SERIES_DAYS = 31;
const MOVERS = 5;

/** The level movers are read at: towns, or the first level below the root that has several areas. */
function moverLevel(tree: AreaTree): number {
  const rootLevel = tree.root >= 0 ? tree.levels[tree.root]! : 1;
  const counts = new Map<number, number>();
  for (const l of tree.levels) counts.set(l, (counts.get(l) ?? 0) + 1);
  if (rootLevel < 3 && (counts.get(3) ?? 0) > 1) return 3;
  for (let l = rootLevel + 1; l <= 5; l++) if ((counts.get(l) ?? 0) > 1) return l;
  return Math.min(5, rootLevel + 1);
}

export function computeIndices(db: Db, day: string, opts: EnsureOptions): IndexSummary[] {
  const tree = loadTree(db);
  if (tree.root < 0) return [];
  const rootId = tree.ids[tree.root]!;
  const models = listModels(db)
    .filter((m) => m.config.kind === 'risk' && m.config.index)
    .sort((a, b) => a.config.index!.order - b.config.index!.order);
  const firstDay = previousDay(day, SERIES_DAYS - 1);
  const level = moverLevel(tree);
  return models.map((m): IndexSummary => {
    const idx = m.config.index!;
    const today = ensureRun(db, m.config.id, day, { ...opts, revision: m.revision }).run;
    const yesterday = ensureRun(db, m.config.id, previousDay(day), { ...opts, revision: m.revision }).run;
    const row = scoreOf(db, today.id, rootId);
    const riskScore = row?.score ?? 0;

    const seriesRows = db
      .prepare(
        `SELECT r.day, r.revision, s.score FROM consult_runs r JOIN consult_scores s ON s.run_id = r.id AND s.area_id = ?
         WHERE r.model_id = ? AND r.day BETWEEN ? AND ? ORDER BY r.day, r.revision`,
      )
      .raw()
      .all(rootId, m.config.id, firstDay, day) as Array<[string, number, number]>;
    const byDay = new Map<string, { value: number; revision: number }>();
    for (const [d, revision, score] of seriesRows) byDay.set(d, { value: round(indexFromRisk(score), 1), revision });
    const series: IndexSummary['series'] = [];
    for (let k = SERIES_DAYS - 1; k >= 0; k--) {
      const d = previousDay(day, k);
      const v = byDay.get(d);
      series.push({ day: d, value: v?.value ?? null, revision: v?.revision ?? null });
    }
    const at = (k: number): number | null => byDay.get(previousDay(day, k))?.value ?? null;

    const detail = row ? detailOf(row) : null;
    const composition = m.config.indicators.map((ind, i) => {
      const points = detail?.contrib[i] ?? 0;
      return { indicatorId: ind.id, name: ind.name, weight: ind.weight, riskPoints: round(points, 2), share: riskScore > 0 ? round(points / riskScore, 4) : 0 };
    });

    // Movers: effect on the city's index = −(weight share) × (change of the area's risk score).
    const now = db.prepare('SELECT area_id, score FROM consult_scores WHERE run_id = ? AND area_level = ?').raw().all(today.id, level) as Array<[string, number]>;
    const before = new Map(db.prepare('SELECT area_id, score FROM consult_scores WHERE run_id = ? AND area_level = ?').raw().all(yesterday.id, level) as Array<[string, number]>);
    const weights = rollupWeights(tree, m.config.rollup.weightBy);
    const total = now.reduce((s, [id]) => s + (weights[tree.index.get(id) ?? 0] ?? 0), 0);
    const movers = now
      .filter(([id]) => before.has(id))
      .map(([id, score]) => {
        const share = total > 0 ? (weights[tree.index.get(id) ?? 0] ?? 0) / total : 1 / now.length;
        const delta = -(score - before.get(id)!);
        return { areaId: id, name: tree.names[tree.index.get(id) ?? 0] ?? id, value: round(indexFromRisk(score), 1), delta: round(delta, 2), effect: round(share * delta, 3) };
      })
      .filter((x) => x.effect !== 0)
      .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
      .slice(0, MOVERS);

    return {
      id: idx.id,
      name: idx.name,
      nameEn: idx.nameEn,
      modelId: m.config.id,
      revision: m.revision,
      value: round(indexFromRisk(riskScore), 1),
      level: row?.level ?? 0,
      yesterday: at(1),
      week: at(7),
      month: at(30),
      series,
      composition,
      movers,
    };
  });
}
