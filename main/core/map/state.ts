/**
 * The walls' shared map state: one versioned JSON body in the settings table ('map.state').
 * Every change bumps the row's version; walls follow the 'map.state' event.
 */
import { ApiFailure } from '../../../shared/api';
import type { MapStateEnvelope } from '../../../shared/api/map';
import {
  DEFAULT_MAP_STATE,
  migrateMapState,
  patchLayers,
  resolveTime,
  TimeSelectionError,
  type MapLayersPatch,
  type MapState,
  type TimeSelection,
} from '../../../shared/domain/map';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import type { Logger } from '../log';
import { prep } from '../db/sql';

const KEY = 'map.state';

interface Row {
  value: string;
  updated_at: number;
  version: number;
}

export function readMapState(db: Db, log: Logger): MapStateEnvelope {
  const row = prep(db, 'SELECT value, updated_at, version FROM settings WHERE key = ?').get(KEY) as Row | undefined;
  if (!row) return { state: DEFAULT_MAP_STATE, version: 0, updatedAt: null, updatedBy: null };
  try {
    const body = JSON.parse(row.value) as { state: unknown; by?: unknown };
    return { state: migrateMapState(body.state), version: row.version, updatedAt: toShanghaiIso(row.updated_at), updatedBy: typeof body.by === 'string' ? body.by : null };
  } catch (err) {
    log.warn('map.state_unreadable', { error: err instanceof Error ? err.message : String(err) });
    return { state: DEFAULT_MAP_STATE, version: row.version, updatedAt: toShanghaiIso(row.updated_at), updatedBy: null };
  }
}

export interface MapStatePatch {
  layers?: MapLayersPatch | undefined;
  time?: TimeSelection | undefined;
  areaId?: string | null | undefined;
  rotation?: { [K in keyof MapState['rotation']]?: MapState['rotation'][K] | undefined } | undefined;
  flyTo?: { centre?: [number, number] | null | undefined; zoom?: number | null | undefined; areaId?: string | null | undefined; viewId?: string | null | undefined } | undefined;
  actor: string;
  expectedVersion?: number | undefined;
}

/** Apply a patch; checks the time selection against the clock and the area against the store. */
export function updateMapState(db: Db, log: Logger, patch: MapStatePatch, now: number): MapStateEnvelope {
  return db.transaction((): MapStateEnvelope => {
    const cur = readMapState(db, log);
    if (patch.expectedVersion !== undefined && patch.expectedVersion !== cur.version) {
      throw new ApiFailure('conflict', `the map state changed since version ${patch.expectedVersion} (now ${cur.version}): reload and try again`, 'input.expectedVersion');
    }
    const next: MapState = { ...cur.state };
    if (patch.layers) next.layers = patchLayers(cur.state.layers, patch.layers);
    if (patch.time) {
      try {
        resolveTime(patch.time, now);
      } catch (err) {
        if (err instanceof TimeSelectionError) throw new ApiFailure('validation', err.message, 'input.time');
        throw err;
      }
      next.time = patch.time;
    }
    if (patch.areaId !== undefined) {
      if (patch.areaId !== null && !prep(db, 'SELECT 1 FROM areas WHERE id = ?').get(patch.areaId)) {
        throw new ApiFailure('not_found', `no area with id ${patch.areaId}`, 'input.areaId');
      }
      next.areaId = patch.areaId;
    }
    if (patch.rotation) {
      const r = Object.fromEntries(Object.entries(patch.rotation).filter(([, v]) => v !== undefined));
      next.rotation = { ...cur.state.rotation, ...r };
    }
    if (patch.flyTo) {
      const f = patch.flyTo;
      next.flyTo = { seq: (cur.state.flyTo?.seq ?? 0) + 1, centre: f.centre ?? null, zoom: f.zoom ?? null, areaId: f.areaId ?? null, viewId: f.viewId ?? null };
    }
    const state = migrateMapState(next);
    prep(
      db,
      `INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = settings.version + 1`,
    ).run(KEY, JSON.stringify({ state, by: patch.actor }), now);
    return readMapState(db, log);
  })();
}
