/** Extra HTTP routes that capabilities mount on the host (Open311, CAP, basemap tiles…). */
import type { Core } from '../core/core';
import type { HostArgs } from './args';
import type { Route } from './server';

export async function hostRoutes(_core: Core, _args: HostArgs): Promise<Route[]> {
  return [];
}
