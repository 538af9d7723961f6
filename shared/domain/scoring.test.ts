import { describe, expect, it } from 'vitest';
import { modelConfigSchema, type ModelConfig, type ModelConfigInput } from './indicators';
import {
  columnBounds,
  denominator,
  effectiveMeasures,
  explainScore,
  levelOf,
  normaliseValue,
  quantileNearestRank,
  rollUp,
  scoreGrids,
  type AreaMeasure,
  type RollupNode,
} from './scoring';

/**
 * The worked example used throughout (every expected value below is computed by hand):
 *   A: per grid, thresholds breaks [2, 5] → scores [0, 0.5, 1], weight 3
 *   B: per 1,000 residents, min–max over the grids' rates, weight 1
 *   grid  pop   rawA rawB  rateB  nA   nB     score
 *   g1    2000  1    4     2      0    0.25   100·(3·0 + 1·0.25)/4 = 6.25
 *   g2    1000  5    1     1      1    0      100·(3·1 + 0)/4      = 75
 *   g3    —     3    7     n/a    0.5  n/a    100·(3·0.5)/3        = 50   (B does not apply)
 *   g4    4000  0    20    5      0    1      100·(0 + 1·1)/4      = 25
 *   B's bounds: lo = 1, hi = 5 (grids with a population only).
 */
const model = (over: Partial<ModelConfigInput> = {}): ModelConfig =>
  modelConfigSchema.parse({
    format: 1,
    id: 'worked',
    name: '算例',
    indicators: [
      {
        id: 'a',
        name: 'A',
        domain: 'general',
        source: { kind: 'overdue_cases' },
        normalise: { per: 'grid', method: { kind: 'thresholds', breaks: [2, 5], scores: [0, 0.5, 1] } },
        weight: 3,
      },
      {
        id: 'b',
        name: 'B',
        domain: 'general',
        source: { kind: 'case_count', windowHours: 168 },
        normalise: { per: 'population', unit: 1000, method: { kind: 'minmax' } },
        weight: 1,
      },
    ],
    levels: { thresholds: [20, 35, 50, 65] },
    rollup: { weightBy: 'population' },
    ...over,
  });

const grids: AreaMeasure[] = [
  { population: 2000, areaKm2: 1 },
  { population: 1000, areaKm2: 2 },
  { population: null, areaKm2: 0.5 },
  { population: 4000, areaKm2: 4 },
];
const rawA = [1, 5, 3, 0];
const rawB = [4, 1, 7, 20];

describe('normalisation', () => {
  it('divides by population or area per unit, and is not applicable without a denominator', () => {
    expect(denominator('grid', 1, { population: null, areaKm2: null })).toBe(1);
    expect(denominator('population', 10_000, { population: 25_000, areaKm2: null })).toBe(2.5);
    expect(denominator('area_km2', 1, { population: null, areaKm2: 0.5 })).toBe(0.5);
    expect(denominator('population', 1000, { population: null, areaKm2: 1 })).toBeNull();
    expect(denominator('population', 1000, { population: 0, areaKm2: 1 })).toBeNull();
  });

  it('takes nearest-rank quantiles', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(quantileNearestRank(v, 0.95)).toBe(10); // ⌈9.5⌉ = 10th
    expect(quantileNearestRank(v, 0.9)).toBe(9); // ⌈9⌉ = 9th
    expect(quantileNearestRank(v, 0.5)).toBe(5);
    expect(quantileNearestRank(new Float64Array(0), 0.9)).toBe(0);
  });

  it('uses observed or configured bounds for min–max, skipping non-applicable grids', () => {
    const rates = [2, 1, Number.NaN, 5];
    expect(columnBounds(rates, { kind: 'minmax' })).toEqual({ lo: 1, hi: 5 });
    expect(columnBounds(rates, { kind: 'minmax', min: 0, max: 10 })).toEqual({ lo: 0, hi: 10 });
    expect(columnBounds([1, 2, 3, 4, 100], { kind: 'minmax', clipQuantile: 0.8 })).toEqual({ lo: 1, hi: 4 }); // ⌈0.8·5⌉ = 4th
    expect(normaliseValue(2, { kind: 'minmax' }, { lo: 1, hi: 5 })).toBe(0.25);
    expect(normaliseValue(100, { kind: 'minmax' }, { lo: 1, hi: 4 })).toBe(1); // clamped
    expect(normaliseValue(0, { kind: 'minmax' }, { lo: 1, hi: 4 })).toBe(0);
    expect(normaliseValue(3, { kind: 'minmax' }, { lo: 3, hi: 3 })).toBe(0); // no spread: nothing stands out
  });

  it('maps thresholds to step scores (a value on a break takes the upper step)', () => {
    const m = { kind: 'thresholds' as const, breaks: [2, 5], scores: [0, 0.5, 1] };
    expect([0, 1.99, 2, 4.9, 5, 50].map((v) => normaliseValue(v, m, { lo: 0, hi: 0 }))).toEqual([0, 0, 0.5, 0.5, 1, 1]);
  });
});

describe('five colours', () => {
  it('counts the thresholds at or below the score', () => {
    const t = [20, 35, 50, 65];
    expect([0, 19.99, 20, 34.9, 35, 50, 64.99, 65, 100].map((s) => levelOf(s, t))).toEqual([0, 0, 1, 1, 2, 3, 3, 4, 4]);
  });
});

describe('grid scores', () => {
  it('computes the worked example', () => {
    const r = scoreGrids(model(), grids, [rawA, rawB]);
    expect([...r.score]).toEqual([6.25, 75, 50, 25]);
    expect([...r.level]).toEqual([0, 4, 3, 1]);
    expect([...r.norm[0]!]).toEqual([0, 1, 0.5, 0]);
    expect(r.norm[1]![0]).toBe(0.25);
    expect(r.norm[1]![1]).toBe(0);
    expect(Number.isNaN(r.norm[1]![2]!)).toBe(true);
    expect(r.norm[1]![3]).toBe(1);
    expect(r.bounds[1]).toEqual({ lo: 1, hi: 5 });
    expect([...r.contrib[0]!]).toEqual([0, 75, 50, 0]);
    expect([...r.contrib[1]!]).toEqual([6.25, 0, 0, 25]);
  });

  it('turns round an indicator whose higher values lower the score', () => {
    const m = model();
    m.indicators[1]!.direction = 'decreases';
    const r = scoreGrids(m, grids, [rawA, rawB]);
    // g1: 100·(3·0 + 1·(1 − 0.25))/4 = 18.75; g4: 100·(0 + 0)/4 = 0
    expect(r.score[0]).toBe(18.75);
    expect(r.score[3]).toBe(0);
  });

  it('ignores indicators with zero weight', () => {
    const m = model();
    m.indicators[0]!.weight = 0;
    const r = scoreGrids(m, grids, [rawA, rawB]);
    expect([...r.score]).toEqual([25, 0, 0, 100]); // B alone: nB × 100; g3 has nothing applicable
  });

  it('multiplies a precision model by the coefficient of the based-on colour', () => {
    const m = model({
      kind: 'precision',
      precision: { basedOn: 'composite', coefficients: [1, 0.95, 0.9, 0.8, 0.7] },
    });
    m.indicators[0]!.direction = 'decreases';
    m.indicators[1]!.weight = 0;
    const r = scoreGrids(m, grids, [rawA, rawB], [0, 4, 2, 1]);
    // g1: (1 − 0)·100 × 1 = 100; g2: (1 − 1)·100 × 0.7 = 0; g3: (1 − 0.5)·100 × 0.9 = 45; g4: 100 × 0.95 = 95
    expect([...r.base]).toEqual([100, 0, 50, 100]);
    expect([...r.coefficient]).toEqual([1, 0.7, 0.9, 0.95]);
    expect([...r.score]).toEqual([100, 0, 45, 95]);
    expect([...r.level]).toEqual([0, 4, 2, 1]); // the based-on colours
    expect(r.contrib[0]![2]).toBe(45);
  });
});

describe('roll-up', () => {
  // city 0 → district 1 → town 2 → community 3 (g1, g2), community 4 (g3, g4); grids are nodes 5–8.
  const nodes: RollupNode[] = [
    { parent: -1, level: 1, population: null, areaKm2: null },
    { parent: 0, level: 2, population: null, areaKm2: null },
    { parent: 1, level: 3, population: null, areaKm2: null },
    { parent: 2, level: 4, population: null, areaKm2: null },
    { parent: 2, level: 4, population: null, areaKm2: null },
    { parent: 3, level: 5, ...grids[0]! },
    { parent: 3, level: 5, ...grids[1]! },
    { parent: 4, level: 5, ...grids[2]! },
    { parent: 4, level: 5, ...grids[3]! },
  ];
  const gridNode = [5, 6, 7, 8];

  it('weights children by population (a grid without population weighs 0)', () => {
    const g = scoreGrids(model(), grids, [rawA, rawB]);
    const r = rollUp(nodes, gridNode, { score: g.score, contrib: g.contrib, raw: [rawA, rawB] }, 'population');
    // c1 = (2000·6.25 + 1000·75)/3000 = 29.1666…; c2 = (0·50 + 4000·25)/4000 = 25
    expect(r.score[3]).toBeCloseTo(87_500 / 3000, 10);
    expect(r.score[4]).toBe(25);
    // town = (3000·29.1666… + 4000·25)/7000 = 187500/7000
    expect(r.score[2]).toBeCloseTo(187_500 / 7000, 10);
    expect(r.score[0]).toBeCloseTo(187_500 / 7000, 10);
    // contributions roll up the same way and still add up to the score
    expect(r.contrib[0]![3]).toBeCloseTo(25, 10);
    expect(r.contrib[1]![3]).toBeCloseTo(12_500 / 3000, 10);
    expect(r.contrib[0]![2]! + r.contrib[1]![2]!).toBeCloseTo(r.score[2]!, 10);
    // raw counts add up
    expect(r.raw[0]![3]).toBe(6);
    expect(r.raw[1]![2]).toBe(32);
  });

  it('weights by area, or equally', () => {
    const g = scoreGrids(model(), grids, [rawA, rawB]);
    const byArea = rollUp(nodes, gridNode, { score: g.score, contrib: g.contrib, raw: [rawA, rawB] }, 'area');
    // c1 = (1·6.25 + 2·75)/3 = 52.0833…; c2 = (0.5·50 + 4·25)/4.5 = 27.777…
    expect(byArea.score[3]).toBeCloseTo(156.25 / 3, 10);
    expect(byArea.score[4]).toBeCloseTo(125 / 4.5, 10);
    const equal = rollUp(nodes, gridNode, { score: g.score, contrib: g.contrib, raw: [rawA, rawB] }, 'equal');
    expect(equal.score[4]).toBe(37.5);
    expect(equal.score[2]).toBeCloseTo((40.625 + 37.5) / 2, 10);
  });

  it('falls back to equal weights when no child has a weight', () => {
    const noPop = nodes.map((n) => ({ ...n, population: null }));
    const g = scoreGrids(model(), grids, [rawA, rawB]);
    const r = rollUp(noPop, gridNode, { score: g.score, contrib: g.contrib, raw: [rawA, rawB] }, 'population');
    expect(r.score[3]).toBe(40.625); // (6.25 + 75)/2
  });

  it("uses an area's own population over the sum of its children's", () => {
    const withOwn = nodes.map((n, i) => (i === 4 ? { ...n, population: 9000 } : n));
    const m = effectiveMeasures(withOwn);
    expect(m.population[3]).toBe(3000);
    expect(m.population[4]).toBe(9000);
    expect(m.population[2]).toBe(12_000);
    expect(Number.isNaN(m.population[7]!)).toBe(true);
  });

  it('leaves areas without scored grids unscored', () => {
    const more = [...nodes, { parent: 2, level: 4, population: 100, areaKm2: 1 }];
    const g = scoreGrids(model(), grids, [rawA, rawB]);
    const r = rollUp(more, gridNode, { score: g.score, contrib: g.contrib, raw: [rawA, rawB] }, 'population');
    expect(Number.isNaN(r.score[9]!)).toBe(true);
    expect(r.score[2]).toBeCloseTo(187_500 / 7000, 10); // unchanged by the empty community
  });
});

describe('explanation', () => {
  it("lists each indicator's raw, normalised value, contribution and change since yesterday", () => {
    const m = model();
    const today = { score: 75, level: 4, base: 75, coefficient: 1, raw: [5, 1], norm: [1, 0], contrib: [75, 0] };
    const yesterday = { score: 43.75, level: 2, base: 43.75, coefficient: 1, raw: [3, 2], norm: [0.5, 0.25], contrib: [37.5, 6.25] };
    const ex = explainScore(m, today, yesterday);
    expect(ex.delta).toBe(31.25);
    expect(ex.yesterday).toEqual({ score: 43.75, level: 2 });
    expect(ex.indicators[0]).toMatchObject({ id: 'a', raw: 5, normalised: 1, contribution: 75, share: 1, weightShare: 0.75, delta: 37.5, yesterday: { raw: 3, contribution: 37.5 } });
    expect(ex.indicators[1]).toMatchObject({ id: 'b', raw: 1, normalised: 0, contribution: 0, share: 0, weightShare: 0.25, delta: -6.25 });
    const contributions = ex.indicators.reduce((s, i) => s + i.contribution, 0);
    expect(contributions).toBe(ex.score);
  });

  it('has no change without yesterday, and no normalised values above grids', () => {
    const ex = explainScore(model(), { score: 29.17, level: 1, base: 29.17, coefficient: 1, raw: [6, 5], norm: null, contrib: [25, 4.17] }, null);
    expect(ex.delta).toBeNull();
    expect(ex.indicators.every((i) => i.normalised === null && i.delta === null && i.yesterday === null)).toBe(true);
  });
});
