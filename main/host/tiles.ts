/**
 * GET /tiles/<name>.json (TileJSON 3.0) and /tiles/<name>/{z}/{x}/{y}.<ext>: the active file
 * basemap (PMTiles or MBTiles, chosen in settings or with --basemap), read from disk by the core's
 * basemap service. Only the active tile set is served; a tile the archive lacks is 204 (maplibre
 * draws nothing there); CORS so walls on another origin (Electron's app://) can load them.
 */
import type http from 'node:http';
import type { Core } from '../core/core';
import { TILES_PREFIX, tileJsonOf } from '../core/map/basemap';
import { basemapService } from '../core/map/service';
import { sendJson, type Route } from './server';
import { fail } from '../../shared/api';

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD, OPTIONS' };
const TILE_PATH = /^\/tiles\/([a-z0-9_-]+)\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.([a-z0-9]{2,5})$/;
const JSON_PATH = /^\/tiles\/([a-z0-9_-]+)\.json$/;

export interface TilesOptions {
  /** --basemap FILE: applied at startup (stored like a setting chosen in the console). */
  basemapFile: string | null;
}

export async function tilesRoute(core: Core, opts: TilesOptions): Promise<Route> {
  const service = basemapService(core);
  if (opts.basemapFile) {
    const status = await service.set({ kind: 'file', path: opts.basemapFile }, 'cli');
    if (!status.ok) console.error(`CityOps Wall: --basemap ${opts.basemapFile}: ${status.message ?? 'unusable'}; the bundled basemap is shown`);
    core.bus.emit('map.basemap', status);
  }
  return {
    prefix: TILES_PREFIX,
    async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, fail('validation', 'use GET'));
        return;
      }
      const j = JSON_PATH.exec(url.pathname);
      if (j) {
        const archive = service.archiveFor(j[1]!);
        if (!archive) {
          sendJson(res, 404, fail('not_found', `no active tile set ${j[1]}`));
          return;
        }
        const host = req.headers.host ?? 'localhost';
        const body = JSON.stringify(tileJsonOf(service.current(), archive, `http://${host}`));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache', ...CORS });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      const m = TILE_PATH.exec(url.pathname);
      if (!m) {
        sendJson(res, 404, fail('not_found', `no such tile path: ${url.pathname}`));
        return;
      }
      const [, name, zs, xs, ys, ext] = m;
      const z = Number(zs);
      const x = Number(xs);
      const y = Number(ys);
      const archive = service.archiveFor(name!);
      if (!archive) {
        sendJson(res, 404, fail('not_found', `no active tile set ${name}`));
        return;
      }
      if (ext !== archive.info.format) {
        sendJson(res, 404, fail('not_found', `${name} holds .${archive.info.format} tiles, not .${ext}`));
        return;
      }
      if (z > 30 || x >= 2 ** z || y >= 2 ** z) {
        sendJson(res, 400, fail('validation', `no tile ${z}/${x}/${y}`));
        return;
      }
      let tile;
      try {
        tile = await archive.tile(z, x, y);
      } catch (err) {
        core.log.warn('map.tile_failed', { name, z, x, y, error: err instanceof Error ? err.message : String(err) });
        sendJson(res, 500, fail('internal', `the tile ${z}/${x}/${y} could not be read`));
        return;
      }
      if (!tile) {
        res.writeHead(204, { 'cache-control': 'public, max-age=3600', ...CORS }).end();
        return;
      }
      res.writeHead(200, {
        'content-type': tile.contentType,
        'content-length': tile.data.length,
        // URLs carry the basemap's revision (?v=), so a changed file never shows stale tiles.
        'cache-control': 'public, max-age=86400',
        'x-content-type-options': 'nosniff',
        ...CORS,
      });
      res.end(req.method === 'HEAD' ? undefined : tile.data);
    },
  };
}
