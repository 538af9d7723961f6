/**
 * Screen-grid clustering of points for low zooms: points falling in the same `cellPx` cell of the
 * Web Mercator pixel grid at a zoom form one cluster at their mean position, with their count and
 * the most urgent member's rank. Linear in the number of points; run once per zoom step.
 */
export interface Clusters {
  length: number;
  positions: Float64Array;
  counts: Uint32Array;
  /** The highest rank among the members (e.g. the case marker order: overdue highest). */
  worst: Uint8Array;
  /** Count labels ('' for singletons). */
  labels: string[];
}

const TILE = 512;

export function mercatorX(lon: number, zoom: number): number {
  return ((lon + 180) / 360) * TILE * 2 ** zoom;
}

export function mercatorY(lat: number, zoom: number): number {
  const phi = (Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2) * TILE * 2 ** zoom;
}

export function clusterPoints(positions: Float64Array, ranks: Uint8Array, length: number, zoom: number, cellPx: number): Clusters {
  const cells = new Map<number, number>();
  const sx: number[] = [];
  const sy: number[] = [];
  const count: number[] = [];
  const worst: number[] = [];
  for (let i = 0; i < length; i++) {
    const lon = positions[2 * i]!;
    const lat = positions[2 * i + 1]!;
    const cx = Math.floor(mercatorX(lon, zoom) / cellPx);
    const cy = Math.floor(mercatorY(lat, zoom) / cellPx);
    const key = cx * 1_048_576 + cy;
    let c = cells.get(key);
    if (c === undefined) {
      c = count.length;
      cells.set(key, c);
      sx.push(0);
      sy.push(0);
      count.push(0);
      worst.push(0);
    }
    sx[c]! += lon;
    sy[c]! += lat;
    count[c]!++;
    if (ranks[i]! > worst[c]!) worst[c] = ranks[i]!;
  }
  const n = count.length;
  const out: Clusters = { length: n, positions: new Float64Array(2 * n), counts: new Uint32Array(count), worst: new Uint8Array(worst), labels: new Array<string>(n) };
  for (let c = 0; c < n; c++) {
    out.positions[2 * c] = sx[c]! / count[c]!;
    out.positions[2 * c + 1] = sy[c]! / count[c]!;
    out.labels[c] = count[c]! > 1 ? String(count[c]) : '';
  }
  return out;
}
