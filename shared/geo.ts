/** Geometry helpers on lon/lat (WGS84). Pure functions, no dependencies. */
export type Position = readonly [number, number] | number[];
export type Ring = readonly Position[];
export type PolygonCoords = readonly Ring[];
export type MultiPolygonCoords = readonly PolygonCoords[];
export type AreaGeometry = { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: MultiPolygonCoords };
export type BBox = [number, number, number, number];

/** Ray casting; points on the boundary may fall either way. */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const pi = ring[i]!;
    const pj = ring[j]!;
    const xi = pi[0]!, yi = pi[1]!, xj = pj[0]!, yj = pj[1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygon(x: number, y: number, poly: PolygonCoords): boolean {
  if (poly.length === 0 || !pointInRing(x, y, poly[0]!)) return false;
  for (let k = 1; k < poly.length; k++) if (pointInRing(x, y, poly[k]!)) return false;
  return true;
}

export function pointInGeometry(x: number, y: number, g: AreaGeometry): boolean {
  if (g.type === 'Polygon') return pointInPolygon(x, y, g.coordinates);
  return g.coordinates.some((p) => pointInPolygon(x, y, p));
}

/** A bounding box grown point by point; `box()` is null while no point was added. */
export class BBoxBuilder {
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;

  add(x: number, y: number): void {
    if (x < this.minX) this.minX = x;
    if (y < this.minY) this.minY = y;
    if (x > this.maxX) this.maxX = x;
    if (y > this.maxY) this.maxY = y;
  }

  get empty(): boolean {
    return this.minX === Infinity;
  }

  box(): BBox | null {
    return this.empty ? null : [this.minX, this.minY, this.maxX, this.maxY];
  }
}

/** The geometry's bounding box ([Infinity, Infinity, -Infinity, -Infinity] when it has no points). */
export function bboxOfGeometry(g: AreaGeometry): BBox {
  const b = new BBoxBuilder();
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) for (const ring of poly) for (const p of ring) b.add(p[0]!, p[1]!);
  return [b.minX, b.minY, b.maxX, b.maxY];
}

/** Signed area of a ring in degrees² (shoelace). */
export function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return a / 2;
}

/** Area-weighted centroid of the largest polygon's outer ring. */
export function centroidOfGeometry(g: AreaGeometry): [number, number] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best: Ring | null = null;
  let bestArea = -1;
  for (const p of polys) {
    const a = Math.abs(ringArea(p[0]!));
    if (a > bestArea) {
      bestArea = a;
      best = p[0]!;
    }
  }
  if (!best) return [0, 0];
  let cx = 0, cy = 0, a2 = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const [x0, y0] = [best[j]![0]!, best[j]![1]!];
    const [x1, y1] = [best[i]![0]!, best[i]![1]!];
    const f = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
    a2 += f;
  }
  if (a2 === 0) return [best[0]![0]!, best[0]![1]!];
  return [cx / (3 * a2), cy / (3 * a2)];
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Initial bearing from point 1 to point 2, degrees clockwise from north, 0–360. */
export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const y = Math.sin(rad(lon2 - lon1)) * Math.cos(rad(lat2));
  const x = Math.cos(rad(lat1)) * Math.sin(rad(lat2)) - Math.sin(rad(lat1)) * Math.cos(rad(lat2)) * Math.cos(rad(lon2 - lon1));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

/** Area of a lon/lat geometry in km² (equirectangular approximation, good at city scale). */
export function areaKm2(g: AreaGeometry): number {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let total = 0;
  for (const poly of polys) {
    const lat0 = poly[0]![0]![1]!;
    const kx = 111.32 * Math.cos(rad(lat0));
    const ky = 110.57;
    poly.forEach((ring, i) => {
      const a = Math.abs(ringArea(ring)) * kx * ky;
      total += i === 0 ? a : -a;
    });
  }
  return total;
}
