/**
 * The five-colour map drawn into the PDF: area polygons projected (equirectangular, x scaled by
 * cos of the middle latitude, which is exact enough at city scale), fitted into a box, filled by
 * colour (one path per colour), with boundaries of higher levels and labels on top.
 */
import { BBoxBuilder, type AreaGeometry } from '../../../../shared/geo';
import type { PdfPage } from './document';

export interface MapShape {
  id: string;
  /** Polygons → rings → [x, y] in projected units (y up). */
  polygons: number[][][][];
}

export interface Projected {
  shapes: MapShape[];
  bounds: { minX: number; minY: number; maxX: number; maxY: number };
}

export interface Projection {
  k: number;
}

export function projectionFor(midLat: number): Projection {
  return { k: Math.cos((midLat * Math.PI) / 180) };
}

export function projectShapes(rows: ReadonlyArray<{ id: string; geometry: string }>, proj: Projection): Projected {
  const shapes: MapShape[] = [];
  const b = new BBoxBuilder();
  for (const r of rows) {
    let g: AreaGeometry;
    try {
      g = JSON.parse(r.geometry) as AreaGeometry;
    } catch {
      continue;
    }
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    const polygons = polys.map((poly) =>
      poly.map((ring) =>
        ring.map((p) => {
          const x = p[0]! * proj.k;
          const y = p[1]!;
          b.add(x, y);
          return [x, y];
        }),
      ),
    );
    shapes.push({ id: r.id, polygons });
  }
  return { shapes, bounds: { minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY } };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Fit {
  /** Page position of a projected point. */
  at(x: number, y: number): [number, number];
}

export function fitBounds(bounds: Projected['bounds'], box: Box, pad = 4): Fit {
  const dx = bounds.maxX - bounds.minX || 1;
  const dy = bounds.maxY - bounds.minY || 1;
  const s = Math.min((box.w - 2 * pad) / dx, (box.h - 2 * pad) / dy);
  const ox = box.x + (box.w - dx * s) / 2;
  const oy = box.y + (box.h - dy * s) / 2;
  return { at: (x, y) => [ox + (x - bounds.minX) * s, oy + (bounds.maxY - y) * s] };
}

/** Rings in page points, rounded to 0.1 pt, with repeated points dropped (tiny grids stay cheap). */
function pageRings(shape: MapShape, fit: Fit): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  for (const poly of shape.polygons)
    for (const ring of poly) {
      const pts: Array<[number, number]> = [];
      let px = NaN,
        py = NaN;
      for (const p of ring) {
        const [x, y] = fit.at(p[0]!, p[1]!);
        const rx = Math.round(x * 10) / 10;
        const ry = Math.round(y * 10) / 10;
        if (rx === px && ry === py) continue;
        pts.push([rx, ry]);
        px = rx;
        py = ry;
      }
      if (pts.length >= 3) out.push(pts);
    }
  return out;
}

export interface MapLayers {
  fill: { shapes: readonly MapShape[]; colourOf: (id: string) => string | null; stroke?: { colour: string; width: number } };
  outlines: Array<{ shapes: readonly MapShape[]; colour: string; width: number }>;
  labels: Array<{ x: number; y: number; text: string }>;
  labelSize: number;
}

/** Draw a map into a box, clipped to it. `bounds` is the projected extent to fit. */
export function drawMap(page: PdfPage, box: Box, bounds: Projected['bounds'], layers: MapLayers, pointToProjected: (lon: number, lat: number) => [number, number]): void {
  const fit = fitBounds(bounds, box);
  page.save().clipRect(box.x, box.y, box.w, box.h);
  const byColour = new Map<string, MapShape[]>();
  for (const s of layers.fill.shapes) {
    const c = layers.fill.colourOf(s.id);
    if (!c) continue;
    let list = byColour.get(c);
    if (!list) {
      list = [];
      byColour.set(c, list);
    }
    list.push(s);
  }
  const ringsOf = (shapes: readonly MapShape[]): Array<Array<[number, number]>> => shapes.flatMap((s) => pageRings(s, fit));
  for (const [colour, shapes] of byColour) {
    const rings = ringsOf(shapes);
    // Even-odd, so holes stay holes whatever the rings' winding.
    if (rings.length) page.fillColor(colour).polygon(rings).paint('f*');
  }
  const strokes = [...(layers.fill.stroke ? [{ shapes: layers.fill.shapes, ...layers.fill.stroke }] : []), ...layers.outlines];
  for (const o of strokes) {
    const rings = ringsOf(o.shapes);
    if (rings.length) page.strokeColor(o.colour).lineWidth(o.width).polygon(rings).paint('S');
  }
  for (const l of layers.labels) {
    const [px, py] = pointToProjected(l.x, l.y);
    const [x, y] = fit.at(px, py);
    page.text(l.text, x, y + layers.labelSize / 3, { size: layers.labelSize, color: '#1b2433', align: 'center', style: 'bold' });
  }
  page.restore();
}
