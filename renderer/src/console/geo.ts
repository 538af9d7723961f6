/**
 * Geometry for the console's small SVG maps (the case inset and the point picker): fit a lon/lat
 * box into a pixel box with an equirectangular projection scaled by cos(latitude), which is
 * accurate at a town's or a grid's scale. Pure.
 */
import type { AreaGeometry, BBox, PolygonCoords } from '../../../shared/geo';

export interface Projection {
  width: number;
  height: number;
  project(lon: number, lat: number): [number, number];
  unproject(x: number, y: number): [number, number];
}

/** Grow a box by a fraction of its size on every side (and to a minimum span, in degrees). */
export function padBox(b: BBox, fraction: number, minSpan = 0.002): BBox {
  const w = Math.max(b[2] - b[0], minSpan);
  const h = Math.max(b[3] - b[1], minSpan);
  const cx = (b[0] + b[2]) / 2;
  const cy = (b[1] + b[3]) / 2;
  const hw = (w / 2) * (1 + 2 * fraction);
  const hh = (h / 2) * (1 + 2 * fraction);
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}

/** The box around several boxes (null for none). */
export function unionBox(boxes: readonly BBox[]): BBox | null {
  if (boxes.length === 0) return null;
  const out: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    out[0] = Math.min(out[0], b[0]);
    out[1] = Math.min(out[1], b[1]);
    out[2] = Math.max(out[2], b[2]);
    out[3] = Math.max(out[3], b[3]);
  }
  return out;
}

/** Fit `box` into width × height keeping the ground's proportions, centred. */
export function fitProjection(box: BBox, width: number, height: number): Projection {
  const midLat = ((box[1] + box[3]) / 2) * (Math.PI / 180);
  const kx = Math.cos(midLat);
  const spanX = Math.max(1e-9, (box[2] - box[0]) * kx);
  const spanY = Math.max(1e-9, box[3] - box[1]);
  const scale = Math.min(width / spanX, height / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  return {
    width,
    height,
    project: (lon, lat) => [offX + (lon - box[0]) * kx * scale, offY + (box[3] - lat) * scale],
    unproject: (x, y) => [box[0] + (x - offX) / (kx * scale), box[3] - (y - offY) / scale],
  };
}

const polygonsOf = (g: AreaGeometry): readonly PolygonCoords[] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** An SVG path (evenodd) of a polygon or multipolygon, rounded to 0.1 px. */
export function geometryPath(g: AreaGeometry, p: Projection): string {
  const out: string[] = [];
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      ring.forEach((pos, i) => {
        const [x, y] = p.project(Number(pos[0]), Number(pos[1]));
        out.push(`${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`);
      });
      out.push('Z');
    }
  }
  return out.join('');
}

/** Narrow the API's loosely typed feature geometry (coordinates: unknown[]) to an AreaGeometry. */
export function asAreaGeometry(g: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] }): AreaGeometry {
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates as PolygonCoords } : { type: 'MultiPolygon', coordinates: g.coordinates as readonly PolygonCoords[] };
}

/**
 * A field-of-view wedge as an SVG path: from the camera, `radiusPx` long, centred on `heading`
 * (degrees clockwise from north), `fov` degrees wide. A full circle for 360°.
 */
export function wedgePath(x: number, y: number, heading: number, fov: number, radiusPx: number): string {
  if (fov >= 359.9) return `M${x - radiusPx},${y}a${radiusPx},${radiusPx} 0 1,0 ${2 * radiusPx},0a${radiusPx},${radiusPx} 0 1,0 ${-2 * radiusPx},0Z`;
  const rad = (d: number): number => ((d - 90) * Math.PI) / 180;
  const a0 = rad(heading - fov / 2);
  const a1 = rad(heading + fov / 2);
  const p0 = [x + radiusPx * Math.cos(a0), y + radiusPx * Math.sin(a0)];
  const p1 = [x + radiusPx * Math.cos(a1), y + radiusPx * Math.sin(a1)];
  const large = fov > 180 ? 1 : 0;
  return `M${x.toFixed(1)},${y.toFixed(1)}L${p0[0]!.toFixed(1)},${p0[1]!.toFixed(1)}A${radiusPx},${radiusPx} 0 ${large},1 ${p1[0]!.toFixed(1)},${p1[1]!.toFixed(1)}Z`;
}
