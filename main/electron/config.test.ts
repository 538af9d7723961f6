import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadNetworkOrigins, NETWORK_FILE, parseShellArgs, resolveDataDir } from './config';

describe('parseShellArgs', () => {
  it('defaults to the demo city, no data dir, no devtools', () => {
    expect(parseShellArgs(['/app'])).toEqual({ dataDir: null, demo: 'hangzhou', demoScale: null, basemap: null, devTools: false, problems: [] });
  });
  it('reads both flag forms and ignores Chromium switches and the app path', () => {
    const args = parseShellArgs(['.', '--no-sandbox', '--data-dir', '/srv/cityops', '--demo=none', '--enable-logging', '--demo-scale', 'district', '--devtools']);
    expect(args).toEqual({ dataDir: '/srv/cityops', demo: 'none', demoScale: 'district', basemap: null, devTools: true, problems: [] });
    expect(parseShellArgs(['--data-dir=/d']).dataDir).toBe('/d');
  });
  it('takes --basemap as a tile file (absolute) or an intranet URL template', () => {
    expect(parseShellArgs(['--basemap', 'maps/city.mbtiles']).basemap).toBe(path.resolve('maps/city.mbtiles'));
    expect(parseShellArgs(['--basemap=https://gis.local/xyz/{z}/{x}/{y}.png']).basemap).toBe('https://gis.local/xyz/{z}/{x}/{y}.png');
    expect(parseShellArgs(['--basemap']).problems).toEqual(['--basemap needs a PMTiles/MBTiles file or an XYZ/WMTS URL']);
  });
  it('reports bad values instead of throwing', () => {
    const args = parseShellArgs(['--demo', 'shanghai', '--data-dir', '--devtools', '--demo-scale=city']);
    expect(args.demo).toBe('hangzhou');
    expect(args.dataDir).toBeNull();
    expect(args.demoScale).toBeNull();
    expect(args.devTools).toBe(true);
    expect(args.problems).toHaveLength(3);
  });
});

describe('resolveDataDir', () => {
  const userData = '/home/op/.config/CityOps Wall';
  it('prefers --data-dir, then CITYOPS_DATA_DIR, then userData, always absolute', () => {
    expect(resolveDataDir({ argDir: 'data', envDir: '/env', userData, cwd: '/work' })).toBe(path.resolve('/work/data'));
    expect(resolveDataDir({ argDir: null, envDir: '/env', userData, cwd: '/work' })).toBe(path.resolve('/env'));
    expect(resolveDataDir({ argDir: null, envDir: '  ', userData, cwd: '/work' })).toBe(path.resolve(userData));
    expect(resolveDataDir({ argDir: null, envDir: undefined, userData, cwd: '/work' })).toBe(path.resolve(userData));
  });
});

describe('loadNetworkOrigins', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-network-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is fully offline without a file or environment', () => {
    expect(loadNetworkOrigins(dir, {})).toEqual({ origins: { tileOrigins: [], videoOrigins: [] }, problems: [] });
  });

  it('merges network.json and the environment, normalised and de-duplicated', () => {
    fs.writeFileSync(
      path.join(dir, NETWORK_FILE),
      JSON.stringify({ version: 1, tileOrigins: ['https://tiles.example.cn/'], videoOrigins: ['http://10.0.0.5:8080'] }),
    );
    const loaded = loadNetworkOrigins(dir, { CITYOPS_TILE_ORIGINS: 'HTTPS://tiles.example.cn, http://10.0.0.9:8000', CITYOPS_VIDEO_ORIGINS: 'ws://10.0.0.5:9000' });
    expect(loaded.origins).toEqual({
      tileOrigins: ['https://tiles.example.cn', 'http://10.0.0.9:8000'],
      videoOrigins: ['http://10.0.0.5:8080', 'ws://10.0.0.5:9000'],
    });
    expect(loaded.problems).toEqual([]);
  });

  it('reports invalid origins and files, and keeps the rest', () => {
    const loaded = loadNetworkOrigins(dir, { CITYOPS_TILE_ORIGINS: "https://ok.cn,https://a.cn;script-src 'unsafe-inline'" });
    expect(loaded.origins.tileOrigins).toEqual(['https://ok.cn']);
    expect(loaded.problems.length).toBeGreaterThan(0);
    expect(loaded.problems.join(' ')).toContain('is not an origin');

    fs.writeFileSync(path.join(dir, NETWORK_FILE), JSON.stringify({ version: 2 }));
    expect(loadNetworkOrigins(dir, {}).problems[0]).toMatch(/network\.json: version/);
    fs.writeFileSync(path.join(dir, NETWORK_FILE), 'nope');
    expect(loadNetworkOrigins(dir, {}).problems[0]).toMatch(/not valid JSON/);
  });
});
