/**
 * Seeded pseudo-random numbers for the demo generator: mulberry32 (32-bit state, fast, good
 * enough for synthetic data) behind a small helper class. Every part of the generator forks its
 * own stream by label, so changing how many cameras are drawn does not shift the cases.
 */
import { hashString, mulberry32 } from '../../../shared/random';

// The generators themselves are pure and shared with the renderer's synthetic scenes.
export { hashString, mulberry32 };

export class Rng {
  private readonly nextFloat: () => number;

  constructor(readonly seed: number) {
    this.nextFloat = mulberry32(seed);
  }

  /** An independent stream derived from this seed and a label. */
  fork(label: string): Rng {
    return new Rng((hashString(label) ^ Math.imul(this.seed, 0x9e3779b1)) >>> 0);
  }

  /** An independent stream for item n of a series (cheaper than fork for millions of items). */
  derive(n: number): Rng {
    let h = (this.seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return new Rng((h ^ (h >>> 16)) >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextFloat();
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.nextFloat();
  }

  /** Integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.nextFloat() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.nextFloat() * items.length)]!;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.nextFloat() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

/** Weighted choice by binary search over cumulative weights: O(log n) per draw. */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('weighted table needs one weight per item');
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += Math.max(0, w);
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error('weighted table needs a positive total weight');
    this.total = sum;
  }

  static of<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
    return new WeightedTable(
      entries.map((e) => e[0]),
      entries.map((e) => e[1]),
    );
  }

  index(rng: Rng): number {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  pick(rng: Rng): T {
    return this.items[this.index(rng)]!;
  }
}

/**
 * Smooth 2-D value noise in [0, 1): random values on a lattice of the given cell size (in the
 * same units as x/y), interpolated with smoothstep, three octaves. Used for spatially coherent
 * risk levels and densities.
 */
export function valueNoise(seed: number, cell: number): (x: number, y: number) => number {
  const lattice = (ix: number, iy: number, octave: number): number => {
    let h = (seed ^ Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ Math.imul(octave + 1, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  };
  const smooth = (t: number): number => t * t * (3 - 2 * t);
  const octave = (x: number, y: number, size: number, o: number): number => {
    const gx = x / size;
    const gy = y / size;
    const ix = Math.floor(gx);
    const iy = Math.floor(gy);
    const fx = smooth(gx - ix);
    const fy = smooth(gy - iy);
    const a = lattice(ix, iy, o);
    const b = lattice(ix + 1, iy, o);
    const c = lattice(ix, iy + 1, o);
    const d = lattice(ix + 1, iy + 1, o);
    return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
  };
  return (x, y) => (octave(x, y, cell, 0) * 0.6 + octave(x, y, cell / 2, 1) * 0.3 + octave(x, y, cell / 4, 2) * 0.1) * 0.999999;
}
