import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core/core';
import { silentLogger } from '../core/log';
import { basemapService } from '../core/map/service';
import { tileHttp, TILES_PREFIX } from '../core/map/tilehttp';
import { testRasterTiles, tileRange, writeTestPmtiles } from '../testing/tiles';
import { buildCsp, liveCsp, withBasemapOrigins } from './security';
import { APP_TILES_PREFIX, createAppRequestHandler, isSpaRoute, mimeType, parseRange, resolveAppPath } from './protocol';

const root = path.resolve('/srv/app/dist/renderer');

describe('resolveAppPath', () => {
  it('maps plain paths under the root', () => {
    expect(resolveAppPath(root, '/')).toEqual({ ok: true, file: root });
    expect(resolveAppPath(root, '/index.html')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAppPath(root, '/assets/index-abc.js')).toEqual({ ok: true, file: path.join(root, 'assets', 'index-abc.js') });
    expect(resolveAppPath(root, '/./assets//a.css')).toEqual({ ok: true, file: path.join(root, 'assets', 'a.css') });
  });

  it('decodes percent-encoding per segment (Chinese file names work)', () => {
    expect(resolveAppPath(root, '/fonts/%E6%80%9D%E6%BA%90.woff2')).toEqual({ ok: true, file: path.join(root, 'fonts', '思源.woff2') });
    expect(resolveAppPath(root, '/a%20b.png')).toEqual({ ok: true, file: path.join(root, 'a b.png') });
  });

  it.each([
    '/../etc/passwd',
    '/assets/../../etc/passwd',
    '/assets/..',
    '/%2e%2e/etc/passwd',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/assets/%2e%2e/%2e%2e/secret',
    '/.%2e/secret',
    '/%2e./secret',
    '/..%2fetc%2fpasswd',
    '/%2e%2e%2f%2e%2e%2fetc',
    '/..%5c..%5cwindows%5cwin.ini',
    '/assets%5c..%5c..%5csecret',
    '/%2fetc%2fpasswd',
    '/C:%5cWindows%5cwin.ini',
    '/C:/Windows/win.ini',
    '/index.html%00.png',
  ])('refuses %s', (p) => {
    const result = resolveAppPath(root, p);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.status).toBe(403);
  });

  it('refuses malformed percent-encoding with 400', () => {
    expect(resolveAppPath(root, '/%E0%A4%A.js')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppPath(root, '/%')).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses paths that are not absolute URL paths, and a relative root', () => {
    expect(resolveAppPath(root, 'etc/passwd').ok).toBe(false);
    expect(resolveAppPath('relative/root', '/index.html').ok).toBe(false);
  });

  it('never resolves outside the root, whatever the input', () => {
    const samples = ['/a/b/../../..', '/%2e%2e%2f', '/..;/x', '/....//x', '/a/./../b', '/%252e%252e/x'];
    for (const p of samples) {
      const r = resolveAppPath(root, p);
      if (r.ok) expect(path.relative(root, r.file).startsWith('..')).toBe(false);
    }
  });
});

describe('isSpaRoute / mimeType / parseRange', () => {
  it('treats extension-less paths as routes', () => {
    expect(isSpaRoute('/')).toBe(true);
    expect(isSpaRoute('/console')).toBe(true);
    expect(isSpaRoute('/console/cases/42')).toBe(true);
    expect(isSpaRoute('/assets/app.js')).toBe(false);
    expect(isSpaRoute('/tiles/hangzhou.pmtiles')).toBe(false);
  });
  it('knows the types the renderer needs', () => {
    expect(mimeType('x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeType('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('a.wasm')).toBe('application/wasm');
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
  it('parses single byte ranges', () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

describe('the app:// request handler', () => {
  let tmp: string;
  let rendererDir: string;
  const csp = buildCsp();
  let handle: (request: Request) => Promise<Response>;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-protocol-'));
    rendererDir = path.join(tmp, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>城运</title>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1);');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'video.mp4'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'top secret');
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
    handle = createAppRequestHandler({ root: rendererDir, csp: () => csp });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const get = (url: string, init?: RequestInit): Promise<Response> => handle(new Request(url, init));

  it('serves index.html at / with the CSP', async () => {
    const res = await get('app://cityops/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('城运');
  });

  it('routes the console (and deeper SPA paths) to index.html', async () => {
    for (const url of ['app://cityops/console', 'app://cityops/console/cases/42']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>');
    }
  });

  it('serves assets with their type, and 404s a missing asset instead of sending index.html', async () => {
    const js = await get('app://cityops/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(csp);
    expect(await js.text()).toBe('console.log(1);');
    const missing = await get('app://cityops/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(csp);
  });

  it('refuses traversal, encoded or not, and never returns the file outside', async () => {
    for (const url of [
      'app://cityops/%2e%2e/secret.txt',
      'app://cityops/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://cityops/..%5csecret.txt',
      'app://cityops/assets/..%2f..%2fsecret.txt',
    ]) {
      const res = await get(url);
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('top secret');
    }
    // The URL parser itself removes plain dot segments: the request stays inside the root.
    const normalised = await get('app://cityops/../../secret.txt');
    expect(await normalised.text()).not.toContain('top secret');
  });

  it('refuses a symbolic link that points outside the root', async () => {
    const res = await get('app://cityops/assets/link.txt');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('top secret');
  });

  it('answers other hosts, schemes and methods with errors', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://cityops/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('supports HEAD and single byte ranges', async () => {
    const head = await get('app://cityops/assets/video.mp4', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('256');
    expect(head.headers.get('accept-ranges')).toBe('bytes');

    const part = await get('app://cityops/assets/video.mp4', { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/256');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

    const tail = await get('app://cityops/assets/video.mp4', { headers: { range: 'bytes=-2' } });
    expect([...new Uint8Array(await tail.arrayBuffer())]).toEqual([254, 255]);

    const bad = await get('app://cityops/assets/video.mp4', { headers: { range: 'bytes=300-' } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */256');
  });

  it('streams large files, ranges included', async () => {
    const streaming = createAppRequestHandler({ root: rendererDir, csp: () => csp, wholeFileLimit: 0 });
    const whole = await streaming(new Request('app://cityops/assets/video.mp4'));
    expect(whole.status).toBe(200);
    expect(new Uint8Array(await whole.arrayBuffer()).length).toBe(256);
    const part = await streaming(new Request('app://cityops/assets/video.mp4', { headers: { range: 'bytes=250-' } }));
    expect(part.status).toBe(206);
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([250, 251, 252, 253, 254, 255]);
  });

  it('reads the CSP for every response (a configuration change applies at once)', async () => {
    let current = "default-src 'self'";
    const dynamic = createAppRequestHandler({ root: rendererDir, csp: () => current });
    expect((await dynamic(new Request('app://cityops/'))).headers.get('content-security-policy')).toBe("default-src 'self'");
    current = "default-src 'none'";
    expect((await dynamic(new Request('app://cityops/'))).headers.get('content-security-policy')).toBe("default-src 'none'");
  });
});

describe('the app:// basemap tiles (the core’s tileHttp over a real PMTiles file)', () => {
  const BOX: [number, number, number, number] = [120.0, 30.1, 120.3, 30.4];
  let tmp: string;
  let dataDir: string;
  let core: Core;
  let handle: (request: Request) => Promise<Response>;
  let currentCsp: () => string;
  const get = (url: string, init?: RequestInit): Promise<Response> => handle(new Request(url, init));
  const setBasemap = async (setting: unknown): Promise<void> => {
    const r = await core.registry.invoke('map.basemap.set', { setting, actor: 'test' });
    expect(r.ok).toBe(true);
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-protocol-tiles-'));
    const rendererDir = path.join(tmp, 'renderer');
    dataDir = path.join(tmp, 'data');
    fs.mkdirSync(rendererDir, { recursive: true });
    fs.mkdirSync(path.join(dataDir, 'basemaps'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>城运</title>');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'top secret');
    writeTestPmtiles(path.join(dataDir, 'basemaps', 'city.pmtiles'), { bounds: BOX, minzoom: 7, maxzoom: 9 });
    core = await createCore({ dataDir, demo: 'none', host: 'test', log: silentLogger });
    // As main.ts wires it: the core's BasemapService behind tileHttp, the CSP from the current basemap.
    const basemap = basemapService(core);
    currentCsp = liveCsp(withBasemapOrigins({ tileOrigins: ['https://tiles.example.cn'], videoOrigins: [] }, () => basemap.current()));
    handle = createAppRequestHandler({
      root: rendererDir,
      csp: currentCsp,
      tiles: (method, pathname, origin) => tileHttp(basemap, silentLogger, method, pathname, origin),
    });
    await setBasemap({ kind: 'file', path: 'basemaps/city.pmtiles' });
  });
  afterAll(async () => {
    await core.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('routes the same prefix as the core', () => {
    expect(APP_TILES_PREFIX).toBe(TILES_PREFIX);
  });

  it('serves the TileJSON with tile URLs on the app:// origin', async () => {
    const res = await get('app://cityops/tiles/city.json?v=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(currentCsp());
    const tj = (await res.json()) as { tilejson: string; tiles: string[]; minzoom: number; maxzoom: number; format: string };
    expect(tj.tilejson).toBe('3.0.0');
    expect(tj.tiles).toHaveLength(1);
    expect(tj.tiles[0]).toMatch(/^app:\/\/cityops\/tiles\/city\/\{z\}\/\{x\}\/\{y\}\.png\?v=\d+$/);
    expect([tj.minzoom, tj.maxzoom, tj.format]).toEqual([7, 9, 'png']);
  });

  it('serves a tile’s bytes with its content type and the CSP', async () => {
    const tile = testRasterTiles({ bounds: BOX, minzoom: 8, maxzoom: 8 })[0]!;
    const res = await get(`app://cityops/tiles/city/${tile.z}/${tile.x}/${tile.y}.png?v=2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(tile.data.length));
    expect(res.headers.get('content-security-policy')).toBe(currentCsp());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(tile.data)).toBe(true);
  });

  it('answers HEAD with the headers and no body', async () => {
    const tile = testRasterTiles({ bounds: BOX, minzoom: 9, maxzoom: 9 })[0]!;
    const head = await get(`app://cityops/tiles/city/${tile.z}/${tile.x}/${tile.y}.png`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(head.headers.get('content-length')).toBe(String(tile.data.length));
    expect(head.headers.get('content-security-policy')).toBe(currentCsp());
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const tj = await get('app://cityops/tiles/city.json', { method: 'HEAD' });
    expect(tj.status).toBe(200);
    expect(Number(tj.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await tj.text()).toBe('');
  });

  it('answers a tile the file lacks, other names, extensions and coordinates as tileHttp does', async () => {
    const r = tileRange(8, BOX);
    const missing = await get(`app://cityops/tiles/city/8/${r.x1 + 5}/${r.y0}.png`);
    expect(missing.status).toBe(204);
    expect(missing.headers.get('content-security-policy')).toBe(currentCsp());
    expect(await missing.text()).toBe('');
    const otherName = await get('app://cityops/tiles/other/8/0/0.png');
    expect(otherName.status).toBe(404);
    expect(otherName.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await otherName.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await get('app://cityops/tiles/city/8/0/0.pbf')).status).toBe(404);
    expect((await get('app://cityops/tiles/other.json')).status).toBe(404);
    const outside = await get('app://cityops/tiles/city/3/9/0.png');
    expect(outside.status).toBe(400);
    expect(outside.headers.get('content-security-policy')).toBe(currentCsp());
  });

  it('keeps the traversal guard: nothing under /tiles/ or elsewhere reaches a file outside', async () => {
    for (const url of ['app://cityops/tiles/..%2f..%2fsecret.txt', 'app://cityops/tiles/%2e%2e/%2e%2e/secret.txt', 'app://cityops/tiles/city/..%2f..%2f..%2fsecret.txt']) {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('top secret');
    }
    for (const url of ['app://cityops/..%5csecret.txt', 'app://cityops/assets/..%2f..%2fsecret.txt', 'app://cityops/tile/..%2f..%2fsecret.txt']) {
      const res = await get(url);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-security-policy')).toBe(currentCsp());
      expect(await res.text()).not.toContain('top secret');
    }
    // The renderer is still served beside the tiles.
    expect(await (await get('app://cityops/console')).text()).toContain('城运');
  });

  it('follows a basemap switch: no tiles after a switch away, a URL basemap’s origin in the next CSP', async () => {
    const connect = (csp: string | null): string[] => (csp ?? '').split(';').find((d) => d.trim().startsWith('connect-src'))?.trim().split(/\s+/) ?? [];
    const img = (csp: string | null): string[] => (csp ?? '').split(';').find((d) => d.trim().startsWith('img-src'))?.trim().split(/\s+/) ?? [];
    const before = (await get('app://cityops/')).headers.get('content-security-policy');
    expect(connect(before)).toContain('https://tiles.example.cn');
    expect(connect(before)).not.toContain('http://10.1.2.3:8080');

    await setBasemap({ kind: 'url', url: 'HTTP://10.1.2.3:8080/wmts/city/default/GoogleMapsCompatible/{TileMatrix}/{TileRow}/{TileCol}.png?token=x' });
    expect((await get('app://cityops/tiles/city.json')).status).toBe(404);
    const during = (await get('app://cityops/')).headers.get('content-security-policy');
    expect(connect(during)).toEqual(["connect-src", "'self'", 'data:', 'blob:', 'https://tiles.example.cn', 'http://10.1.2.3:8080']);
    expect(img(during)).toContain('http://10.1.2.3:8080');
    expect(during).not.toContain('token');

    await setBasemap({ kind: 'bundled' });
    expect(connect((await get('app://cityops/')).headers.get('content-security-policy'))).not.toContain('http://10.1.2.3:8080');
  });
});

describe('the app:// handler’s tiles option', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-protocol-tiles-opt-'));
    fs.mkdirSync(path.join(tmp, 'tiles'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'tiles', 'note.txt'), 'a file');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('without it, /tiles/ paths are files like any other', async () => {
    const plain = createAppRequestHandler({ root: tmp, csp: () => 'x' });
    expect(await (await plain(new Request('app://cityops/tiles/note.txt'))).text()).toBe('a file');
  });

  it('passes the method, the encoded path and the app:// origin; a failure is a 500 with the CSP', async () => {
    const seen: string[][] = [];
    const answering = createAppRequestHandler({
      root: tmp,
      csp: () => 'x',
      tiles: (method, pathname, origin) => {
        seen.push([method, pathname, origin]);
        return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' });
      },
    });
    await answering(new Request('app://CITYOPS/tiles/a%20b.json?v=3', { method: 'HEAD' }));
    expect(seen).toEqual([['HEAD', '/tiles/a%20b.json', 'app://cityops']]);
    expect((await answering(new Request('app://cityops/tiles/x.json', { method: 'POST', body: '1' }))).status).toBe(405);
    expect(seen).toHaveLength(1);

    const failing = createAppRequestHandler({ root: tmp, csp: () => 'x', tiles: () => Promise.reject(new Error('disk gone')) });
    const res = await failing(new Request('app://cityops/tiles/city/1/0/0.png'));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-security-policy')).toBe('x');
  });
});
