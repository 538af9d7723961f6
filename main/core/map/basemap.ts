/**
 * The basemap: the setting (bundled style, a tile file on disk, or an intranet URL) stored in the
 * settings table under 'map.basemap', the open tile archive the host serves under /tiles/, and
 * the status the walls draw from. A file that is missing or unreadable never blanks the map: the
 * status says ok=false with a message and the walls keep the bundled style.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  basemapSettingSchema,
  normaliseTileUrl,
  tileSetName,
  TileUrlError,
  BASEMAP_FILE_EXTENSIONS,
  type BasemapSetting,
  type BasemapSource,
  type BasemapStatus,
} from '../../../shared/domain/map';
import type { Db } from '../db/store';
import type { Logger } from '../log';
import { prep } from '../db/sql';
import { openTileArchive, TileArchiveError, type Tile, type TileArchive } from './tilesource';

const KEY = 'map.basemap';
export const TILES_PREFIX = '/tiles/';

interface Stored {
  setting: BasemapSetting;
  origin: 'settings' | 'cli';
}

export class BasemapService {
  private archive: TileArchive | null = null;
  private status: BasemapStatus = { setting: { kind: 'bundled' }, origin: 'settings', ok: true, message: null, source: null, revision: 0 };
  /** Serialises changes: a switch waits for the one before. */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** The folder the settings picker lists (<dataDir>/basemaps). */
  get filesDir(): string {
    return path.join(this.dataDir, 'basemaps');
  }

  current(): BasemapStatus {
    return this.status;
  }

  /** The archive behind /tiles/<name>/…, when the active basemap is a file with that name. */
  archiveFor(name: string): TileArchive | null {
    return this.archive && this.status.source?.name === name ? this.archive : null;
  }

  async tile(name: string, z: number, x: number, y: number): Promise<Tile | null | 'unknown'> {
    const a = this.archiveFor(name);
    if (!a) return 'unknown';
    return a.tile(z, x, y);
  }

  /** Load the stored setting (at startup). */
  async load(): Promise<BasemapStatus> {
    const stored = this.readStored();
    return this.apply(stored.setting, stored.origin, false);
  }

  /** Change the basemap (persisted); answers the new status. */
  set(setting: BasemapSetting, origin: 'settings' | 'cli'): Promise<BasemapStatus> {
    const next = this.pending.then(() => this.apply(setting, origin, true));
    this.pending = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.pending;
    await this.archive?.close();
    this.archive = null;
  }

  listFiles(): Array<{ name: string; path: string; bytes: number }> {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.filesDir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((e) => e.isFile() && (BASEMAP_FILE_EXTENSIONS as readonly string[]).includes(path.extname(e.name).toLowerCase()))
      .map((e) => {
        const p = path.join(this.filesDir, e.name);
        return { name: e.name, path: p, bytes: fs.statSync(p).size };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private readStored(): Stored {
    const raw = prep(this.db, 'SELECT value FROM settings WHERE key = ?').pluck().get(KEY) as string | undefined;
    if (raw === undefined) return { setting: { kind: 'bundled' }, origin: 'settings' };
    try {
      const v = JSON.parse(raw) as { setting?: unknown; origin?: unknown };
      return { setting: basemapSettingSchema.parse(v.setting), origin: v.origin === 'cli' ? 'cli' : 'settings' };
    } catch (err) {
      this.log.warn('map.basemap_setting_unreadable', { error: err instanceof Error ? err.message : String(err) });
      return { setting: { kind: 'bundled' }, origin: 'settings' };
    }
  }

  private async apply(setting: BasemapSetting, origin: 'settings' | 'cli', persist: boolean): Promise<BasemapStatus> {
    if (persist) {
      prep(
        this.db,
        `INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = settings.version + 1`,
      ).run(KEY, JSON.stringify({ setting, origin }), this.now());
    }
    const revision = this.status.revision + 1;
    const previous = this.archive;
    this.archive = null;
    let status: BasemapStatus;
    switch (setting.kind) {
      case 'bundled':
        status = { setting, origin, ok: true, message: null, source: null, revision };
        break;
      case 'url':
        status = this.urlStatus(setting, origin, revision);
        break;
      case 'file': {
        const file = path.resolve(this.dataDir, setting.path);
        try {
          const archive = await openTileArchive(file);
          this.archive = archive;
          status = { setting, origin, ok: true, message: null, source: fileSource(archive, revision), revision };
        } catch (err) {
          const message = err instanceof TileArchiveError ? err.message : `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`;
          this.log.warn('map.basemap_unusable', { file, message });
          status = { setting, origin, ok: false, message, source: null, revision };
        }
        break;
      }
    }
    await previous?.close();
    this.status = status;
    this.log.info('map.basemap', { kind: setting.kind, ok: status.ok, name: status.source?.name ?? null });
    return status;
  }

  private urlStatus(setting: Extract<BasemapSetting, { kind: 'url' }>, origin: 'settings' | 'cli', revision: number): BasemapStatus {
    try {
      const { template, scheme } = normaliseTileUrl(setting.url);
      const source: BasemapSource = {
        name: 'url',
        type: setting.type,
        format: setting.type === 'vector' ? 'pbf' : 'png',
        tiles: [template],
        scheme,
        tileJson: null,
        tileSize: setting.tileSize,
        minzoom: setting.minzoom,
        maxzoom: setting.maxzoom,
        bounds: null,
        attribution: setting.attribution || null,
        vectorLayers: [],
      };
      return { setting, origin, ok: true, message: null, source, revision };
    } catch (err) {
      return { setting, origin, ok: false, message: err instanceof TileUrlError ? err.message : String(err), source: null, revision };
    }
  }
}

function fileSource(archive: TileArchive, revision: number): BasemapSource {
  const name = tileSetName(path.basename(archive.file));
  const i = archive.info;
  return {
    name,
    type: i.type,
    format: i.format,
    tiles: [`${TILES_PREFIX}${name}/{z}/{x}/{y}.${i.format}?v=${revision}`],
    scheme: 'xyz',
    tileJson: `${TILES_PREFIX}${name}.json?v=${revision}`,
    tileSize: i.type === 'raster' ? 256 : 512,
    minzoom: i.minzoom,
    maxzoom: i.maxzoom,
    bounds: i.bounds,
    attribution: i.attribution,
    vectorLayers: i.vectorLayers,
  };
}

/** TileJSON 3.0 of the active file basemap (tile URLs relative to `base`, e.g. http://host:port). */
export function tileJsonOf(status: BasemapStatus, archive: TileArchive, base: string): Record<string, unknown> {
  const s = status.source!;
  const i = archive.info;
  return {
    tilejson: '3.0.0',
    name: i.name ?? s.name,
    scheme: 'xyz',
    tiles: s.tiles.map((t) => `${base}${t}`),
    minzoom: i.minzoom,
    maxzoom: i.maxzoom,
    ...(i.bounds ? { bounds: i.bounds } : {}),
    ...(i.center ? { center: i.center } : {}),
    ...(i.attribution ? { attribution: i.attribution } : {}),
    ...(i.type === 'vector' ? { vector_layers: i.vectorLayers.map((l) => ({ id: l.id, fields: {} })) } : {}),
    format: i.format,
  };
}
