/**
 * The situation map's services (issue 4): the walls' shared map state, saved views, the
 * basemap (served by the host under /tiles/), and the map's compact data (cases at a moment,
 * density, trails, dispatch arcs, search). In the demo city, patrols report positions.
 */
import { ApiFailure } from '../../../shared/api';
import { basemapSettingSchema, type BasemapSetting } from '../../../shared/domain/map';
import type { CoreContext } from '../core';
import { readDemoMarker } from '../demo';
import { BasemapService } from './basemap';
import { mapAlarms } from './alarms';
import { mapCases, mapDispatches, mapHeat } from './cases';
import { Patrol, PATROL_STEP_MS } from './patrol';
import { searchMap } from './search';
import { readMapState, updateMapState } from './state';
import { prunePositions, mapTrails, recordPositions } from './trails';
import { deleteView, listViews, saveView } from './views';

export interface MapOptions {
  /** Demo patrols: how many staff walk (default 500; 0 disables). */
  patrolCount?: number;
  /**
   * The basemap given on the command line (--basemap FILE|URL of either host): applied at startup
   * and kept like a setting chosen in the console. Unusable: the bundled style, with the message.
   */
  basemap?: string | null;
}

/**
 * The setting a --basemap value stands for: an http(s) template is an intranet URL basemap,
 * anything else a tile file; null (with the reason) for a value no setting can hold.
 */
export function basemapFromArg(value: string): { setting: BasemapSetting | null; problem: string | null } {
  const parsed = basemapSettingSchema.safeParse(/^https?:\/\//i.test(value) ? { kind: 'url', url: value } : { kind: 'file', path: value });
  return parsed.success ? { setting: parsed.data, problem: null } : { setting: null, problem: parsed.error.issues.map((i) => i.message).join('; ') };
}

/** Keyed by the store: createCore() hands out a copy of the context, the store is the same. */
const services = new WeakMap<CoreContext['db'], BasemapService>();

/** The core's basemap service (for the host's /tiles/ route). */
export function basemapService(ctx: CoreContext): BasemapService {
  const s = services.get(ctx.db);
  if (!s) throw new Error('the map service is not registered in this core');
  return s;
}

export async function registerMap(ctx: CoreContext, opts: MapOptions = {}): Promise<void> {
  const { db, registry, bus, log } = ctx;
  const basemap = new BasemapService(db, ctx.dataDir, log, ctx.now);
  services.set(db, basemap);
  await basemap.load();
  if (opts.basemap) {
    const { setting, problem } = basemapFromArg(opts.basemap);
    const status = setting ? await basemap.set(setting, 'cli') : null;
    if (status?.ok) log.info('map.basemap_from_command_line', { value: opts.basemap });
    else log.warn('map.basemap_unusable', { value: opts.basemap.slice(0, 300), message: status?.message ?? problem });
  }
  ctx.onClose.push(() => basemap.close());

  registry.register('map.state.get', () => readMapState(db, log));
  registry.register('map.state.update', (input) => {
    const env = updateMapState(db, log, input, ctx.now());
    bus.emit('map.state', env);
    return env;
  });

  registry.register('map.views.list', () => listViews(db, log));
  registry.register('map.views.save', (input) => {
    const view = saveView(db, input, ctx.now());
    log.info('map.view_saved', { id: view.id, name: view.name, actor: input.actor });
    bus.emit('map.views', { id: view.id, op: 'save' });
    return view;
  });
  registry.register('map.views.delete', ({ id, actor }) => {
    deleteView(db, id);
    log.info('map.view_deleted', { id, actor });
    bus.emit('map.views', { id, op: 'delete' });
    return { id };
  });

  registry.register('map.basemap.get', () => basemap.current());
  registry.register('map.basemap.set', async ({ setting, actor }) => {
    const status = await basemap.set(setting, 'settings');
    log.info('map.basemap_set', { kind: setting.kind, ok: status.ok, actor });
    bus.emit('map.basemap', status);
    return status;
  });
  registry.register('map.basemap.files', () => ({ dir: basemap.filesDir, files: basemap.listFiles() }));

  registry.register('map.cases', (input) => mapCases(db, input, ctx.now()));
  registry.register('map.alarms', (input) => mapAlarms(db, input, ctx.now()));
  registry.register('map.heat', (input) => mapHeat(db, input, ctx.now()));
  registry.register('map.trails', (input) => mapTrails(db, input, ctx.now()));
  registry.register('map.dispatches', (input) => mapDispatches(db, input, ctx.now()));
  registry.register('map.search', ({ text, limit }) => searchMap(db, text, limit));
  registry.register('map.positions.report', ({ positions }) => {
    const now = ctx.now();
    const rows = positions.map((p) => {
      const at = p.at === undefined ? now : Date.parse(p.at);
      if (at > now + 5 * 60_000) throw new ApiFailure('validation', `a position of ${p.staffId} is in the future`, 'input.positions');
      return { staffId: p.staffId, lon: p.lon, lat: p.lat, at };
    });
    const r = recordPositions(db, rows);
    if (r.stored > 0) ctx.touch(now);
    return r;
  });

  const keep = (t: NodeJS.Timeout): void => {
    t.unref();
    ctx.timers.add(t);
  };
  keep(setInterval(() => prunePositions(db, ctx.now()), 3_600_000));

  const count = opts.patrolCount ?? 500;
  if (count > 0 && readDemoMarker(db)) {
    const patrol = new Patrol(db, count);
    const filled = patrol.backfill(db, ctx.now());
    log.info('map.patrol_started', { movers: patrol.size, backfilled: filled });
    keep(
      setInterval(() => {
        try {
          patrol.tick(db, ctx.now());
        } catch (err) {
          log.warn('map.patrol_failed', { error: err instanceof Error ? err.message : String(err) });
        }
      }, PATROL_STEP_MS),
    );
  }
}
