/**
 * The file basemap over HTTP, transport-neutral (the headless host and Electron's app:// protocol
 * both answer with it): GET /tiles/<name>.json (TileJSON 3.0) and /tiles/<name>/{z}/{x}/{y}.<ext>.
 * Only the active tile set is served; a tile the archive lacks is 204 (maplibre draws nothing).
 */
import { tileJsonOf, TILES_PREFIX, type BasemapService } from './basemap';
import type { Logger } from '../log';

export { TILES_PREFIX };

export interface TileHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD, OPTIONS' };
const TILE_PATH = /^\/tiles\/([a-z0-9_-]+)\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.([a-z0-9]{2,5})$/;
const JSON_PATH = /^\/tiles\/([a-z0-9_-]+)\.json$/;

const error = (status: number, code: string, message: string): TileHttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...CORS },
  body: JSON.stringify({ ok: false, error: { code, message } }),
});

/** `origin`: what tile URLs in the TileJSON start with, e.g. http://127.0.0.1:4870 or app://cityops. */
export async function tileHttp(service: BasemapService, log: Logger, method: string, pathname: string, origin: string): Promise<TileHttpAnswer> {
  if (method === 'OPTIONS') return { status: 204, headers: CORS, body: '' };
  if (method !== 'GET' && method !== 'HEAD') return error(405, 'validation', 'use GET');
  const head = method === 'HEAD';
  const j = JSON_PATH.exec(pathname);
  if (j) {
    const archive = service.archiveFor(j[1]!);
    if (!archive) return error(404, 'not_found', `no active tile set ${j[1]}`);
    const body = JSON.stringify(tileJsonOf(service.current(), archive, origin));
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-cache', ...CORS },
      body: head ? '' : body,
    };
  }
  const m = TILE_PATH.exec(pathname);
  if (!m) return error(404, 'not_found', `no such tile path: ${pathname}`);
  const [, name, zs, xs, ys, ext] = m;
  const z = Number(zs);
  const x = Number(xs);
  const y = Number(ys);
  const archive = service.archiveFor(name!);
  if (!archive) return error(404, 'not_found', `no active tile set ${name}`);
  if (ext !== archive.info.format) return error(404, 'not_found', `${name} holds .${archive.info.format} tiles, not .${ext}`);
  if (z > 30 || x >= 2 ** z || y >= 2 ** z) return error(400, 'validation', `no tile ${z}/${x}/${y}`);
  let tile;
  try {
    tile = await archive.tile(z, x, y);
  } catch (err) {
    log.warn('map.tile_failed', { name, z, x, y, error: err instanceof Error ? err.message : String(err) });
    return error(500, 'internal', `the tile ${z}/${x}/${y} could not be read`);
  }
  if (!tile) return { status: 204, headers: { 'cache-control': 'public, max-age=3600', ...CORS }, body: '' };
  return {
    status: 200,
    headers: {
      'content-type': tile.contentType,
      'content-length': String(tile.data.length),
      // URLs carry the basemap's revision (?v=), so a changed file never shows stale tiles.
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
      ...CORS,
    },
    body: head ? '' : tile.data,
  };
}
