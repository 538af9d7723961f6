/** Area queries: plain functions over the store (DESIGN.md convention 7). */
import type { Db } from '../db/store';
import { AREA_LEVELS, type Area, type AreaLevel } from '../../../shared/domain/model';

export interface AreaRow {
  rid: number;
  id: string;
  parent_id: string | null;
  level: number;
  code: string;
  name: string;
  name_en: string | null;
  cx: number;
  cy: number;
  min_x: number;
  min_y: number;
  max_x: number;
  max_y: number;
  population: number | null;
  area_km2: number | null;
  risk_level: number;
  responsible_unit_id: string | null;
  child_count: number;
}

export const levelNumber = (level: AreaLevel): number => AREA_LEVELS.indexOf(level) + 1;
export const levelName = (n: number): AreaLevel => {
  const l = AREA_LEVELS[n - 1];
  if (!l) throw new Error(`bad area level ${n}`);
  return l;
};

/** Columns of `cases` that hold the id of the containing area at each level (city has none). */
export const CASE_AREA_COLUMN: Record<AreaLevel, string | null> = {
  city: null,
  district: 'district_id',
  town: 'town_id',
  community: 'community_id',
  grid: 'grid_id',
};

const COLUMNS = `a.rid, a.id, a.parent_id, a.level, a.code, a.name, a.name_en, a.cx, a.cy, a.min_x, a.min_y, a.max_x, a.max_y,
  a.population, a.area_km2, a.risk_level, a.responsible_unit_id,
  (SELECT COUNT(*) FROM areas c WHERE c.parent_id = a.id) AS child_count`;

export function toArea(r: AreaRow): Area {
  return {
    id: r.id,
    parentId: r.parent_id,
    level: levelName(r.level),
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    centroid: [r.cx, r.cy],
    bbox: [r.min_x, r.min_y, r.max_x, r.max_y],
    population: r.population,
    areaKm2: r.area_km2,
    riskLevel: r.risk_level,
    childCount: r.child_count,
  };
}

export function getAreaRow(db: Db, id: string): AreaRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM areas a WHERE a.id = ?`).get(id) as AreaRow | undefined;
}

export function listAreaRows(db: Db, args: { level?: AreaLevel | undefined; parentId?: string | undefined; limit: number }): AreaRow[] {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (args.level) {
    where.push('a.level = ?');
    params.push(levelNumber(args.level));
  }
  if (args.parentId) {
    where.push('a.parent_id = ?');
    params.push(args.parentId);
  }
  const sql = `SELECT ${COLUMNS} FROM areas a ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY a.level, a.code LIMIT ?`;
  return db.prepare(sql).all(...params, args.limit) as AreaRow[];
}

export function ancestorRows(db: Db, id: string): AreaRow[] {
  const out: AreaRow[] = [];
  let row = getAreaRow(db, id);
  while (row && row.parent_id) {
    row = getAreaRow(db, row.parent_id);
    if (row) out.unshift(row);
  }
  return out;
}

/** Geometry rows of one level, optionally restricted to the descendants of `within`. */
export function geometryRows(
  db: Db,
  level: AreaLevel,
  within?: string,
): Array<{ id: string; name: string; code: string; level: number; parent_id: string | null; risk_level: number; geometry: string }> {
  const lv = levelNumber(level);
  if (!within) {
    return db.prepare('SELECT id, name, code, level, parent_id, risk_level, geometry FROM areas WHERE level = ? ORDER BY code').all(lv) as ReturnType<
      typeof geometryRows
    >;
  }
  return db
    .prepare(
      `WITH RECURSIVE sub(id) AS (SELECT id FROM areas WHERE id = ? UNION ALL SELECT a.id FROM areas a JOIN sub ON a.parent_id = sub.id)
       SELECT a.id, a.name, a.code, a.level, a.parent_id, a.risk_level, a.geometry FROM areas a JOIN sub ON a.id = sub.id
       WHERE a.level = ? ORDER BY a.code`,
    )
    .all(within, lv) as ReturnType<typeof geometryRows>;
}
