/** Saved video wall presets: a versioned JSON body per row (shared/domain/video.ts migratePresetData). */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/store';
import { prep } from '../db/sql';
import { ApiFailure } from '../../../shared/api/contract';
import { LAYOUT_TILE_COUNT, migratePresetData, PRESET_DATA_VERSION, type PresetData, type Tour, type WallLayout, type WallPreset } from '../../../shared/domain/video';
import { toShanghaiIso } from '../../../shared/time';
import type { Logger } from '../log';

interface PresetRow {
  id: string;
  name: string;
  data: string;
  updated_at: number;
  version: number;
}

function toPreset(r: PresetRow, body: PresetData): WallPreset {
  return { id: r.id, name: r.name, layout: body.layout, tiles: body.tiles, tour: body.tour, updatedAt: toShanghaiIso(r.updated_at), version: r.version };
}

/** Every preset whose body can be read; unreadable ones are logged and left out. */
export function listPresets(db: Db, log: Logger): WallPreset[] {
  const rows = prep(db, 'SELECT id, name, data, updated_at, version FROM video_presets ORDER BY name, id').all() as PresetRow[];
  const out: WallPreset[] = [];
  for (const r of rows) {
    try {
      out.push(toPreset(r, migratePresetData(JSON.parse(r.data))));
    } catch (err) {
      log.warn('video.preset_unreadable', { id: r.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

export interface PresetInput {
  id?: string | undefined;
  name: string;
  layout: WallLayout;
  tiles: Array<string | null>;
  tour: Tour | null;
  version?: number | undefined;
}

export function savePreset(db: Db, input: PresetInput, now: number): WallPreset {
  const size = LAYOUT_TILE_COUNT[input.layout];
  if (input.tiles.length > size) throw new ApiFailure('validation', `layout ${input.layout} has ${size} tiles, got ${input.tiles.length}`, 'input.tiles');
  const body: PresetData = { v: PRESET_DATA_VERSION, layout: input.layout, tiles: input.tiles, tour: input.tour };
  const id = input.id ?? `preset-${randomUUID()}`;
  const existing = prep(db, 'SELECT version FROM video_presets WHERE id = ?').get(id) as { version: number } | undefined;
  if (input.version !== undefined && existing?.version !== input.version) {
    throw new ApiFailure('conflict', existing ? `preset ${id} changed since version ${input.version}` : `preset ${id} no longer exists`, 'input.version');
  }
  if (existing) prep(db, 'UPDATE video_presets SET name = ?, data = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(input.name, JSON.stringify(body), now, id);
  else prep(db, 'INSERT INTO video_presets(id, name, data, updated_at) VALUES (?, ?, ?, ?)').run(id, input.name, JSON.stringify(body), now);
  const row = prep(db, 'SELECT id, name, data, updated_at, version FROM video_presets WHERE id = ?').get(id) as PresetRow;
  return toPreset(row, body);
}

export function deletePreset(db: Db, id: string): boolean {
  return prep(db, 'DELETE FROM video_presets WHERE id = ?').run(id).changes > 0;
}
