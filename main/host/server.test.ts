import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core/core';
import { silentLogger } from '../core/log';
import { connectWs } from '../testing/wsClient';
import { defineContractSuite } from '../testing/contractSuite';
import { safeJoin, startHost, type RunningHost } from './server';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-host-'));

async function boot(staticDir: string | null = null): Promise<{ core: Core; host: RunningHost; dir: string }> {
  const dir = tmp();
  const core = await createCore({ dataDir: dir, demo: 'none', log: silentLogger, host: 'test' });
  const host = await startHost({ core, port: 0, staticDir });
  return { core, host, dir };
}

defineContractSuite('the HTTP/WebSocket host', async () => {
  const { core, host, dir } = await boot();
  const client = await connectWs(host.url);
  return {
    client,
    core,
    async teardown() {
      await client.close();
      await host.close();
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('the HTTP host', () => {
  let core: Core;
  let host: RunningHost;
  let dir: string;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = tmp();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>wall</title>');
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    ({ core, host, dir } = await boot(staticDir));
  });
  afterAll(async () => {
    await host.close();
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  const post = (method: string, body: string): Promise<Response> =>
    fetch(new URL(`/api/call/${method}`, host.url), { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('answers GET /api/health with ok and the version once the store is open', async () => {
    const res = await fetch(new URL('/api/health', host.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('answers POST /api/call/<method> with the envelope', async () => {
    const res = await post('system.info', '{}');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { mode: string } };
    expect(body.ok).toBe(true);
    expect(body.value.mode).toBe('normal');
  });

  it('refuses malformed JSON, wrong verbs and unknown methods with clear codes', async () => {
    const bad = await post('system.info', '{"oops"');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'validation' } });
    const get = await fetch(new URL('/api/call/system.info', host.url));
    expect(get.status).toBe(405);
    const unknown = await post('system.explode', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const invalid = await post('cases.list', '{"limit": 100000}');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.limit' } });
    // the host is still up and answering after all of that
    expect((await fetch(new URL('/api/health', host.url))).status).toBe(200);
  });

  it('answers malformed WebSocket messages without dropping the connection', async () => {
    const client = await connectWs(host.url);
    const raw = await import('ws');
    const ws = new raw.WebSocket(new URL('/api/ws', host.url.replace('http', 'ws')));
    await new Promise((r) => ws.once('open', r));
    const reply = new Promise<unknown>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send('not json');
    expect(await reply).toMatchObject({ type: 'result', id: null, result: { ok: false, error: { code: 'validation' } } });
    const reply2 = new Promise<unknown>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ id: 7, method: 'system.health', input: {} }));
    expect(await reply2).toMatchObject({ type: 'result', id: 7, result: { ok: true } });
    ws.close();
    await client.close();
  });

  it('serves the renderer pages and assets, 404s the rest, refuses traversal', async () => {
    for (const p of ['/', '/wall', '/console']) {
      const res = await fetch(new URL(p, host.url));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>wall</title>');
    }
    const asset = await fetch(new URL('/assets/app.js', host.url));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(new URL('/tiles/1/2/3.pbf', host.url))).status).toBe(404);
    expect((await fetch(new URL('/api/nothing', host.url))).status).toBe(404);
    expect(safeJoin(staticDir, '/../../etc/passwd')).not.toBe('/etc/passwd');
    expect(safeJoin(staticDir, '/%2e%2e/%2e%2e/etc/passwd')?.startsWith(staticDir)).toBe(true);
    expect(safeJoin(staticDir, '/a%00b')).toBeNull();
    expect(safeJoin(staticDir, '/%E0%A4%A')).toBeNull();
  });
});
