/** Round-trip cost of the API over the host's transports (loopback). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../main/core/core';
import { silentLogger } from '../main/core/log';
import { startHost } from '../main/host/server';
import { connectWs } from '../main/testing/wsClient';
import type { BenchResult } from './run';

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export async function benchHost(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-host-'));
  const t0 = performance.now();
  const core = await createCore({ dataDir: dir, demo: 'none', log: silentLogger, host: 'test' });
  const openMs = performance.now() - t0;
  const host = await startHost({ core, port: 0 });
  const N = 2000;
  const http: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    const res = await fetch(new URL('/api/call/system.health', host.url), { method: 'POST', body: '{}' });
    await res.json();
    http.push(performance.now() - s);
  }
  const ws = await connectWs(host.url);
  const wsTimes: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await ws.call('system.health', {});
    wsTimes.push(performance.now() - s);
  }
  await ws.close();
  await host.close();
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const params = { calls: N, method: 'system.health' };
  return [
    { name: 'core.open_empty_store', value: openMs, unit: 'ms', params: {} },
    { name: 'host.http_call_p50', value: percentile(http, 50), unit: 'ms', params },
    { name: 'host.http_call_p95', value: percentile(http, 95), unit: 'ms', params },
    { name: 'host.ws_call_p50', value: percentile(wsTimes, 50), unit: 'ms', params },
    { name: 'host.ws_call_p95', value: percentile(wsTimes, 95), unit: 'ms', params },
  ];
}
