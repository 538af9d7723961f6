import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from './security';
import { createAppRequestHandler, isSpaRoute, mimeType, parseRange, resolveAppPath } from './protocol';

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
