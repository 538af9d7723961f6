/** Extra HTTP routes that capabilities mount on the host (Open311, CAP, basemap tiles…). */
import type { Core } from '../core/core';
import { BRIEFING_ROUTE_PREFIX, briefingHttp } from '../core/consult/http';
import type { HostArgs } from './args';
import { capRoute } from './cap';
import { mediaRoute } from './media';
import { open311Route } from './open311';
import { tilesRoute } from './tiles';
import type { Route } from './server';

/** The routes; `args` is kept for routes that take options from the command line. */
export function hostRoutes(core: Core, _args: HostArgs): Route[] {
  return [
    // Open311 GeoReport v2 intake and status: /open311/v2/ (issue 3).
    open311Route(core),
    // CAP 1.2 official warnings: POST /api/cap (issue 5).
    capRoute(core),
    // The data directory's media folder under /media/ (issue 6: demo clips, sites without a gateway).
    mediaRoute(core),
    // The consultation's briefing PDFs (issue 7).
    {
      prefix: BRIEFING_ROUTE_PREFIX,
      handle(req, res, url) {
        const answer = briefingHttp(core.db, core.dataDir, req.method ?? 'GET', url.pathname);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      },
    },
    // The file basemap's tiles and TileJSON: /tiles/ (issue 4). --basemap is applied by the core.
    tilesRoute(core),
  ];
}
