/**
 * The camera registry's queries: rows ↔ API records, create/update/delete with the R*Tree kept in
 * step, search. Plain functions over the db (DESIGN.md convention 7); values always bound.
 */
import type { Db } from '../db/store';
import { prep } from '../db/sql';
import { ApiFailure } from '../../../shared/api/contract';
import type { Camera } from '../../../shared/domain/model';
import {
  normaliseHeading,
  streamSchema,
  type CameraDetail,
  type CameraInputParsed,
  type Stream,
} from '../../../shared/domain/video';
import { toShanghaiIso } from '../../../shared/time';

export interface CameraRow {
  rid: number;
  id: string;
  name: string;
  department_id: string | null;
  grid_id: string | null;
  lon: number;
  lat: number;
  heading: number;
  fov: number;
  height_m: number | null;
  kind: string;
  status: string;
  streams: string;
  updated_at: number;
  version: number;
}

export const CAMERA_COLUMNS = 'rid, id, name, department_id, grid_id, lon, lat, heading, fov, height_m, kind, status, streams, updated_at, version';

/** Streams stored by older code or other writers are parsed leniently: invalid entries are dropped. */
export function parseStreams(json: string): Stream[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: Stream[] = [];
  for (const item of raw) {
    const p = streamSchema.safeParse(item);
    if (p.success) out.push(p.data);
  }
  return out;
}

export function toCamera(r: Pick<CameraRow, 'id' | 'name' | 'department_id' | 'grid_id' | 'lon' | 'lat' | 'heading' | 'fov' | 'kind' | 'status'>): Camera {
  return {
    id: r.id,
    name: r.name,
    departmentId: r.department_id ?? null,
    gridId: r.grid_id ?? null,
    lon: r.lon,
    lat: r.lat,
    heading: r.heading,
    fov: r.fov,
    kind: r.kind as Camera['kind'],
    status: r.status as Camera['status'],
  };
}

export function toDetail(r: CameraRow): CameraDetail {
  return { ...toCamera(r), heightM: r.height_m ?? null, streams: parseStreams(r.streams), updatedAt: toShanghaiIso(r.updated_at), version: r.version };
}

export function getCameraRow(db: Db, id: string): CameraRow | undefined {
  return prep(db, `SELECT ${CAMERA_COLUMNS} FROM cameras WHERE id = ?`).get(id) as CameraRow | undefined;
}

export function getCamerasByIds(db: Db, ids: readonly string[]): CameraDetail[] {
  if (ids.length === 0) return [];
  const rows = prep(db, `SELECT ${CAMERA_COLUMNS} FROM cameras WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as CameraRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: CameraDetail[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const r = byId.get(id);
    if (r && !seen.has(id)) {
      seen.add(id);
      out.push(toDetail(r));
    }
  }
  return out;
}

/** Put the camera's point into the R*Tree (replacing any old entry). */
export function indexCamera(db: Db, rid: number, lon: number, lat: number): void {
  prep(db, 'DELETE FROM cameras_rtree WHERE rid = ?').run(rid);
  prep(db, 'INSERT INTO cameras_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)').run(rid, lon, lon, lat, lat);
}

/**
 * Make the R*Tree hold exactly the cameras (other writers, such as the demo generator, may have
 * inserted cameras without it). Cheap: two anti-joins over integer keys.
 */
export function syncCameraIndex(db: Db): { added: number; removed: number } {
  const added = prep(db, 'INSERT INTO cameras_rtree(rid, min_x, max_x, min_y, max_y) SELECT rid, lon, lon, lat, lat FROM cameras WHERE rid NOT IN (SELECT rid FROM cameras_rtree)').run().changes;
  const removed = prep(db, 'DELETE FROM cameras_rtree WHERE rid NOT IN (SELECT rid FROM cameras)').run().changes;
  return { added, removed };
}

export interface SaveDeps {
  /** The grid containing the point, when the input does not name one. */
  locateGrid(lon: number, lat: number): string | null;
}

export function checkReferences(db: Db, input: Pick<CameraInputParsed, 'departmentId' | 'gridId'>): void {
  if (input.departmentId !== null && !prep(db, 'SELECT 1 FROM departments WHERE id = ?').get(input.departmentId)) {
    throw new ApiFailure('validation', `no department with id ${input.departmentId}`, 'input.departmentId');
  }
  if (input.gridId != null && !prep(db, 'SELECT 1 FROM areas WHERE id = ?').get(input.gridId)) {
    throw new ApiFailure('validation', `no area with id ${input.gridId}`, 'input.gridId');
  }
}

/** Create or update one camera. Returns the stored record and whether it was created. */
export function saveCamera(db: Db, input: CameraInputParsed, now: number, deps: SaveDeps): { camera: CameraDetail; created: boolean } {
  checkReferences(db, input);
  const existing = prep(db, 'SELECT rid, version, streams FROM cameras WHERE id = ?').get(input.id) as { rid: number; version: number; streams: string } | undefined;
  if (input.version !== undefined) {
    if (!existing) throw new ApiFailure('conflict', `camera ${input.id} no longer exists`, 'input.version');
    if (existing.version !== input.version) throw new ApiFailure('conflict', `camera ${input.id} changed since version ${input.version} (now ${existing.version})`, 'input.version');
  }
  const gridId = input.gridId !== undefined ? input.gridId : deps.locateGrid(input.lon, input.lat);
  const streams = JSON.stringify(input.streams);
  const params = {
    id: input.id,
    name: input.name,
    departmentId: input.departmentId,
    gridId,
    lon: input.lon,
    lat: input.lat,
    heading: normaliseHeading(input.heading),
    fov: input.fov,
    heightM: input.heightM,
    kind: input.kind,
    status: input.status,
    streams,
    now,
  };
  let rid: number;
  if (existing) {
    prep(db, 
      `UPDATE cameras SET name = @name, department_id = @departmentId, grid_id = @gridId, lon = @lon, lat = @lat, heading = @heading, fov = @fov,
         height_m = @heightM, kind = @kind, status = @status, streams = @streams, updated_at = @now, version = version + 1 WHERE id = @id`,
    ).run(params);
    rid = existing.rid;
    if (existing.streams !== streams) prep(db, 'DELETE FROM stream_health WHERE camera_id = ?').run(input.id);
  } else {
    rid = Number(
      prep(db, 
          `INSERT INTO cameras(id, name, department_id, grid_id, lon, lat, heading, fov, height_m, kind, status, streams, updated_at)
           VALUES (@id, @name, @departmentId, @gridId, @lon, @lat, @heading, @fov, @heightM, @kind, @status, @streams, @now)`,
        )
        .run(params).lastInsertRowid,
    );
  }
  indexCamera(db, rid, input.lon, input.lat);
  const row = prep(db, `SELECT ${CAMERA_COLUMNS} FROM cameras WHERE rid = ?`).get(rid) as CameraRow;
  return { camera: toDetail(row), created: !existing };
}

export function deleteCamera(db: Db, id: string): boolean {
  const row = prep(db, 'SELECT rid FROM cameras WHERE id = ?').get(id) as { rid: number } | undefined;
  if (!row) return false;
  try {
    prep(db, 'DELETE FROM stream_health WHERE camera_id = ?').run(id);
    prep(db, 'DELETE FROM cameras WHERE rid = ?').run(row.rid);
  } catch (err) {
    if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
      throw new ApiFailure('conflict', `camera ${id} is still referenced elsewhere: ${err.message}`, 'input.id');
    }
    throw err;
  }
  prep(db, 'DELETE FROM cameras_rtree WHERE rid = ?').run(row.rid);
  return true;
}

const DESCENDANTS = `WITH RECURSIVE sub(id) AS (SELECT id FROM areas WHERE id = @areaId UNION ALL SELECT a.id FROM areas a JOIN sub ON a.parent_id = sub.id)`;

/** cameras.list: by bounding box and/or area (the map's camera layer). */
export function listCameras(db: Db, input: { bbox?: [number, number, number, number] | undefined; areaId?: string | undefined; limit: number }): Camera[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: input.limit };
  if (input.bbox) {
    where.push('c.lon BETWEEN @minX AND @maxX AND c.lat BETWEEN @minY AND @maxY');
    Object.assign(params, { minX: input.bbox[0], minY: input.bbox[1], maxX: input.bbox[2], maxY: input.bbox[3] });
  }
  if (input.areaId) {
    where.push('c.grid_id IN (SELECT id FROM sub)');
    params.areaId = input.areaId;
  }
  const rows = prep(db, 
      `${input.areaId ? DESCENDANTS : ''} SELECT c.id, c.name, c.department_id, c.grid_id, c.lon, c.lat, c.heading, c.fov, c.kind, c.status
       FROM cameras c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.rid LIMIT @limit`,
    )
    .all(params) as CameraRow[];
  return rows.map(toCamera);
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface SearchInput {
  text?: string | undefined;
  departmentId?: string | undefined;
  kinds?: readonly string[] | undefined;
  statuses?: readonly string[] | undefined;
  playable?: boolean | undefined;
  limit: number;
  offset: number;
}

/** cameras.search: a paged pick list. */
export function searchCameras(db: Db, input: SearchInput): { total: number; items: Camera[] } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: input.limit, offset: input.offset };
  if (input.text) {
    where.push("(c.name LIKE @text ESCAPE '\\' OR c.id LIKE @text ESCAPE '\\')");
    params.text = `%${escapeLike(input.text)}%`;
  }
  if (input.departmentId) {
    where.push('c.department_id = @departmentId');
    params.departmentId = input.departmentId;
  }
  if (input.kinds && input.kinds.length > 0) {
    where.push('c.kind IN (SELECT value FROM json_each(@kinds))');
    params.kinds = JSON.stringify(input.kinds);
  }
  if (input.statuses && input.statuses.length > 0) {
    where.push('c.status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(input.statuses);
  }
  if (input.playable !== undefined) where.push(input.playable ? "c.streams <> '[]'" : "c.streams = '[]'");
  const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { limit: _l, offset: _o, ...countParams } = params;
  const total = prep(db, `SELECT COUNT(*) FROM cameras c ${sql}`).pluck().get(countParams) as number;
  const rows = prep(db, `SELECT c.id, c.name, c.department_id, c.grid_id, c.lon, c.lat, c.heading, c.fov, c.kind, c.status FROM cameras c ${sql} ORDER BY c.name, c.id LIMIT @limit OFFSET @offset`)
    .all(params) as CameraRow[];
  return { total, items: rows.map(toCamera) };
}

/** Distinct origins of all stream URLs (ws:/wss: kept as they are), and whether any URL is root-relative. */
export function streamOrigins(db: Db): { origins: string[]; relative: boolean } {
  const origins = new Set<string>();
  let relative = false;
  for (const json of prep(db, "SELECT DISTINCT streams FROM cameras WHERE streams <> '[]'").pluck().all() as string[]) {
    for (const s of parseStreams(json)) {
      if (s.url.startsWith('/')) {
        relative = true;
        continue;
      }
      try {
        origins.add(new URL(s.url).origin);
      } catch {
        // parseStreams only keeps valid URLs
      }
    }
  }
  return { origins: [...origins].sort(), relative };
}
