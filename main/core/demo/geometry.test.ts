import { describe, expect, it } from 'vitest';
import { pointInGeometry } from '../../../shared/geo';
import {
  apportion,
  clipPiece,
  fromGeometry,
  labelPoint,
  pointInShape,
  shapeArea,
  spreadSites,
  toGeometry,
  voronoiTiles,
  type Piece,
  type Shape,
} from './geometry';
import { Rng, WeightedTable, hashString, mulberry32, valueNoise } from './prng';

/** A U-shaped polygon (counter-clockwise): two prongs joined at the bottom. */
const U: Piece = [
  [0, 0],
  [3, 0],
  [3, 3],
  [2, 3],
  [2, 1],
  [1, 1],
  [1, 3],
  [0, 3],
];

describe('prng', () => {
  it('is deterministic and uniform enough', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 10_000 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('forks independent, reproducible streams', () => {
    const r = new Rng(7);
    expect(r.fork('a').next()).toBe(new Rng(7).fork('a').next());
    expect(r.fork('a').next()).not.toBe(r.fork('b').next());
    expect(hashString('abc')).toBe(hashString('abc'));
  });

  it('draws weighted choices in proportion', () => {
    const t = WeightedTable.of([
      ['a', 1],
      ['b', 3],
    ]);
    const rng = new Rng(1);
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (t.pick(rng) === 'b') b++;
    expect(b / 20_000).toBeGreaterThan(0.72);
    expect(b / 20_000).toBeLessThan(0.78);
  });

  it('value noise is smooth and bounded', () => {
    const n = valueNoise(3, 1);
    for (let i = 0; i < 1000; i++) {
      const x = i * 0.013;
      const v = n(x, 0.5);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      expect(Math.abs(n(x + 0.001, 0.5) - v)).toBeLessThan(0.02);
    }
  });
});

describe('clipPiece', () => {
  it('cuts a concave polygon into separate clean pieces', () => {
    // Keep y ≥ 2 (i.e. −y ≤ −2): the two prongs, which must come back as two pieces, not one
    // ring with a zero-width bridge.
    const pieces = clipPiece(U, 0, -1, -2);
    expect(pieces).toHaveLength(2);
    expect(pieces.map((p) => shapeArea([p])).sort()).toEqual([1, 1]);
    expect(pointInShape(0.5, 2.5, pieces)).toBe(true);
    expect(pointInShape(2.5, 2.5, pieces)).toBe(true);
    expect(pointInShape(1.5, 2.5, pieces)).toBe(false);
  });

  it('keeps or drops whole pieces', () => {
    expect(clipPiece(U, 1, 0, 10)).toEqual([U]);
    expect(clipPiece(U, 1, 0, -10)).toEqual([]);
  });

  it('cuts a convex part once', () => {
    const pieces = clipPiece(U, 1, 0, 1.5); // x ≤ 1.5
    expect(pieces).toHaveLength(1);
    expect(shapeArea(pieces)).toBeCloseTo(3 + 0.5, 10);
  });
});

describe('voronoiTiles', () => {
  const parent: Shape = [U];
  const sites = spreadSites(parent, 25, new Rng(5), 1, 2);

  it('spreads sites inside the parent', () => {
    expect(sites).toHaveLength(25);
    for (const [x, y] of sites) expect(pointInShape(x, y, parent)).toBe(true);
  });

  it('tiles the parent exactly: areas add up and points fall in exactly one tile', () => {
    const tiles = voronoiTiles(parent, sites, 1);
    const total = tiles.reduce((s, t) => s + shapeArea(t), 0);
    expect(total).toBeCloseTo(shapeArea(parent), 9);
    const rng = new Rng(9);
    for (let i = 0; i < 2000; i++) {
      const x = rng.range(0, 3);
      const y = rng.range(0, 3);
      const hits = tiles.filter((t) => pointInShape(x, y, t)).length;
      expect(hits).toBe(pointInShape(x, y, parent) ? 1 : 0);
    }
    tiles.forEach((t, i) => expect(pointInShape(sites[i]![0], sites[i]![1], t)).toBe(true));
  });
});

describe('conversion', () => {
  it('round-trips through GeoJSON with closed counter-clockwise rings', () => {
    const g = toGeometry([U.slice().reverse()]);
    expect(g.type).toBe('Polygon');
    const ring = g.type === 'Polygon' ? g.coordinates[0]! : [];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(shapeArea(fromGeometry(g))).toBeCloseTo(7, 10);
    expect(pointInGeometry(0.5, 2, g)).toBe(true);
  });

  it('finds a label point inside a concave shape', () => {
    const [x, y] = labelPoint([U]);
    expect(pointInShape(x, y, [U])).toBe(true);
  });

  it('apportions totals exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(125, [5, 1, 0.01], 3).reduce((s, x) => s + x, 0)).toBe(125);
    expect(Math.min(...apportion(125, [5, 1, 0.01], 3))).toBe(3);
  });
});
