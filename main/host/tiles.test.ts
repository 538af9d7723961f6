import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core/core';
import { silentLogger } from '../core/log';
import { testRasterTiles, tileRange, writeTestPmtiles } from '../testing/tiles';
import { startHost, type RunningHost } from './server';
import { basemapFromArg } from '../core/map/service';
import { tilesRoute } from './tiles';

const BOX: [number, number, number, number] = [120.0, 30.1, 120.3, 30.4];
let dir: string;
let core: Core;
let host: RunningHost;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-tiles-host-'));
  writeTestPmtiles(path.join(dir, 'city.pmtiles'), { bounds: BOX, minzoom: 7, maxzoom: 9 });
  core = await createCore({ dataDir: dir, demo: 'none', host: 'test', log: silentLogger, map: { basemap: path.join(dir, 'city.pmtiles') } });
  host = await startHost({ core, port: 0, routes: [tilesRoute(core)] });
});
afterAll(async () => {
  await host.close();
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('/tiles/', () => {
  it('applies --basemap at startup and serves its TileJSON', async () => {
    const status = await core.registry.invoke('map.basemap.get', {});
    expect(status.ok && status.value).toMatchObject({ ok: true, origin: 'cli', source: { name: 'city', format: 'png' } });
    const res = await fetch(`${host.url}tiles/city.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const tj = (await res.json()) as { tilejson: string; tiles: string[]; minzoom: number; maxzoom: number; bounds: number[] };
    expect(tj.tilejson).toBe('3.0.0');
    expect(tj.tiles[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tiles\/city\/\{z\}\/\{x\}\/\{y\}\.png\?v=\d+$/);
    expect([tj.minzoom, tj.maxzoom]).toEqual([7, 9]);
    expect(tj.bounds[2]).toBeCloseTo(120.3);
  });

  it('serves tiles from the file, 204 where it has none, 404 for other names and extensions', async () => {
    const t = testRasterTiles({ bounds: BOX, minzoom: 8, maxzoom: 8 })[0]!;
    const res = await fetch(`${host.url}tiles/city/${t.z}/${t.x}/${t.y}.png?v=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(t.data)).toBe(true);
    const r = tileRange(8, BOX);
    expect((await fetch(`${host.url}tiles/city/8/${r.x1 + 5}/${r.y0}.png`)).status).toBe(204);
    expect((await fetch(`${host.url}tiles/other/8/0/0.png`)).status).toBe(404);
    expect((await fetch(`${host.url}tiles/city/8/0/0.pbf`)).status).toBe(404);
    expect((await fetch(`${host.url}tiles/city/3/9/0.png`)).status).toBe(400);
    expect((await fetch(`${host.url}tiles/../../etc/passwd`)).status).toBe(404);
  });

  it('stops serving a file once the basemap changes', async () => {
    await core.registry.invoke('map.basemap.set', { setting: { kind: 'bundled' }, actor: 't' });
    expect((await fetch(`${host.url}tiles/city.json`)).status).toBe(404);
  });
});

describe('--basemap values', () => {
  it('a value no setting can hold is logged and the core starts on the bundled style', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-tiles-bad-'));
    const c = await createCore({ dataDir: d, demo: 'none', host: 'test', log: silentLogger, map: { basemap: `http://10.1.2.3/${'x'.repeat(2_100)}` } });
    try {
      const status = await c.registry.invoke('map.basemap.get', {});
      expect(status.ok && status.value).toMatchObject({ ok: true, setting: { kind: 'bundled' } });
    } finally {
      await c.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('a missing file leaves the bundled style with a message, and the core starts', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-tiles-missing-'));
    const c = await createCore({ dataDir: d, demo: 'none', host: 'test', log: silentLogger, map: { basemap: path.join(d, 'nowhere.pmtiles') } });
    try {
      const status = await c.registry.invoke('map.basemap.get', {});
      expect(status.ok && status.value).toMatchObject({ ok: false, origin: 'cli', source: null });
      expect(status.ok && status.value.message).toContain('nowhere.pmtiles');
    } finally {
      await c.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('reads a path as a tile file and an http(s) template as an intranet URL basemap', () => {
    expect(basemapFromArg('/srv/maps/city.pmtiles').setting).toEqual({ kind: 'file', path: '/srv/maps/city.pmtiles' });
    expect(basemapFromArg('http://10.1.2.3:8080/xyz/{z}/{x}/{y}.png').setting).toMatchObject({ kind: 'url', url: 'http://10.1.2.3:8080/xyz/{z}/{x}/{y}.png', type: 'raster', tileSize: 256 });
    const tooLong = basemapFromArg(`http://10.1.2.3/${'x'.repeat(2_100)}/{z}/{x}/{y}.png`);
    expect(tooLong.setting).toBeNull();
    expect(tooLong.problem).toBeTruthy();
  });
});
