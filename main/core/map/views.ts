/** Saved map views: one row each in map_views with a versioned JSON body (shared/domain/map.ts). */
import { randomUUID } from 'node:crypto';
import { ApiFailure } from '../../../shared/api';
import { migrateSavedView, SAVED_VIEW_VERSION, type MapLayers, type SavedView, type SavedViewData } from '../../../shared/domain/map';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import type { Logger } from '../log';
import { prep } from '../db/sql';

interface Row {
  id: string;
  name: string;
  data: string;
  updated_at: number;
  version: number;
}

function toView(r: Row): SavedView {
  const d = migrateSavedView(JSON.parse(r.data));
  return { id: r.id, name: d.name, centre: d.centre, zoom: d.zoom, areaId: d.areaId, layers: d.layers, updatedAt: toShanghaiIso(r.updated_at), version: r.version };
}

export function listViews(db: Db, log: Logger): SavedView[] {
  const rows = prep(db, 'SELECT id, name, data, updated_at, version FROM map_views ORDER BY name, id').all() as Row[];
  const out: SavedView[] = [];
  for (const r of rows) {
    try {
      out.push(toView(r));
    } catch (err) {
      log.warn('map.view_unreadable', { id: r.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

export function getView(db: Db, id: string): SavedView | null {
  const r = prep(db, 'SELECT id, name, data, updated_at, version FROM map_views WHERE id = ?').get(id) as Row | undefined;
  return r ? toView(r) : null;
}

export interface ViewInput {
  id?: string | undefined;
  name: string;
  centre: [number, number] | null;
  zoom: number | null;
  areaId: string | null;
  layers: MapLayers;
  version?: number | undefined;
}

export function saveView(db: Db, input: ViewInput, now: number): SavedView {
  return db.transaction((): SavedView => {
    if ((input.centre === null) !== (input.zoom === null)) throw new ApiFailure('validation', 'give both centre and zoom, or neither (fit the area)', 'input.zoom');
    if (input.areaId !== null && !prep(db, 'SELECT 1 FROM areas WHERE id = ?').get(input.areaId)) {
      throw new ApiFailure('not_found', `no area with id ${input.areaId}`, 'input.areaId');
    }
    const body: SavedViewData = migrateSavedView({ v: SAVED_VIEW_VERSION, name: input.name, centre: input.centre, zoom: input.zoom, areaId: input.areaId, layers: input.layers });
    const existing = input.id ? (prep(db, 'SELECT version FROM map_views WHERE id = ?').get(input.id) as { version: number } | undefined) : undefined;
    if (existing) {
      if (input.version !== undefined && input.version !== existing.version) {
        throw new ApiFailure('conflict', `the view changed since version ${input.version} (now ${existing.version})`, 'input.version');
      }
      prep(db, 'UPDATE map_views SET name = ?, data = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(body.name, JSON.stringify(body), now, input.id);
      return getView(db, input.id!)!;
    }
    if (input.id && input.version !== undefined) throw new ApiFailure('not_found', `no saved view ${input.id}`, 'input.id');
    const id = input.id ?? `view-${randomUUID()}`;
    prep(db, 'INSERT INTO map_views(id, name, data, updated_at) VALUES (?, ?, ?, ?)').run(id, body.name, JSON.stringify(body), now);
    return getView(db, id)!;
  })();
}

export function deleteView(db: Db, id: string): void {
  const r = prep(db, 'DELETE FROM map_views WHERE id = ?').run(id);
  if (r.changes === 0) throw new ApiFailure('not_found', `no saved view ${id}`, 'input.id');
}
