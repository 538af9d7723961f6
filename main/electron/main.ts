/**
 * The desktop shell's main process: one instance per data directory, the core in-process, the
 * renderer served over app://, a hardened window per configured display, and a clean shutdown.
 * Bundled by scripts/build.mjs into dist/electron/main.cjs (package.json "main").
 *
 *   electron . [--data-dir DIR] [--demo hangzhou|none] [--demo-scale town|district] [--devtools]
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, powerSaveBlocker, protocol, screen, session } from 'electron';
import type { Core } from '../core/core';
import { createLogger, type Logger } from '../core/log';
import { APP_SCHEME } from './channels';
import { loadNetworkOrigins, parseShellArgs, resolveDataDir } from './config';
import { planWindows, readDisplayConfig, writeDisplayConfig, type DisplayConfig, type Placement } from './displays';
import { bindIpc, type IpcBinding } from './ipc';
import { APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './protocol';
import { hardenSession, hardenWebContents, liveCsp, withBasemapOrigins } from './security';
import { resolveSqliteBinding, SQLITE_BINDING_ENV, useSqliteBinding } from './sqlite';
import { WindowManager } from './windows';

const args = parseShellArgs(process.argv.slice(1));
const dataDir = resolveDataDir({
  argDir: args.dataDir,
  envDir: process.env.CITYOPS_DATA_DIR,
  userData: app.getPath('userData'),
  cwd: process.cwd(),
});
// Chromium's profile (and with it the single-instance lock) lives inside the data directory:
// one running app per data directory, which is also the SQLite store's single writer.
app.setPath('userData', path.join(dataDir, 'electron'));
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let log: Logger = createLogger({ dir: null });
let core: Core | null = null;
let binding: IpcBinding | null = null;
let windows: WindowManager | null = null;
let quitting = false;
let shutdownDone = false;

function fatal(title: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  log.error('electron.fatal', { title, error: err instanceof Error ? (err.stack ?? message) : message });
  if (app.isReady()) dialog.showErrorBox('CityOps Wall', `${title}\n\n${message}\n\n${log.file ? `Log: ${log.file}` : ''}`);
  else process.stderr.write(`CityOps Wall: ${title}: ${message}\n`);
  shutdownDone = true;
  app.exit(1);
}

async function start(): Promise<void> {
  log = createLogger({ dir: dataDir });
  for (const problem of args.problems) log.warn('electron.bad_argument', { problem });
  log.info('electron.starting', { version: app.getVersion(), electron: process.versions.electron, dataDir });
  Menu.setApplicationMenu(null);

  // better-sqlite3 for Electron's ABI, if a separate build is configured (see sqlite.ts).
  const sqlite = resolveSqliteBinding({ env: process.env, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
  if (sqlite.problem) log.warn('electron.sqlite_binding', { problem: sqlite.problem });
  if (sqlite.path) {
    useSqliteBinding(app.getAppPath(), sqlite.path);
    // Worker threads (the consultation's background scoring) open the store with the same addon:
    // they inherit the environment, and workerSqliteBinding() reads it from there first.
    process.env[SQLITE_BINDING_ENV] = sqlite.path;
    log.info('electron.sqlite_binding', { path: sqlite.path, source: sqlite.source });
  }
  // Loaded only now, so that the core's better-sqlite3 import sees the binding chosen above.
  const { createCore } = await import('../core/core');
  const { mqttEnvOptions } = await import('../core/sensors/service');
  const { basemapService } = await import('../core/map/service');
  const { tileHttp } = await import('../core/map/tilehttp');
  // The embedded MQTT broker for sensor gateways, as in the headless host: CITYOPS_MQTT_PORT (0 disables,
  // default 1883) and CITYOPS_MQTT_URL for an external broker; credentials from CITYOPS_MQTT_* variables.
  const mqttPort = Number(process.env.CITYOPS_MQTT_PORT ?? 1883);
  const mqtt = {
    ...mqttEnvOptions(process.env),
    port: Number.isInteger(mqttPort) && mqttPort >= 0 && mqttPort <= 65535 ? mqttPort : 1883,
    url: process.env.CITYOPS_MQTT_URL ?? null,
  };
  core = await createCore({ dataDir, demo: args.demo, host: 'electron', log, mqtt, map: { basemap: args.basemap }, ...(args.demoScale ? { demoScale: args.demoScale } : {}) });

  const { origins, problems } = loadNetworkOrigins(dataDir, process.env);
  for (const problem of problems) log.warn('electron.network_config', { problem });
  // The file basemap's TileJSON and tiles over app://, answered by the core's tileHttp as the
  // headless host answers /tiles/. An intranet URL basemap's origin joins the configured ones
  // while it is the basemap: the CSP and the request filter read the core's current basemap,
  // so a switch through map.basemap.set applies to the next response. A page keeps the CSP it
  // was loaded with, so an open window reaches a newly chosen origin once it reloads.
  const basemap = basemapService(core);
  const networkOrigins = withBasemapOrigins(origins, () => basemap.current());
  protocol.handle(
    APP_SCHEME,
    createAppRequestHandler({
      root: path.join(app.getAppPath(), 'dist', 'renderer'),
      csp: liveCsp(networkOrigins),
      tiles: (method, pathname, origin) => tileHttp(basemap, log, method, pathname, origin),
      log,
    }),
  );
  hardenSession(session.defaultSession, networkOrigins, log);

  // A page keeps the CSP it loaded with: when a basemap switch changes the allowed origins, every
  // window loads again so it may reach the new tile server. The switch is made from the console's
  // map tab, so its operator sees the console come back on the same tab (the seat and the tab are
  // kept in the page's storage and URL); the walls are display-only and come back with the core's state.
  let originsNow = networkOrigins();
  core.bus.subscribe((message) => {
    if (message.event !== 'map.basemap') return;
    const next = networkOrigins();
    if (next === originsNow) return;
    originsNow = next;
    windows?.reloadRoles(['wall', 'console'], 'basemap origins changed');
  });

  binding = bindIpc({ registry: core.registry, bus: core.bus, ipcMain, log });

  const loaded = readDisplayConfig(dataDir);
  if (loaded.problem) log.warn('electron.displays_config', { problem: loaded.problem, using: 'the automatic layout' });
  if (loaded.migratedFrom !== null) log.info('electron.displays_config_migrated', { from: loaded.migratedFrom });
  let displayConfig: DisplayConfig = loaded.config;
  const save = (next: DisplayConfig): void => {
    displayConfig = next;
    if (!loaded.writable) return;
    try {
      writeDisplayConfig(dataDir, next);
    } catch (err) {
      log.warn('electron.displays_config_write_failed', { error: String(err) });
    }
  };
  // Write the file on first run (so operators find it) and after a migration.
  if (loaded.writable && (!loaded.existed || loaded.migratedFrom !== null)) save(displayConfig);

  windows = new WindowManager({
    preload: path.join(__dirname, 'preload.cjs'),
    binding,
    log,
    devTools: args.devTools || !app.isPackaged,
    onPlacement: (id: string, placement: Placement) => save({ ...displayConfig, placements: { ...displayConfig.placements, [id]: placement } }),
  });
  const place = (): void => {
    windows?.apply(planWindows(displayConfig, screen.getAllDisplays(), screen.getPrimaryDisplay().id));
  };
  place();
  let displayTimer: NodeJS.Timeout | null = null;
  const onDisplaysChanged = (): void => {
    if (displayTimer) clearTimeout(displayTimer);
    displayTimer = setTimeout(() => {
      displayTimer = null;
      if (!quitting) place();
    }, 500);
  };
  screen.on('display-added', onDisplaysChanged);
  screen.on('display-removed', onDisplaysChanged);
  screen.on('display-metrics-changed', onDisplaysChanged);

  // A wall never dims or sleeps while the app runs.
  powerSaveBlocker.start('prevent-display-sleep');
  log.info('electron.ready', { windows: windows.count });
}

let shutdownPromise: Promise<void> | null = null;
/** Close the IPC binding and the core once, however many times quitting is requested. */
function shutdown(): Promise<void> {
  shutdownPromise ??= closeEverything();
  return shutdownPromise;
}

async function closeEverything(): Promise<void> {
  windows?.markQuitting();
  binding?.close();
  binding = null;
  if (core) {
    const closing = core;
    core = null;
    await closing.close();
  }
  log.info('electron.stopped');
  log.close();
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    process.stdout.write(`CityOps Wall is already running for ${dataDir}: bringing it to the front.\n`);
    shutdownDone = true;
    app.quit();
    return;
  }
  app.on('second-instance', () => windows?.focus());
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    quitting = true;
    windows?.markQuitting();
  });
  app.on('will-quit', (event) => {
    if (shutdownDone) return;
    event.preventDefault();
    void shutdown()
      .catch((err: unknown) => log.error('electron.shutdown_failed', { error: String(err) }))
      .finally(() => {
        shutdownDone = true;
        app.quit();
      });
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) windows?.focus();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  process.on('uncaughtException', (err) => log.error('electron.uncaught_exception', { error: err.stack ?? err.message }));
  process.on('unhandledRejection', (reason) => log.error('electron.unhandled_rejection', { error: String(reason) }));

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fatal('CityOps Wall could not start', err));
}

main();
