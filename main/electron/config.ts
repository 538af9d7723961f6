/**
 * The desktop shell's own settings: command-line arguments, the data directory, and the network
 * origins the renderer may reach (`network.json`, versioned, plus environment overrides).
 * Pure except for reading network.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { normalizeOrigin, type NetworkOrigins } from './security';

export const DEMOS = ['hangzhou', 'none'] as const;
export type DemoChoice = (typeof DEMOS)[number];
export const DEMO_SCALES = ['town', 'district'] as const;
export type DemoScaleChoice = (typeof DEMO_SCALES)[number];

export interface ShellArgs {
  dataDir: string | null;
  demo: DemoChoice;
  /** Size of the demo city (as `npm run serve -- --demo-scale`); null: the core's default. */
  demoScale: DemoScaleChoice | null;
  /** A street basemap to apply at startup (as `npm run serve -- --basemap`): a tile file (absolute) or a URL template. */
  basemap: string | null;
  /** Open the developer tools (also allowed when the app is not packaged). */
  devTools: boolean;
  problems: string[];
}

/**
 * Read our flags from the process arguments (Chromium's own switches and the app path are
 * ignored): `--data-dir DIR`, `--demo hangzhou|none`, `--demo-scale town|district`, `--basemap FILE|URL`, `--devtools`.
 * Both `--flag value` and `--flag=value` work.
 */
export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = { dataDir: null, demo: 'hangzhou', demoScale: null, basemap: null, devTools: false, problems: [] };
  const valueOf = (i: number, name: string): { value: string | null; skip: number } => {
    const arg = argv[i] ?? '';
    if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), skip: 0 };
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) return { value: null, skip: 0 };
    return { value: next, skip: 1 };
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--data-dir' || arg.startsWith('--data-dir=')) {
      const { value, skip } = valueOf(i, '--data-dir');
      if (value) out.dataDir = value;
      else out.problems.push('--data-dir needs a directory');
      i += skip;
    } else if (arg === '--demo' || arg.startsWith('--demo=')) {
      const { value, skip } = valueOf(i, '--demo');
      if (value === 'hangzhou' || value === 'none') out.demo = value;
      else out.problems.push(`--demo must be one of ${DEMOS.join(', ')}`);
      i += skip;
    } else if (arg === '--demo-scale' || arg.startsWith('--demo-scale=')) {
      const { value, skip } = valueOf(i, '--demo-scale');
      if (value === 'town' || value === 'district') out.demoScale = value;
      else out.problems.push(`--demo-scale must be one of ${DEMO_SCALES.join(', ')}`);
      i += skip;
    } else if (arg === '--basemap' || arg.startsWith('--basemap=')) {
      const { value, skip } = valueOf(i, '--basemap');
      if (value) out.basemap = /^https?:\/\//i.test(value) ? value : path.resolve(value);
      else out.problems.push('--basemap needs a PMTiles/MBTiles file or an XYZ/WMTS URL');
      i += skip;
    } else if (arg === '--devtools') {
      out.devTools = true;
    }
  }
  return out;
}

/** `--data-dir`, else CITYOPS_DATA_DIR, else Electron's userData folder; always absolute. */
export function resolveDataDir(args: { argDir: string | null; envDir: string | undefined; userData: string; cwd: string }): string {
  const chosen = args.argDir ?? (args.envDir && args.envDir.trim() !== '' ? args.envDir : null) ?? args.userData;
  return path.resolve(args.cwd, chosen);
}

export const NETWORK_FILE = 'network.json';

const networkConfigSchema = z
  .object({
    version: z.literal(1),
    tileOrigins: z.array(z.string().max(300)).max(64).default([]),
    videoOrigins: z.array(z.string().max(300)).max(256).default([]),
  })
  .strict();

export interface LoadedOrigins {
  origins: NetworkOrigins;
  problems: string[];
}

const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Keep the valid origins of a list, reporting the others. */
export function cleanOrigins(list: readonly string[], where: string, problems: string[]): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const origin = normalizeOrigin(raw);
    if (origin === null) problems.push(`${where}: "${raw}" is not an origin such as https://tiles.example.cn or http://10.0.0.5:8080`);
    else if (!out.includes(origin)) out.push(origin);
  }
  return out;
}

/**
 * The origins the renderer may reach besides itself: network.json in the data directory
 * (`{"version":1,"tileOrigins":[…],"videoOrigins":[…]}`) plus CITYOPS_TILE_ORIGINS and
 * CITYOPS_VIDEO_ORIGINS (comma-separated). A missing file means none (fully offline).
 */
export function loadNetworkOrigins(dataDir: string, env: Readonly<Record<string, string | undefined>>): LoadedOrigins {
  const problems: string[] = [];
  let tiles: string[] = [];
  let video: string[] = [];
  const file = path.join(dataDir, NETWORK_FILE);
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`cannot read ${file}: ${String(err)}`);
  }
  if (text !== null) {
    let raw: unknown = null;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      problems.push(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (raw !== null) {
      const parsed = networkConfigSchema.safeParse(raw);
      if (parsed.success) {
        tiles = parsed.data.tileOrigins;
        video = parsed.data.videoOrigins;
      } else {
        const issue = parsed.error.issues[0];
        problems.push(`${file}: ${issue ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
      }
    }
  }
  const tileOrigins = cleanOrigins([...tiles, ...splitList(env.CITYOPS_TILE_ORIGINS)], 'tile origins', problems);
  const videoOrigins = cleanOrigins([...video, ...splitList(env.CITYOPS_VIDEO_ORIGINS)], 'video origins', problems);
  return { origins: { tileOrigins, videoOrigins }, problems };
}
