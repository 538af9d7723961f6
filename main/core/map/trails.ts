/**
 * Field-force positions over time: stored from terminals (map.positions.report) and, in the demo
 * city, from a patrol generator that walks a few hundred on-duty staff through their towns. Both
 * go through recordPositions(). The map asks for the trails of the last hour (map.trails).
 */
import type { MapTrails } from '../../../shared/api/map';
import type { TimeSelection } from '../../../shared/domain/map';
import type { StaffRole } from '../../../shared/domain/model';
import type { Db } from '../db/store';
import { resolveOrFail } from './cases';
import { DESCENDANTS, prep } from '../db/sql';

/** The staff record's last position is refreshed at most this often (the trail keeps every point). */
export const STAFF_ROW_REFRESH_MS = 5 * 60_000;
/** Positions older than this are deleted. */
export const POSITION_RETENTION_MS = 3 * 86_400_000;

export interface PositionInput {
  staffId: string;
  lon: number;
  lat: number;
  at: number;
}

/** Store positions (the real path and the demo's); returns how many were stored and the unknown staff ids. */
export function recordPositions(db: Db, positions: readonly PositionInput[]): { stored: number; unknown: string[] } {
  const known = prep(db, 'SELECT position_at FROM staff WHERE id = ?');
  const insert = prep(db, 'INSERT OR REPLACE INTO staff_positions(staff_id, at, lon, lat) VALUES (?, ?, ?, ?)');
  const refresh = prep(
    db,
    `UPDATE staff SET lon = ?, lat = ?, position_at = ?, updated_at = ?, version = version + 1
     WHERE id = ? AND (position_at IS NULL OR position_at <= ?)`,
  );
  return db.transaction(() => {
    const unknown: string[] = [];
    let stored = 0;
    const latest = new Map<string, PositionInput>();
    for (const p of positions) {
      const row = known.get(p.staffId) as { position_at: number | null } | undefined;
      if (!row) {
        unknown.push(p.staffId);
        continue;
      }
      insert.run(p.staffId, p.at, p.lon, p.lat);
      stored++;
      const prev = latest.get(p.staffId);
      if (!prev || prev.at < p.at) latest.set(p.staffId, p);
    }
    for (const p of latest.values()) refresh.run(p.lon, p.lat, p.at, p.at, p.staffId, p.at - STAFF_ROW_REFRESH_MS);
    return { stored, unknown: [...new Set(unknown)] };
  })();
}

export function prunePositions(db: Db, now: number): number {
  return prep(db, 'DELETE FROM staff_positions WHERE at < ?').run(now - POSITION_RETENTION_MS).changes;
}

interface StaffRow {
  id: string;
  name: string;
  role: StaffRole;
  unit_id: string | null;
  lon: number | null;
  lat: number | null;
  position_at: number | null;
}

/**
 * The trails of the window ending at the reference instant. Live: every on-duty person with a
 * known position (their last position, with the window's trail when they moved in it). A past
 * moment: those with positions in the window.
 */
export function mapTrails(db: Db, args: { time: TimeSelection; areaId?: string | undefined; minutes: number; limit: number }, now: number): MapTrails {
  const t = resolveOrFail(args.time, now);
  const to = t.mode === 'window' ? t.to : t.at;
  const from = to - args.minutes * 60_000;
  const areaJoin = args.areaId ? `${DESCENDANTS} ` : '';
  const areaWhere = args.areaId ? ' AND s.grid_id IN (SELECT id FROM sub)' : '';
  const points = db
    .prepare(`${areaJoin}SELECT p.staff_id, p.at, p.lon, p.lat FROM staff_positions p JOIN staff s ON s.id = p.staff_id WHERE p.at > @from AND p.at <= @to AND s.on_duty = 1${areaWhere} ORDER BY p.staff_id, p.at`)
    .raw()
    .all({ from, to, areaId: args.areaId }) as Array<[string, number, number, number]>;
  const byStaff = new Map<string, Array<[number, number, number]>>();
  for (const [id, at, lon, lat] of points) {
    let list = byStaff.get(id);
    if (!list) {
      list = [];
      byStaff.set(id, list);
    }
    list.push([at, lon, lat]);
  }
  const live = t.mode === 'live';
  const staff = db
    .prepare(
      `${areaJoin}SELECT s.id, s.name, s.role, s.unit_id, s.lon, s.lat, s.position_at FROM staff s
       WHERE s.on_duty = 1 AND s.lon IS NOT NULL AND s.lat IS NOT NULL${areaWhere} ORDER BY s.id`,
    )
    .all({ areaId: args.areaId }) as StaffRow[];
  const out: MapTrails = { from, to, ids: [], names: [], roles: [], unitIds: [], starts: [], lon: [], lat: [], t: [] };
  const push = (s: StaffRow, pts: Array<[number, number, number]>): void => {
    out.ids.push(s.id);
    out.names.push(s.name);
    out.roles.push(s.role);
    out.unitIds.push(s.unit_id);
    out.starts.push(out.lon.length);
    for (const [at, lon, lat] of pts) {
      out.lon.push(lon);
      out.lat.push(lat);
      out.t.push(Math.round((at - from) / 100) / 10);
    }
  };
  // Movers first (they matter most when the limit bites), then everyone else at their last position.
  const rest: StaffRow[] = [];
  for (const s of staff) {
    if (out.ids.length >= args.limit) break;
    const pts = byStaff.get(s.id);
    if (pts && pts.length > 0) push(s, pts);
    else rest.push(s);
  }
  if (live) {
    for (const s of rest) {
      if (out.ids.length >= args.limit) break;
      const at = Math.min(Math.max(s.position_at ?? from, from), to);
      push(s, [[at, s.lon!, s.lat!]]);
    }
  }
  return out;
}
