/**
 * Planar geometry for the demo's synthetic subdivisions (towns, communities, grid cells):
 * half-plane clipping that splits a concave polygon into clean pieces, Voronoi tiling of a parent
 * area by seed points (each tile = parent ∩ the seed's convex Voronoi cell), blue-noise seed points
 * with Lloyd relaxation, and conversion to rounded GeoJSON.
 *
 * Coordinates are lon/lat degrees. Distances use a local equirectangular metric: x is scaled by
 * `kx` = cos(latitude), so tiles are not stretched east–west. Half-planes are linear in lon/lat, so
 * clipping needs no projection.
 */
import { BBoxBuilder, pointInRing, type AreaGeometry } from '../../../shared/geo';
import type { Rng } from './prng';

export type Pt = [number, number];
/** An open ring (the first point is not repeated), counter-clockwise, without holes. */
export type Piece = Pt[];
/** One or more disjoint pieces. */
export type Shape = Piece[];
export type Box = { minX: number; minY: number; maxX: number; maxY: number };

export function signedArea(ring: readonly Pt[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  return a / 2;
}

export function shapeArea(shape: Shape): number {
  let a = 0;
  for (const p of shape) a += Math.abs(signedArea(p));
  return a;
}

export function shapeBox(shape: Shape): Box {
  const b = new BBoxBuilder();
  for (const piece of shape) for (const [x, y] of piece) b.add(x, y);
  return { minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY };
}

export function pointInShape(x: number, y: number, shape: Shape): boolean {
  for (const piece of shape) if (pointInRing(x, y, piece)) return true;
  return false;
}

/** Area centroid of one piece. */
export function pieceCentroid(piece: readonly Pt[]): Pt {
  let cx = 0, cy = 0, a2 = 0;
  for (let i = 0, j = piece.length - 1; i < piece.length; j = i++) {
    const [x0, y0] = piece[j]!;
    const [x1, y1] = piece[i]!;
    const f = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
    a2 += f;
  }
  if (a2 === 0) return [piece[0]![0], piece[0]![1]];
  return [cx / (3 * a2), cy / (3 * a2)];
}

export function largestPiece(shape: Shape): Piece {
  let best: Piece | null = null;
  let bestArea = -1;
  for (const p of shape) {
    const a = Math.abs(signedArea(p));
    if (a > bestArea) {
      bestArea = a;
      best = p;
    }
  }
  if (!best) throw new Error('empty shape');
  return best;
}

/**
 * A point guaranteed inside the shape: the centroid of its largest piece when that lies inside,
 * else the middle of the widest horizontal chord through the centroid's latitude.
 */
export function labelPoint(shape: Shape): Pt {
  const piece = largestPiece(shape);
  const c = pieceCentroid(piece);
  if (pointInRing(c[0], c[1], piece)) return c;
  const box = shapeBox([piece]);
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
    const y = f === 0.5 ? c[1] : box.minY + (box.maxY - box.minY) * f;
    const xs: number[] = [];
    for (let i = 0, j = piece.length - 1; i < piece.length; j = i++) {
      const [xi, yi] = piece[i]!;
      const [xj, yj] = piece[j]!;
      if (yi > y !== yj > y) xs.push(xi + ((y - yi) / (yj - yi)) * (xj - xi));
    }
    xs.sort((a, b) => a - b);
    let bestW = 0;
    let bestX = NaN;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const w = xs[k + 1]! - xs[k]!;
      if (w > bestW) {
        bestW = w;
        bestX = (xs[k]! + xs[k + 1]!) / 2;
      }
    }
    if (bestW > 0 && pointInRing(bestX, y, piece)) return [bestX, y];
  }
  return [piece[0]![0], piece[0]![1]];
}

const KIND_INSIDE = 0;
const KIND_ENTRY = 1;
const KIND_EXIT = 2;
interface ClipNode {
  p: Pt;
  kind: 0 | 1 | 2;
  t: number;
}

function dedupeRing(ring: Pt[]): Pt[] {
  const out: Pt[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || Math.abs(last[0] - p[0]) > 1e-12 || Math.abs(last[1] - p[1]) > 1e-12) out.push(p);
  }
  while (out.length > 1) {
    const first = out[0]!;
    const last = out[out.length - 1]!;
    if (Math.abs(last[0] - first[0]) > 1e-12 || Math.abs(last[1] - first[1]) > 1e-12) break;
    out.pop();
  }
  return out;
}

/** Pieces smaller than this (deg², ~0.1 m²) are dropped as clipping debris. */
const MIN_PIECE_AREA = 1e-11;

/**
 * Keeps the part of a simple polygon where a·x + b·y ≤ c. Unlike plain Sutherland–Hodgman, a
 * concave piece cut into several parts comes back as several clean pieces (no zero-width bridges
 * along the cut line): the crossings are sorted along the line and paired into the line's inside
 * intervals, and each exit is joined to the entry at the other end of its interval.
 */
export function clipPiece(piece: Piece, a: number, b: number, c: number): Piece[] {
  const n = piece.length;
  const d = new Float64Array(n);
  let anyIn = false;
  let anyOut = false;
  for (let i = 0; i < n; i++) {
    const p = piece[i]!;
    d[i] = a * p[0] + b * p[1] - c;
    if (d[i]! <= 0) anyIn = true;
    else anyOut = true;
  }
  if (!anyOut) return [piece];
  if (!anyIn) return [];
  const nodes: ClipNode[] = [];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const p = piece[i]!;
    const q = piece[j]!;
    const pin = d[i]! <= 0;
    const qin = d[j]! <= 0;
    if (pin) nodes.push({ p, kind: KIND_INSIDE, t: 0 });
    if (pin !== qin) {
      const s = d[i]! / (d[i]! - d[j]!);
      const x = p[0] + s * (q[0] - p[0]);
      const y = p[1] + s * (q[1] - p[1]);
      nodes.push({ p: [x, y], kind: pin ? KIND_EXIT : KIND_ENTRY, t: -b * x + a * y });
    }
  }
  const crossings: number[] = [];
  nodes.forEach((node, i) => {
    if (node.kind !== KIND_INSIDE) crossings.push(i);
  });
  const plain = (): Piece[] => {
    const ring = dedupeRing(nodes.map((x) => x.p));
    return ring.length >= 3 && Math.abs(signedArea(ring)) > MIN_PIECE_AREA ? [ring] : [];
  };
  if (crossings.length === 2) return plain();
  crossings.sort((i, j) => nodes[i]!.t - nodes[j]!.t);
  const partner = new Map<number, number>();
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    const i = crossings[k]!;
    const j = crossings[k + 1]!;
    if (nodes[i]!.kind === nodes[j]!.kind) return plain();
    partner.set(i, j);
    partner.set(j, i);
  }
  if (partner.size !== crossings.length) return plain();
  const visited = new Set<number>();
  const out: Piece[] = [];
  for (const start of crossings) {
    if (nodes[start]!.kind !== KIND_ENTRY || visited.has(start)) continue;
    const ring: Pt[] = [];
    let entry = start;
    for (let guard = 0; guard <= nodes.length; guard++) {
      visited.add(entry);
      let k = entry;
      for (;;) {
        const node = nodes[k]!;
        ring.push(node.p);
        if (node.kind === KIND_EXIT) break;
        k = (k + 1) % nodes.length;
      }
      const next = partner.get(k);
      if (next === undefined) return plain();
      if (next === start) break;
      entry = next;
    }
    const clean = dedupeRing(ring);
    if (clean.length >= 3 && Math.abs(signedArea(clean)) > MIN_PIECE_AREA) out.push(clean);
  }
  return out;
}

export function clipShape(shape: Shape, a: number, b: number, c: number): Shape {
  const out: Shape = [];
  for (const piece of shape) out.push(...clipPiece(piece, a, b, c));
  return out;
}

/** Clips a shape to a convex counter-clockwise polygon. */
export function clipShapeToConvex(shape: Shape, convex: readonly Pt[]): Shape {
  let out = shape;
  for (let i = 0; i < convex.length && out.length > 0; i++) {
    const p = convex[i]!;
    const q = convex[(i + 1) % convex.length]!;
    const a = q[1] - p[1];
    const b = -(q[0] - p[0]);
    out = clipShape(out, a, b, a * p[0] + b * p[1]);
  }
  return out;
}

/** Sutherland–Hodgman for a convex subject (stays one convex ring). */
function clipConvex(ring: Pt[], a: number, b: number, c: number): Pt[] {
  const out: Pt[] = [];
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % n]!;
    const dp = a * p[0] + b * p[1] - c;
    const dq = a * q[0] + b * q[1] - c;
    if (dp <= 0) out.push(p);
    if (dp <= 0 !== dq <= 0) {
      const s = dp / (dp - dq);
      out.push([p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])]);
    }
  }
  return out;
}

/**
 * The Voronoi cell of sites[i] inside the box, in the metric where x is scaled by kx.
 * Neighbours are tried nearest first and the search stops once a site is farther than twice the
 * cell's radius, so a cell costs O(neighbours), not O(sites).
 */
export function voronoiCell(sites: readonly Pt[], i: number, box: Box, kx: number): Pt[] {
  const s = sites[i]!;
  const k2 = kx * kx;
  const order: Array<[number, number]> = [];
  sites.forEach((o, j) => {
    if (j !== i) order.push([j, k2 * (o[0] - s[0]) ** 2 + (o[1] - s[1]) ** 2]);
  });
  order.sort((x, y) => x[1] - y[1]);
  let cell: Pt[] = [
    [box.minX, box.minY],
    [box.maxX, box.minY],
    [box.maxX, box.maxY],
    [box.minX, box.maxY],
  ];
  const radius2 = (): number => {
    let r = 0;
    for (const p of cell) r = Math.max(r, k2 * (p[0] - s[0]) ** 2 + (p[1] - s[1]) ** 2);
    return r;
  };
  let r2 = radius2();
  for (const [j, dist2] of order) {
    if (dist2 > 4 * r2) break;
    const o = sites[j]!;
    if (dist2 === 0) continue;
    // Closer to s than to o:  2k²(ox−sx)·x + 2(oy−sy)·y ≤ k²(ox²−sx²) + (oy²−sy²)
    const a = 2 * k2 * (o[0] - s[0]);
    const b = 2 * (o[1] - s[1]);
    const c = k2 * (o[0] * o[0] - s[0] * s[0]) + (o[1] * o[1] - s[1] * s[1]);
    cell = clipConvex(cell, a, b, c);
    if (cell.length < 3) return [];
    r2 = radius2();
  }
  return cell;
}

/** Tiles the parent with the Voronoi cells of the sites: one shape per site (possibly empty). */
export function voronoiTiles(parent: Shape, sites: readonly Pt[], kx: number): Shape[] {
  const pb = shapeBox(parent);
  const margin = Math.max(pb.maxX - pb.minX, pb.maxY - pb.minY) * 0.05 + 1e-6;
  const box: Box = { minX: pb.minX - margin, minY: pb.minY - margin, maxX: pb.maxX + margin, maxY: pb.maxY + margin };
  return sites.map((_, i) => {
    const cell = voronoiCell(sites, i, box, kx);
    return cell.length < 3 ? [] : clipShapeToConvex(parent, cell);
  });
}

/** Uniform random point inside the shape (rejection sampling in its box). */
export function randomPointIn(shape: Shape, box: Box, rng: Rng, fallback: Pt, tries = 64): Pt {
  for (let t = 0; t < tries; t++) {
    const x = rng.range(box.minX, box.maxX);
    const y = rng.range(box.minY, box.maxY);
    if (pointInShape(x, y, shape)) return [x, y];
  }
  return fallback;
}

/**
 * A random point inside the shape with coordinates rounded to 6 decimals (~0.1 m), as stored;
 * rounding can push a point that lay within 0.1 m of the border outside, so it is checked again.
 */
export function randomRoundedPointIn(shape: Shape, box: Box, rng: Rng, fallback: Pt): Pt {
  for (let i = 0; i < 8; i++) {
    const p = randomPointIn(shape, box, rng, fallback);
    const x = Math.round(p[0] * 1e6) / 1e6;
    const y = Math.round(p[1] * 1e6) / 1e6;
    if (pointInShape(x, y, shape)) return [x, y];
  }
  return fallback;
}

/**
 * n well-spread points inside the shape: Mitchell's best-candidate (blue noise) followed by Lloyd
 * relaxation, which moves each point to the centroid of its tile and gives the regular,
 * honeycomb-like cells a grid map has. Points stay inside the shape.
 */
export function spreadSites(shape: Shape, n: number, rng: Rng, kx: number, lloydIterations = 2): Pt[] {
  const box = shapeBox(shape);
  const label = labelPoint(shape);
  const sites: Pt[] = [];
  const k2 = kx * kx;
  for (let i = 0; i < n; i++) {
    let best: Pt = label;
    let bestD = -1;
    const candidates = i === 0 ? 1 : 8;
    for (let c = 0; c < candidates; c++) {
      const p = randomPointIn(shape, box, rng, label);
      let dmin = Infinity;
      for (const s of sites) dmin = Math.min(dmin, k2 * (p[0] - s[0]) ** 2 + (p[1] - s[1]) ** 2);
      if (dmin > bestD) {
        bestD = dmin;
        best = p;
      }
    }
    sites.push(best);
  }
  for (let it = 0; it < lloydIterations; it++) {
    const tiles = voronoiTiles(shape, sites, kx);
    tiles.forEach((tile, i) => {
      if (tile.length === 0) return;
      const piece = tile.find((p) => pointInRing(sites[i]![0], sites[i]![1], p)) ?? largestPiece(tile);
      const c = pieceCentroid(piece);
      if (pointInRing(c[0], c[1], piece)) sites[i] = c;
    });
  }
  return sites;
}

/** Distributes `total` into integer parts proportional to weights (largest remainder), each ≥ min. */
export function apportion(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  const base = Math.min(min, Math.floor(total / Math.max(1, n)));
  const rest = total - base * n;
  const sum = weights.reduce((s, w) => s + w, 0) || 1;
  const exact = weights.map((w) => (rest * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = rest - parts.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) parts[order[k]![1]]! += 1;
  return parts.map((x) => x + base);
}

const roundTo = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

/** GeoJSON geometry with rounded coordinates, closed counter-clockwise rings (RFC 7946). */
export function toGeometry(shape: Shape, decimals = 6): AreaGeometry {
  const polys: Pt[][][] = [];
  for (const piece of shape) {
    let ring = dedupeRing(piece.map((p): Pt => [roundTo(p[0], decimals), roundTo(p[1], decimals)]));
    if (ring.length < 3 || signedArea(ring) === 0) continue;
    if (signedArea(ring) < 0) ring = ring.reverse();
    ring.push([ring[0]![0], ring[0]![1]]);
    polys.push([ring]);
  }
  if (polys.length === 0) throw new Error('geometry has no piece left after rounding');
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
}

/** The outer rings of a GeoJSON geometry as open counter-clockwise pieces. */
export function fromGeometry(g: AreaGeometry): Shape {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const out: Shape = [];
  for (const poly of polys) {
    const outer = poly[0];
    if (!outer) continue;
    let ring = dedupeRing(outer.map((p): Pt => [p[0]!, p[1]!]));
    if (ring.length < 3) continue;
    if (signedArea(ring) < 0) ring = ring.reverse();
    out.push(ring);
  }
  return out;
}
