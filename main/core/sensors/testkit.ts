/**
 * Test helpers for monitoring: a core on a fresh data directory with a small fixture (areas,
 * departments, sensors, cameras), a real Mosquitto broker on a free loopback port, and waiting on
 * events (never blind sleeps).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EventName, EventPayload } from '../../../shared/api';
import { createCore, type Core, type CoreOptions } from '../core';
import { silentLogger } from '../log';
import { monitoringOf, type Monitoring } from './service';

export interface TestCore {
  core: Core;
  dir: string;
  m: Monitoring;
  close(): Promise<void>;
}

const square = (x: number, y: number, d: number): string => JSON.stringify({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

/**
 * Areas: city 330100 → district 330110 (120.00–120.04, 30.00–30.04) → town 330110001 →
 * community → grids G1 (120.00–120.01, 30.00–30.01) and G2 (120.01–120.02, 30.00–30.01).
 * Sensors: wl-1 water level in G1, gas-1 gas in G1, noise-1 noise in G2 (5 s intervals).
 */
export function seedMonitoringFixture(core: Core): void {
  const db = core.db;
  const now = Date.now();
  const insArea = db.prepare(`INSERT INTO areas(id, parent_id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, updated_at)
    VALUES (@id, @parent, @level, @code, @name, @cx, @cy, @x, @y, @x2, @y2, @geometry, @now)`);
  const insRtree = db.prepare('INSERT INTO areas_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const area = (id: string, parent: string | null, level: number, code: string, name: string, x: number, y: number, d: number): void => {
    const info = insArea.run({ id, parent, level, code, name, cx: x + d / 2, cy: y + d / 2, x, y, x2: x + d, y2: y + d, geometry: square(x, y, d), now });
    insRtree.run(info.lastInsertRowid, x, x + d, y, y + d);
  };
  db.transaction(() => {
    area('m-city', null, 1, '330100', '测试市', 120, 30, 0.1);
    area('m-district', 'm-city', 2, '330110', '测试区', 120, 30, 0.04);
    area('m-town', 'm-district', 3, '330110001', '测试街道', 120, 30, 0.02);
    area('m-community', 'm-town', 4, '330110001001', '测试社区', 120, 30, 0.02);
    area('m-g1', 'm-community', 5, '330110001001001', '一号网格', 120, 30, 0.01);
    area('m-g2', 'm-community', 5, '330110001001002', '二号网格', 120.01, 30, 0.01);
    const dep = db.prepare("INSERT OR IGNORE INTO departments(id, code, name, name_en, kind, updated_at) VALUES (?, ?, ?, ?, 'utility', ?)");
    dep.run('dep-SW', 'SW', '水务集团', 'Water Affairs', now);
    dep.run('dep-YJ', 'YJ', '应急管理局', 'Emergency Management', now);
    dep.run('dep-HB', 'HB', '生态环境分局', 'Ecology and Environment', now);
    const sensor = db.prepare(`INSERT INTO sensors(id, name, type, unit, department_id, grid_id, lon, lat, interval_s, thresholds, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    sensor.run('wl-1', '文一路积水点', 'water_level', 'm', 'dep-SW', 'm-g1', 120.005, 30.005, 5, JSON.stringify({ warn: 0.15, alarm: 0.25, dir: 'above' }), now);
    sensor.run('gas-1', '一号网格燃气', 'gas', '%LEL', 'dep-YJ', 'm-g1', 120.004, 30.006, 5, JSON.stringify({ warn: 10, alarm: 25, dir: 'above' }), now);
    sensor.run('noise-1', '二号网格噪声', 'noise', 'dB(A)', 'dep-HB', 'm-g2', 120.015, 30.005, 5, '{}', now);
    const cam = db.prepare(`INSERT INTO cameras(id, name, grid_id, lon, lat, kind, status, updated_at) VALUES (?, ?, ?, ?, ?, 'fixed', 'online', ?)`);
    cam.run('cam-1', '文一路口', 'm-g1', 120.006, 30.004, now);
    cam.run('cam-2', '二号网格路口', 'm-g2', 120.016, 30.006, now);
  })();
}

/**
 * A core for tests: demo none, quiet log, fast writes, timers slowed down (tests call the jobs).
 * With `dataDir`, the directory is reused (a restart) and left in place on close.
 */
export async function startTestCore(opts: Partial<CoreOptions> & { seed?: boolean } = {}): Promise<TestCore> {
  const own = opts.dataDir === undefined;
  const dir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-mon-'));
  const { seed = own, ...rest } = opts;
  const core = await createCore({
    demo: 'none',
    log: silentLogger,
    host: 'test',
    warnings: { inboxDir: null },
    ...rest,
    dataDir: dir,
    monitoring: { flushMs: 20, statusMs: 60_000, silenceCheckMs: 3_600_000, escalationCheckMs: 3_600_000, retentionMs: 3_600_000, ...rest.monitoring },
  });
  if (seed) seedMonitoringFixture(core);
  const m = monitoringOf(core);
  m.sensors.reload();
  return {
    core,
    dir,
    m,
    async close() {
      await core.close();
      if (own) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolve with the first event of this name that satisfies the predicate. */
export function waitForEvent<E extends EventName>(core: Core, name: E, predicate: (p: EventPayload<E>) => boolean = () => true, timeoutMs = 10_000): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${name}`));
    }, timeoutMs);
    const off = core.bus.subscribe((msg) => {
      if (msg.event !== name) return;
      const p = msg.payload as EventPayload<E>;
      if (!predicate(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

/** Bounded polling on a condition (for counts that grow without a dedicated event). */
export async function until(cond: () => boolean, what: string, timeoutMs = 20_000, stepMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Mosquitto {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Start Debian's mosquitto on a free loopback port; resolves once it accepts connections. */
export async function startMosquitto(): Promise<Mosquitto> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-mosq-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      // A persistent session must be able to hold everything sent while the app is down.
      'max_queued_messages 1000000',
      'max_queued_bytes 0',
      'max_inflight_messages 0',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      '',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // Ready when it accepts a TCP connection (bounded polling).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`mosquitto did not start on port ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Publish with Debian's mosquitto_pub (a client that is not ours). `lines`: one message per line (-l). */
export function mosquittoPub(port: number, topic: string, opts: { message?: string; lines?: string[]; qos?: 0 | 1 | 2 }): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', String(opts.qos ?? 1)];
    if (opts.lines) args.push('-l');
    else args.push('-m', opts.message ?? '');
    const p = spawn('mosquitto_pub', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}: ${err}`))));
    if (opts.lines) p.stdin.end(opts.lines.join('\n') + '\n');
    else p.stdin.end();
  });
}
