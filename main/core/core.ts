/**
 * The application core: owns the store and every service, and exposes the API contract through a
 * HandlerRegistry and an EventBus. Imports no Electron and no renderer code; both hosts
 * (main/host for HTTP/WebSocket, main/electron for IPC) wrap one Core.
 */
import { EventBus, HandlerRegistry } from './registry';
import { createLogger, type Logger } from './log';
import { openStore, type Db } from './db/store';
import { registerSystem } from './system/service';
import { registerAreas } from './areas/service';
import { registerResources } from './resources/service';
import { registerCases } from './cases/service';
import { registerVideo } from './video/service';
import { registerMonitoring, type MonitoringTuning, type MqttOptions } from './sensors/service';
import { registerWarnings, type WarningsOptions } from './warnings/service';
import { registerConsult } from './consult/service';
import { registerMap, type MapOptions } from './map/service';
import { ensureDemo, type DemoName, type DemoScale } from './demo';

export interface CoreOptions {
  dataDir: string;
  /** Load the demo city into an empty store ('hangzhou'), or not ('none'). */
  demo?: DemoName | 'none';
  demoScale?: DemoScale;
  log?: Logger;
  /** Which host runs the core (shown by system.health). */
  host?: 'http' | 'electron' | 'test';
  /** The clock, injectable for tests. */
  now?: () => number;
  /** MQTT ingest: the embedded broker (port, 0 disables) and/or an external broker (url). None when omitted. */
  mqtt?: MqttOptions;
  /** Monitoring tuning (tests, benchmarks). */
  monitoring?: MonitoringTuning;
  /** Official warnings (CAP): the watched folder (default <dataDir>/cap-inbox; null disables). */
  warnings?: WarningsOptions;
  /** The situation map (demo patrols). */
  map?: MapOptions;
}

export interface CoreContext {
  readonly db: Db;
  readonly registry: HandlerRegistry;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly dataDir: string;
  readonly now: () => number;
  readonly startedAt: number;
  readonly host: 'http' | 'electron' | 'test';
  /** Services put their periodic jobs here so close() can stop them. */
  readonly timers: Set<NodeJS.Timeout>;
  /** Hooks run when the core closes (stop brokers, flush buffers…). */
  readonly onClose: Array<() => void | Promise<void>>;
  /** Record that data changed (drives the header's data-freshness indicator). */
  touch(at?: number): void;
  lastChangeAt(): number | null;
}

export interface Core extends CoreContext {
  close(): Promise<void>;
}

export { APP_VERSION } from './version';

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? createLogger({ dir: opts.dataDir });
  const db = openStore(opts.dataDir, { log });
  const registry = new HandlerRegistry(log);
  const bus = new EventBus(log);
  let lastChange: number | null = null;
  const now = opts.now ?? Date.now;
  const ctx: CoreContext = {
    db,
    registry,
    bus,
    log,
    dataDir: opts.dataDir,
    now,
    startedAt: now(),
    host: opts.host ?? 'http',
    timers: new Set(),
    onClose: [],
    touch(at) {
      lastChange = at ?? now();
    },
    lastChangeAt: () => lastChange,
  };

  const demo = opts.demo ?? 'none';
  if (demo !== 'none') await ensureDemo(db, { name: demo, scale: opts.demoScale ?? 'town', now: now(), log });

  registerSystem(ctx);
  registerAreas(ctx);
  registerResources(ctx);
  registerCases(ctx);
  registerVideo(ctx);
  await registerMonitoring(ctx, opts.mqtt, opts.monitoring);
  registerWarnings(ctx, opts.warnings);
  registerConsult(ctx);
  await registerMap(ctx, opts.map);

  const missing = registry.missing();
  if (missing.length > 0) log.warn('core.methods_without_handler', { missing });
  log.info('core.ready', { dataDir: opts.dataDir, demo });

  let closed = false;
  return {
    ...ctx,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of ctx.timers) clearInterval(t);
      for (const hook of ctx.onClose.reverse()) await hook();
      db.close();
      log.info('core.closed');
      if (!opts.log) log.close();
    },
  };
}
