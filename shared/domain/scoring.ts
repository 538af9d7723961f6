/**
 * The maths of the indicator model: normalisation, grid scores, five colours, roll-up and
 * explanation. Pure functions over typed arrays so 20,000 grids score in milliseconds; the core
 * (main/core/consult) feeds them raw values from the store and keeps the results.
 *
 * For a grid g and indicator i with weight wᵢ:
 *   rateᵢ  = rawᵢ ÷ (population ÷ unit | km² ÷ unit | 1)      (n/a when the denominator is missing or 0)
 *   nᵢ     = normalise(rateᵢ)                                   ∈ [0, 1]
 *   rᵢ     = nᵢ if the indicator increases the score, else 1 − nᵢ
 *   base   = 100 · Σ wᵢ rᵢ ÷ Σ wᵢ                               over the applicable indicators
 *   score  = base (risk)  |  base × coefficient[colour of the grid in the based-on model] (precision)
 *   contributionᵢ = score · wᵢ rᵢ ÷ Σ wⱼ rⱼ  (= 100 wᵢ rᵢ ÷ Σ wⱼ, times the coefficient) — they add up to score.
 * A parent's score is the weighted mean of its children's (by population, area or equally), and so
 * is each contribution; raw counts add up.
 */
import type { IndicatorDef, ModelConfig, NormalisationMethod, NormalisePer, RollupWeight } from './indicators';

export const RISK_LEVEL_COUNT = 5;

/** Five-colour level 0 (green) … 4 (red): how many of the four thresholds are ≤ score. */
export function levelOf(score: number, thresholds: readonly number[]): number {
  let level = 0;
  for (const t of thresholds) if (score >= t) level++;
  return Math.min(level, RISK_LEVEL_COUNT - 1);
}

export interface AreaMeasure {
  population: number | null;
  areaKm2: number | null;
}

/** What the raw value is divided by; null when the indicator does not apply to this area. */
export function denominator(per: NormalisePer, unit: number, area: AreaMeasure): number | null {
  if (per === 'grid') return 1;
  const v = per === 'population' ? area.population : area.areaKm2;
  if (v === null || !(v > 0)) return null;
  return v / unit;
}

/** Nearest-rank quantile of ascending values: the ⌈q·N⌉-th smallest. */
export function quantileNearestRank(sortedAscending: ArrayLike<number>, q: number): number {
  const n = sortedAscending.length;
  if (n === 0) return 0;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return sortedAscending[rank - 1]!;
}

export interface Bounds {
  lo: number;
  hi: number;
}

/** The bounds min–max normalisation uses for a column of rates (NaN = not applicable). */
export function columnBounds(rates: ArrayLike<number>, method: NormalisationMethod): Bounds {
  if (method.kind === 'thresholds') return { lo: 0, hi: 0 };
  const values: number[] = [];
  for (let i = 0; i < rates.length; i++) if (!Number.isNaN(rates[i]!)) values.push(rates[i]!);
  const sorted = Float64Array.from(values).sort();
  const lo = method.min ?? (sorted.length ? sorted[0]! : 0);
  let hi: number;
  if (method.max !== undefined) hi = method.max;
  else if (method.clipQuantile !== undefined) hi = quantileNearestRank(sorted, method.clipQuantile);
  else hi = sorted.length ? sorted[sorted.length - 1]! : 0;
  return { lo, hi };
}

/** One value normalised to 0…1. */
export function normaliseValue(value: number, method: NormalisationMethod, bounds: Bounds): number {
  if (method.kind === 'thresholds') {
    let k = 0;
    for (const b of method.breaks) if (value >= b) k++;
    return method.scores[k] ?? 0;
  }
  const span = bounds.hi - bounds.lo;
  if (!(span > 0)) return value > bounds.hi ? 1 : 0;
  return Math.min(1, Math.max(0, (value - bounds.lo) / span));
}

export interface GridScores {
  /** The final score per grid (0–100). */
  score: Float64Array;
  /** The weighted sub-indicator score before a precision coefficient (equals score for risk models). */
  base: Float64Array;
  /** Coefficient applied (1 for risk models). */
  coefficient: Float64Array;
  level: Uint8Array;
  /** Per indicator: the rate (raw ÷ denominator), NaN where not applicable. */
  rate: Float64Array[];
  /** Per indicator: the normalised value 0–1, NaN where not applicable. */
  norm: Float64Array[];
  /** Per indicator: score points contributed (they sum to score). */
  contrib: Float64Array[];
  /** Per indicator: the min–max bounds used (0/0 for threshold indicators). */
  bounds: Bounds[];
}

/**
 * Score every grid. `raw[i][g]` is indicator i's raw value for grid g. For a precision model,
 * `basedOnLevels[g]` is grid g's five-colour level in the based-on risk model.
 */
export function scoreGrids(model: ModelConfig, grids: readonly AreaMeasure[], raw: readonly ArrayLike<number>[], basedOnLevels?: ArrayLike<number>): GridScores {
  const n = grids.length;
  const k = model.indicators.length;
  if (raw.length !== k) throw new Error(`scoreGrids: ${k} indicators but ${raw.length} raw columns`);
  const rate: Float64Array[] = [];
  const norm: Float64Array[] = [];
  const bounds: Bounds[] = [];
  model.indicators.forEach((ind, i) => {
    const column = raw[i]!;
    if (column.length !== n) throw new Error(`scoreGrids: indicator ${ind.id} has ${column.length} values for ${n} grids`);
    const r = new Float64Array(n);
    for (let g = 0; g < n; g++) {
      const d = denominator(ind.normalise.per, ind.normalise.unit, grids[g]!);
      r[g] = d === null ? Number.NaN : column[g]! / d;
    }
    const b = columnBounds(r, ind.normalise.method);
    const nv = new Float64Array(n);
    for (let g = 0; g < n; g++) nv[g] = Number.isNaN(r[g]!) ? Number.NaN : normaliseValue(r[g]!, ind.normalise.method, b);
    rate.push(r);
    norm.push(nv);
    bounds.push(b);
  });

  const score = new Float64Array(n);
  const base = new Float64Array(n);
  const coefficient = new Float64Array(n).fill(1);
  const level = new Uint8Array(n);
  const contrib = model.indicators.map(() => new Float64Array(n));
  const weights = model.indicators.map((ind) => ind.weight);
  const increases = model.indicators.map((ind) => ind.direction === 'increases');
  const coefs = model.kind === 'precision' ? model.precision?.coefficients : undefined;
  if (model.kind === 'precision' && (!coefs || !basedOnLevels)) throw new Error(`scoreGrids: precision model ${model.id} needs the based-on levels`);

  for (let g = 0; g < n; g++) {
    let sumW = 0;
    for (let i = 0; i < k; i++) if (weights[i]! > 0 && !Number.isNaN(norm[i]![g]!)) sumW += weights[i]!;
    const c = coefs && basedOnLevels ? (coefs[basedOnLevels[g]!] ?? 1) : 1;
    let b = 0;
    if (sumW > 0) {
      for (let i = 0; i < k; i++) {
        const w = weights[i]!;
        const nv = norm[i]![g]!;
        if (!(w > 0) || Number.isNaN(nv)) continue;
        const points = (100 * w * (increases[i] ? nv : 1 - nv)) / sumW;
        b += points;
        contrib[i]![g] = points * c;
      }
    }
    base[g] = b;
    coefficient[g] = c;
    score[g] = b * c;
    level[g] = coefs && basedOnLevels ? basedOnLevels[g]! : levelOf(score[g]!, model.levels.thresholds);
  }
  return { score, base, coefficient, level, rate, norm, contrib, bounds };
}

export interface RollupNode extends AreaMeasure {
  /** Index of the parent node, or -1. */
  parent: number;
  /** 1 city … 5 grid. */
  level: number;
}

export interface RollupResult {
  /** Score per node; NaN for nodes with no scored descendant. */
  score: Float64Array;
  /** Per indicator: contribution per node (weighted mean of the children's). */
  contrib: Float64Array[];
  /** Per indicator: raw value per node (sum of the children's). */
  raw: Float64Array[];
  /** The weight each node carries into its parent (population, km², or 1). */
  weight: Float64Array;
}

const measuresCache = new WeakMap<readonly RollupNode[], { population: Float64Array; area: Float64Array }>();
const orderCache = new WeakMap<readonly RollupNode[], Int32Array>();

/**
 * Effective population and area of every node: its own, or the sum of its children's. Cached per
 * nodes array (a tree is loaded once and scored by every model, every day): do not mutate it.
 */
export function effectiveMeasures(nodes: readonly RollupNode[]): { population: Float64Array; area: Float64Array } {
  const hit = measuresCache.get(nodes);
  if (hit) return hit;
  const n = nodes.length;
  const population = new Float64Array(n).fill(Number.NaN);
  const area = new Float64Array(n).fill(Number.NaN);
  const childPop = new Float64Array(n);
  const childArea = new Float64Array(n);
  const hasChildPop = new Uint8Array(n);
  const hasChildArea = new Uint8Array(n);
  const order = nodeOrderDeepestFirst(nodes);
  for (const i of order) {
    const node = nodes[i]!;
    population[i] = node.population !== null && node.population >= 0 ? node.population : hasChildPop[i] ? childPop[i]! : Number.NaN;
    area[i] = node.areaKm2 !== null && node.areaKm2 >= 0 ? node.areaKm2 : hasChildArea[i] ? childArea[i]! : Number.NaN;
    if (node.parent >= 0) {
      if (!Number.isNaN(population[i]!)) {
        childPop[node.parent] = childPop[node.parent]! + population[i]!;
        hasChildPop[node.parent] = 1;
      }
      if (!Number.isNaN(area[i]!)) {
        childArea[node.parent] = childArea[node.parent]! + area[i]!;
        hasChildArea[node.parent] = 1;
      }
    }
  }
  const out = { population, area };
  measuresCache.set(nodes, out);
  return out;
}

/** Node indices ordered from the deepest level up (children before their parents); cached like the measures. */
export function nodeOrderDeepestFirst(nodes: readonly RollupNode[]): Int32Array {
  const hit = orderCache.get(nodes);
  if (hit) return hit;
  const idx = Int32Array.from(nodes.keys()).sort((a, b) => nodes[b]!.level - nodes[a]!.level || a - b);
  orderCache.set(nodes, idx);
  return idx;
}

/**
 * Roll grid results up the area tree. `gridNode[g]` is the node index of grid g. A parent's score
 * is Σ wc·sc ÷ Σ wc over its scored children, with wc the child's population or area (missing
 * or zero weights count 0; when all are 0, children count equally) or 1 ('equal').
 */
export function rollUp(
  nodes: readonly RollupNode[],
  gridNode: ArrayLike<number>,
  grid: { score: ArrayLike<number>; contrib: readonly ArrayLike<number>[]; raw: readonly ArrayLike<number>[] },
  weightBy: RollupWeight,
): RollupResult {
  const n = nodes.length;
  const k = grid.contrib.length;
  const score = new Float64Array(n).fill(Number.NaN);
  const contrib = Array.from({ length: k }, () => new Float64Array(n));
  const raw = Array.from({ length: k }, () => new Float64Array(n));
  const weight = new Float64Array(n);
  const { population, area } = effectiveMeasures(nodes);
  for (let i = 0; i < n; i++) {
    const w = weightBy === 'equal' ? 1 : weightBy === 'population' ? population[i]! : area[i]!;
    weight[i] = Number.isNaN(w) || w < 0 ? 0 : w;
  }
  const isGrid = new Uint8Array(n);
  for (let g = 0; g < gridNode.length; g++) {
    const i = gridNode[g]!;
    isGrid[i] = 1;
    score[i] = grid.score[g]!;
    for (let j = 0; j < k; j++) {
      contrib[j]![i] = grid.contrib[j]![g]!;
      raw[j]![i] = grid.raw[j]![g]!;
    }
  }
  // Accumulators per node: weighted and plain sums of the children's scores and contributions.
  const sw = new Float64Array(n);
  const sws = new Float64Array(n);
  const cnt = new Float64Array(n);
  const sum = new Float64Array(n);
  const cw = Array.from({ length: k }, () => new Float64Array(n));
  const cs = Array.from({ length: k }, () => new Float64Array(n));
  for (const i of nodeOrderDeepestFirst(nodes)) {
    if (!isGrid[i] && cnt[i]! > 0) {
      const weighted = sw[i]! > 0;
      score[i] = weighted ? sws[i]! / sw[i]! : sum[i]! / cnt[i]!;
      for (let j = 0; j < k; j++) contrib[j]![i] = weighted ? cw[j]![i]! / sw[i]! : cs[j]![i]! / cnt[i]!;
    }
    const p = nodes[i]!.parent;
    if (p < 0 || Number.isNaN(score[i]!)) continue;
    const w = weight[i]!;
    sw[p] = sw[p]! + w;
    sws[p] = sws[p]! + w * score[i]!;
    cnt[p] = cnt[p]! + 1;
    sum[p] = sum[p]! + score[i]!;
    for (let j = 0; j < k; j++) {
      cw[j]![p] = cw[j]![p]! + w * contrib[j]![i]!;
      cs[j]![p] = cs[j]![p]! + contrib[j]![i]!;
      raw[j]![p] = raw[j]![p]! + raw[j]![i]!;
    }
  }
  return { score, contrib, raw, weight };
}

/** One area's stored result, as the explanation reads it. */
export interface ScoreDetail {
  score: number;
  level: number;
  /** Precision models: the score before the coefficient, and the coefficient. */
  base: number;
  coefficient: number;
  raw: ReadonlyArray<number>;
  /** Grids only: the normalised value per indicator (null where not applicable). */
  norm: ReadonlyArray<number | null> | null;
  contrib: ReadonlyArray<number>;
}

export interface IndicatorExplanation {
  id: string;
  name: string;
  domain: IndicatorDef['domain'];
  direction: IndicatorDef['direction'];
  weight: number;
  /** Share of the model's total weight, 0–1. */
  weightShare: number;
  raw: number;
  normalised: number | null;
  contribution: number;
  /** Share of the score, 0–1. */
  share: number;
  yesterday: { raw: number; contribution: number } | null;
  /** Change of the contribution since yesterday, in score points. */
  delta: number | null;
}

export interface Explanation {
  score: number;
  level: number;
  base: number;
  coefficient: number;
  yesterday: { score: number; level: number } | null;
  delta: number | null;
  indicators: IndicatorExplanation[];
}

/** Explain a score: each indicator's raw value, normalised value, contribution, and change since yesterday. */
export function explainScore(model: ModelConfig, today: ScoreDetail, yesterday: ScoreDetail | null): Explanation {
  const totalWeight = model.indicators.reduce((s, i) => s + i.weight, 0);
  const indicators = model.indicators.map((ind, i): IndicatorExplanation => {
    const contribution = today.contrib[i] ?? 0;
    const y = yesterday ? { raw: yesterday.raw[i] ?? 0, contribution: yesterday.contrib[i] ?? 0 } : null;
    return {
      id: ind.id,
      name: ind.name,
      domain: ind.domain,
      direction: ind.direction,
      weight: ind.weight,
      weightShare: totalWeight > 0 ? ind.weight / totalWeight : 0,
      raw: today.raw[i] ?? 0,
      normalised: today.norm ? (today.norm[i] ?? null) : null,
      contribution,
      share: today.score > 0 ? contribution / today.score : 0,
      yesterday: y,
      delta: y ? contribution - y.contribution : null,
    };
  });
  return {
    score: today.score,
    level: today.level,
    base: today.base,
    coefficient: today.coefficient,
    yesterday: yesterday ? { score: yesterday.score, level: yesterday.level } : null,
    delta: yesterday ? today.score - yesterday.score : null,
    indicators,
  };
}

/** A safety index is the complement of a risk score, on the same 0–100 scale. */
export const indexFromRisk = (riskScore: number): number => 100 - riskScore;

/** Round for display and storage of figures (not used inside the maths). */
export const round = (v: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
