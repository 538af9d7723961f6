import { getMeta, setMeta } from '../db/store';
import type { CoreContext } from '../core';
import { APP_VERSION } from '../version';
import { toShanghaiIso } from '../../../shared/time';
import type { Mode } from '../../../shared/domain/model';

const HEARTBEAT_MS = 5_000;

function readMode(ctx: CoreContext): { mode: Mode; since: number } {
  const raw = getMeta(ctx.db, 'mode');
  if (!raw) return { mode: 'normal', since: ctx.startedAt };
  const parsed = JSON.parse(raw) as { mode: Mode; since: number };
  return parsed.mode === 'emergency' || parsed.mode === 'normal' ? parsed : { mode: 'normal', since: ctx.startedAt };
}

export function registerSystem(ctx: CoreContext): void {
  const { db, registry, bus } = ctx;
  const count = (sql: string): number => (db.prepare(sql).pluck().get() as number) ?? 0;

  registry.register('system.health', () => ({
    version: APP_VERSION,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    startedAt: toShanghaiIso(ctx.startedAt),
    host: ctx.host,
  }));

  registry.register('system.info', () => {
    const { mode, since } = readMode(ctx);
    const demoRaw = getMeta(db, 'demo');
    const last = ctx.lastChangeAt() ?? (db.prepare('SELECT MAX(at) FROM change_log').pluck().get() as number | null);
    return {
      centreName: getMeta(db, 'centre_name') ?? '城市运行管理中心',
      centreNameEn: getMeta(db, 'centre_name_en') ?? 'City Operations Centre',
      mode,
      modeSince: toShanghaiIso(since),
      demo: demoRaw ? (JSON.parse(demoRaw) as { name: string }).name : null,
      rootAreaId: getMeta(db, 'root_area_id'),
      lastChangeAt: last ? toShanghaiIso(last) : null,
      counts: {
        areas: count('SELECT COUNT(*) FROM areas'),
        grids: count('SELECT COUNT(*) FROM areas WHERE level = 5'),
        cases: count('SELECT COUNT(*) FROM cases'),
        cameras: count('SELECT COUNT(*) FROM cameras'),
        sensors: count('SELECT COUNT(*) FROM sensors'),
        staff: count('SELECT COUNT(*) FROM staff'),
        departments: count('SELECT COUNT(*) FROM departments'),
      },
    };
  });

  registry.register('system.setMode', ({ mode, actor, reason }) => {
    const since = ctx.now();
    setMeta(db, 'mode', JSON.stringify({ mode, since, actor, reason }));
    ctx.log.info('system.mode_changed', { mode, actor, reason });
    ctx.touch(since);
    bus.emit('system.mode', { mode, modeSince: toShanghaiIso(since), actor });
    return { mode, modeSince: toShanghaiIso(since) };
  });

  const beat = setInterval(() => {
    const last = ctx.lastChangeAt();
    bus.emit('system.heartbeat', { at: toShanghaiIso(ctx.now()), lastChangeAt: last ? toShanghaiIso(last) : null, clients: bus.size });
  }, HEARTBEAT_MS);
  beat.unref();
  ctx.timers.add(beat);
}
