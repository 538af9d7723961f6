/**
 * /tiles/: the active file basemap (PMTiles or MBTiles, chosen in settings or with --basemap),
 * read from disk by the core's basemap service (main/core/map/tilehttp.ts answers; this route
 * only writes the answer). CORS so walls on another origin can load the tiles.
 */
import type { Core } from '../core/core';
import { basemapService } from '../core/map/service';
import { tileHttp, TILES_PREFIX } from '../core/map/tilehttp';
import type { Route } from './server';

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
    async handle(req, res, url) {
      const answer = await tileHttp(service, core.log, req.method ?? 'GET', url.pathname, `http://${req.headers.host ?? 'localhost'}`);
      res.writeHead(answer.status, answer.headers).end(answer.body);
    },
  };
}
