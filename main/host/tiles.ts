/**
 * /tiles/: the active file basemap (PMTiles or MBTiles, chosen in settings or with --basemap,
 * which the core applies at startup), read from disk by the core's basemap service
 * (main/core/map/tilehttp.ts answers; this route only writes the answer). CORS so walls on another origin can load the tiles.
 */
import type { Core } from '../core/core';
import { basemapService } from '../core/map/service';
import { tileHttp, TILES_PREFIX } from '../core/map/tilehttp';
import type { Route } from './server';

export function tilesRoute(core: Core): Route {
  const service = basemapService(core);
  return {
    prefix: TILES_PREFIX,
    async handle(req, res, url) {
      const answer = await tileHttp(service, core.log, req.method ?? 'GET', url.pathname, `http://${req.headers.host ?? 'localhost'}`);
      res.writeHead(answer.status, answer.headers).end(answer.body);
    },
  };
}
