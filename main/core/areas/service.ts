import { ApiFailure } from '../../../shared/api';
import type { CoreContext } from '../core';
import { AreaLocator } from './locator';
import { ancestorRows, geometryRows, getAreaRow, listAreaRows, levelName, toArea } from './queries';

const locators = new WeakMap<CoreContext, AreaLocator>();

/** The core's shared point → area resolver (built on first use). */
export function areaLocator(ctx: CoreContext): AreaLocator {
  let loc = locators.get(ctx);
  if (!loc) {
    loc = new AreaLocator(ctx.db);
    locators.set(ctx, loc);
  }
  return loc;
}

export function registerAreas(ctx: CoreContext): void {
  const { db, registry } = ctx;

  registry.register('areas.list', ({ level, parentId, limit }) => listAreaRows(db, { level, parentId, limit }).map(toArea));

  registry.register('areas.get', ({ id }) => {
    const row = getAreaRow(db, id);
    if (!row) throw new ApiFailure('not_found', `no area with id ${id}`, 'input.id');
    return { area: toArea(row), ancestors: ancestorRows(db, id).map(toArea) };
  });

  registry.register('areas.geometry', ({ level, within }) => {
    if (within && !getAreaRow(db, within)) throw new ApiFailure('not_found', `no area with id ${within}`, 'input.within');
    return {
      type: 'FeatureCollection' as const,
      features: geometryRows(db, level, within).map((r) => ({
        type: 'Feature' as const,
        id: r.id,
        properties: { id: r.id, name: r.name, code: r.code, level: levelName(r.level), parentId: r.parent_id, riskLevel: r.risk_level },
        geometry: JSON.parse(r.geometry) as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] },
      })),
    };
  });

  registry.register('areas.locate', ({ lon, lat }) => {
    const ids = areaLocator(ctx).path(lon, lat);
    const rows = ids.map((id) => getAreaRow(db, id)).filter((r) => r !== undefined);
    return { chain: rows.reverse().map(toArea) };
  });
}
