/** Command-line options of the headless host (a stable interface: see DESIGN.md). */
import os from 'node:os';
import path from 'node:path';

export interface HostArgs {
  host: string;
  port: number;
  dataDir: string;
  demo: 'hangzhou' | 'none' | null; // null: hangzhou on an empty store
  demoScale: 'town' | 'district';
  mqttPort: number;
  mqttUrl: string | null;
  staticDir: string | null;
  /** --basemap FILE|URL: a PMTiles/MBTiles file or an intranet XYZ/WMTS URL template, applied at startup. */
  basemap: string | null;
}

export class ArgsError extends Error {}

/** The platform's app-data folder, as Electron's app.getPath('userData') would give. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CITYOPS_DATA_DIR) return path.resolve(env.CITYOPS_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'CityOps Wall');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'CityOps Wall');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'CityOps Wall');
}

const USAGE = `usage: npm run serve -- [--host 127.0.0.1] [--port 4870] [--data-dir DIR] [--demo hangzhou|none] [--demo-scale town|district] [--mqtt-port 1883|0] [--mqtt-url URL] [--basemap FILE.pmtiles|FILE.mbtiles|URL]`;

export function parseHostArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): HostArgs {
  const out: HostArgs = {
    host: '127.0.0.1',
    port: 4870,
    dataDir: defaultDataDir(env),
    demo: null,
    demoScale: 'town',
    mqttPort: 1883,
    mqttUrl: null,
    staticDir: null,
    basemap: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ArgsError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const port = (v: string, allowZero: boolean): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) throw new ArgsError(`${flag}: not a port number: ${v}`);
      return n;
    };
    switch (flag) {
      case '--host':
        out.host = value();
        break;
      case '--port':
        out.port = port(value(), true);
        break;
      case '--data-dir':
        out.dataDir = path.resolve(value());
        break;
      case '--demo': {
        const v = value();
        if (v !== 'hangzhou' && v !== 'none') throw new ArgsError(`--demo: expected hangzhou or none, got ${v}`);
        out.demo = v;
        break;
      }
      case '--demo-scale': {
        const v = value();
        if (v !== 'town' && v !== 'district') throw new ArgsError(`--demo-scale: expected town or district, got ${v}`);
        out.demoScale = v;
        break;
      }
      case '--mqtt-port':
        out.mqttPort = port(value(), true);
        break;
      case '--mqtt-url':
        out.mqttUrl = value();
        break;
      case '--basemap': {
        const v = value();
        out.basemap = /^https?:\/\//i.test(v) ? v : path.resolve(v);
        break;
      }
      case '--static-dir':
        out.staticDir = path.resolve(value());
        break;
      case '--help':
      case '-h':
        throw new ArgsError(USAGE);
      default:
        throw new ArgsError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return out;
}
