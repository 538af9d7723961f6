/**
 * The map's search box: areas (name or code, e.g. a grid code), cases (id or case number),
 * cameras and sensors (id or name), staff (name), and case addresses. Exact id/code matches
 * come first; values are bound, never concatenated.
 */
import type { SearchHit } from '../../../shared/api/map';
import { AREA_LEVELS } from '../../../shared/domain/model';
import type { Db } from '../db/store';
import { prep } from '../db/sql';

const LEVEL_ZH: Readonly<Record<string, string>> = { city: '市', district: '区', town: '街道/镇', community: '社区/村', grid: '网格' };

/** Escape LIKE wildcards (the pattern uses ESCAPE '\'). */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function searchMap(db: Db, text: string, limit: number): SearchHit[] {
  const q = text.trim();
  const like = `%${likeEscape(q)}%`;
  const prefix = `${likeEscape(q)}%`;
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const add = (h: SearchHit): void => {
    const key = `${h.kind}:${h.id}`;
    if (seen.has(key) || hits.length >= limit) return;
    seen.add(key);
    hits.push(h);
  };

  const cases = prep(
    db,
    `SELECT id, code, title, address, lon, lat FROM cases WHERE id = @q OR code = @q OR code LIKE @prefix ESCAPE '\\' ORDER BY (code = @q OR id = @q) DESC, reported_at DESC LIMIT @n`,
  ).all({ q, prefix, n: limit }) as Array<{ id: string; code: string; title: string; address: string; lon: number; lat: number }>;
  const areas = prep(
    db,
    `SELECT id, code, name, level, cx, cy, min_x, min_y, max_x, max_y FROM areas
     WHERE id = @q OR code = @q OR code LIKE @prefix ESCAPE '\\' OR name LIKE @like ESCAPE '\\'
     ORDER BY (code = @q OR id = @q OR name = @q) DESC, level, length(name), code LIMIT @n`,
  ).all({ q, prefix, like, n: limit }) as Array<{ id: string; code: string; name: string; level: number; cx: number; cy: number; min_x: number; min_y: number; max_x: number; max_y: number }>;
  const exactCase = cases.filter((c) => c.code === q || c.id === q);
  const exactArea = areas.filter((a) => a.code === q || a.id === q || a.name === q);
  const areaHit = (a: (typeof areas)[number]): SearchHit => ({
    kind: 'area',
    id: a.id,
    label: a.name,
    detail: `${LEVEL_ZH[AREA_LEVELS[a.level - 1] ?? 'grid']} · ${a.code}`,
    lon: a.cx,
    lat: a.cy,
    bbox: [a.min_x, a.min_y, a.max_x, a.max_y],
  });
  const caseHit = (c: (typeof cases)[number]): SearchHit => ({ kind: 'case', id: c.id, label: `${c.code} ${c.title}`, detail: c.address, lon: c.lon, lat: c.lat, bbox: null });
  exactCase.forEach((c) => add(caseHit(c)));
  exactArea.forEach((a) => add(areaHit(a)));

  const cameras = prep(
    db,
    `SELECT id, name, lon, lat, kind FROM cameras WHERE id = @q OR id LIKE @prefix ESCAPE '\\' OR name LIKE @like ESCAPE '\\' ORDER BY (id = @q) DESC, length(name), id LIMIT @n`,
  ).all({ q, prefix, like, n: limit }) as Array<{ id: string; name: string; lon: number; lat: number; kind: string }>;
  const sensors = prep(
    db,
    `SELECT id, name, lon, lat, type FROM sensors WHERE id = @q OR id LIKE @prefix ESCAPE '\\' OR name LIKE @like ESCAPE '\\' ORDER BY (id = @q) DESC, length(name), id LIMIT @n`,
  ).all({ q, prefix, like, n: limit }) as Array<{ id: string; name: string; lon: number; lat: number; type: string }>;
  cameras.filter((c) => c.id === q).forEach((c) => add({ kind: 'camera', id: c.id, label: c.name, detail: c.id, lon: c.lon, lat: c.lat, bbox: null }));
  sensors.filter((s) => s.id === q).forEach((s) => add({ kind: 'sensor', id: s.id, label: s.name, detail: s.id, lon: s.lon, lat: s.lat, bbox: null }));

  areas.forEach((a) => add(areaHit(a)));
  cases.forEach((c) => add(caseHit(c)));
  cameras.forEach((c) => add({ kind: 'camera', id: c.id, label: c.name, detail: c.id, lon: c.lon, lat: c.lat, bbox: null }));
  sensors.forEach((s) => add({ kind: 'sensor', id: s.id, label: s.name, detail: s.id, lon: s.lon, lat: s.lat, bbox: null }));

  if (hits.length < limit && q.length >= 2) {
    const staff = prep(
      db,
      `SELECT id, name, role, lon, lat FROM staff WHERE name LIKE @like ESCAPE '\\' AND lon IS NOT NULL AND on_duty = 1 ORDER BY length(name), id LIMIT @n`,
    ).all({ like, n: limit }) as Array<{ id: string; name: string; role: string; lon: number; lat: number }>;
    staff.forEach((s) => add({ kind: 'staff', id: s.id, label: s.name, detail: s.role, lon: s.lon, lat: s.lat, bbox: null }));
  }
  if (hits.length < limit && q.length >= 2) {
    const addresses = prep(
      db,
      `SELECT address, MIN(lon) AS lon, MIN(lat) AS lat, COUNT(*) AS n FROM cases WHERE address LIKE @like ESCAPE '\\' GROUP BY address ORDER BY n DESC, address LIMIT @n`,
    ).all({ like, n: limit }) as Array<{ address: string; lon: number; lat: number; n: number }>;
    addresses.forEach((a) => add({ kind: 'address', id: a.address, label: a.address, detail: `${a.n}`, lon: a.lon, lat: a.lat, bbox: null }));
  }
  return hits;
}
