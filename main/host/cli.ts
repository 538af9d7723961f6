/**
 * `npm run serve`: the headless host. Opens the store in the data directory, loads the demo city
 * into an empty store unless --demo none, serves the renderer and the API, prints its URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ArgsError, parseHostArgs } from './args';
import { createCore } from '../core/core';
import { mqttEnvOptions } from '../core/sensors/service';
import { basemapService } from '../core/map/service';
import { createLogger } from '../core/log';
import { StoreError } from '../core/db/store';
import { startHost } from './server';
import { hostRoutes } from './routes';

async function main(): Promise<void> {
  let args;
  try {
    args = parseHostArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ArgsError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger({ dir: args.dataDir });
  const staticDir = args.staticDir ?? path.resolve(__dirname, '../renderer');
  let core;
  try {
    core = await createCore({
      dataDir: args.dataDir,
      demo: args.demo ?? 'hangzhou',
      demoScale: args.demoScale,
      host: 'http',
      log,
      // --mqtt-port (0: no embedded broker) and --mqtt-url; user, password and TLS files from CITYOPS_MQTT_* variables.
      mqtt: { ...mqttEnvOptions(process.env), port: args.mqttPort, url: args.mqttUrl },
      map: { basemap: args.basemap },
    });
  } catch (err) {
    const msg = err instanceof StoreError ? err.message : `the core failed to start: ${err instanceof Error ? err.message : String(err)}`;
    log.error('host.start_failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    console.error(`CityOps Wall: ${msg}\nSee the log: ${log.file ?? '(no log file)'}`);
    process.exit(1);
  }
  const basemap = basemapService(core).current();
  if (args.basemap && (!basemap.ok || basemap.origin !== 'cli'))
    console.error(`CityOps Wall: --basemap ${args.basemap.slice(0, 200)}: ${basemap.message ?? 'not a usable tile file or URL'}; the bundled basemap is shown`);
  let running;
  try {
    running = await startHost({
      core,
      host: args.host,
      port: args.port,
      staticDir: fs.existsSync(path.join(staticDir, 'index.html')) ? staticDir : null,
      routes: hostRoutes(core, args),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const msg = code === 'EADDRINUSE' ? `port ${args.port} on ${args.host} is already in use (try --port)` : String(err);
    console.error(`CityOps Wall: cannot listen: ${msg}`);
    await core.close();
    process.exit(1);
  }
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) log.warn('host.no_renderer', { staticDir, hint: 'run npm run build' });
  log.info('host.listening', { url: running.url, dataDir: args.dataDir });
  console.log(`CityOps Wall serving at ${running.url}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info('host.stopping', { signal });
    await running.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
