/**
 * The video end-to-end environment (also used by bench/video.bench.ts): a fresh data directory,
 * test media generated with ffmpeg into <dataDir>/media, the video lab page built on its own,
 * a core and the HTTP host serving the lab, the API and /media/ over loopback, and the cameras
 * every scenario needs. Nothing is downloaded and nothing is committed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createCore, type Core } from '../../main/core/core';
import { silentLogger } from '../../main/core/log';
import { parseHostArgs } from '../../main/host/args';
import { hostRoutes } from '../../main/host/routes';
import { startHost, type RunningHost } from '../../main/host/server';
import { destination, type CameraInput, type Stream } from '../../shared/domain/video';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

export const CHROMIUM = process.env.CITYOPS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--autoplay-policy=no-user-gesture-required',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Translate: no translate bar on zh-CN pages. WebRtcHideLocalIpsWithMdns: the WHEP test's two
  // peers live in one headless browser, where .local (mDNS) candidates do not resolve.
  '--disable-features=Translate,WebRtcHideLocalIpsWithMdns',
];

/** Where the test media go: the files make-test-media.sh writes. */
export const MEDIA = {
  hlsTs: '/media/hls-ts/index.m3u8',
  hlsFmp4: '/media/hls-fmp4/index.m3u8',
  flv: '/media/stream.flv',
  webm: '/media/clip.webm',
  mp4: '/media/clip.mp4',
  mjpeg: '/media/stream.mjpeg',
} as const;

export const CASE_POINT: [number, number] = [120.0552, 30.2795];
export const CASE_ID = 'e2e-case-1';

export interface VideoEnv {
  core: Core;
  host: RunningHost;
  /** The host's base URL, ending in '/'. */
  url: string;
  dataDir: string;
  /** A port nothing listens on (dead stream URLs). */
  deadPort: number;
  /** The lab page with a query string. */
  lab(query: Record<string, string>): string;
  save(camera: CameraInput): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Build the lab page once per output directory (vite, ~5 s). */
export async function buildLab(outDir: string): Promise<void> {
  await run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(ROOT, 'e2e/video/lab.vite.config.ts'), '--outDir', outDir], {
    cwd: ROOT,
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
}

export async function makeMedia(dir: string, seconds = 20): Promise<void> {
  await run('bash', [path.join(ROOT, 'scripts/make-test-media.sh'), dir, String(seconds)], { cwd: ROOT });
}

export interface EnvOptions {
  /** Seconds of test media (default 20). */
  mediaSeconds?: number;
}

export async function startVideoEnv(opts: EnvOptions = {}): Promise<VideoEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-video-e2e-'));
  const labDir = path.join(dataDir, 'lab');
  await Promise.all([makeMedia(path.join(dataDir, 'media'), opts.mediaSeconds ?? 20), buildLab(labDir)]);
  const core = await createCore({ dataDir, demo: 'none', host: 'test', log: silentLogger });
  const args = parseHostArgs(['--data-dir', dataDir, '--port', '0']);
  const host = await startHost({ core, port: 0, staticDir: labDir, routes: hostRoutes(core, args) });
  const deadPort = await freePort();
  const env: VideoEnv = {
    core,
    host,
    url: host.url,
    dataDir,
    deadPort,
    lab: (query) => `${host.url}?${new URLSearchParams(query).toString()}`,
    async save(camera) {
      const r = await core.registry.invoke('cameras.save', camera);
      if (!r.ok) throw new Error(`cameras.save ${camera.id}: ${r.error.message}`);
    },
    async close() {
      await host.close();
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return env;
}

const at = (from: number, dist: number): [number, number] => destination(CASE_POINT[0], CASE_POINT[1], from, dist);

/** A camera `dist` metres from the case point (direction `from`), looking `heading`. */
export function cameraNear(id: string, name: string, from: number, dist: number, heading: number, streams: Stream[], over: Partial<CameraInput> = {}): CameraInput {
  const [lon, lat] = at(from, dist);
  return { id, name, lon, lat, heading, fov: 60, kind: 'fixed', streams, ...over };
}

/** The cameras of the scenarios: one per stream kind, 16 FLV cameras on one origin, a dead one, a case with cameras around it. */
export async function seedScenarios(env: VideoEnv): Promise<void> {
  const far = (i: number): [number, number] => [120.2 + (i % 10) * 0.001, 30.4 + Math.floor(i / 10) * 0.001];
  const put = async (id: string, name: string, streams: Stream[], i: number): Promise<void> => {
    const [lon, lat] = far(i);
    await env.save({ id, name, lon, lat, heading: 0, fov: 60, kind: 'fixed', streams });
  };
  await put('cam-hls-ts', 'HLS-TS 测试', [{ kind: 'hls', url: MEDIA.hlsTs }], 0);
  await put('cam-hls-fmp4', 'HLS-fMP4 测试', [{ kind: 'hls', url: MEDIA.hlsFmp4 }], 1);
  await put('cam-flv', 'HTTP-FLV 测试', [{ kind: 'flv', url: MEDIA.flv }], 2);
  await put('cam-webm', 'WebM 测试', [{ kind: 'file', url: MEDIA.webm }], 3);
  await put('cam-mp4', 'MP4 测试', [{ kind: 'file', url: MEDIA.mp4 }], 4);
  await put('cam-mjpeg', 'MJPEG 测试', [{ kind: 'mjpeg', url: MEDIA.mjpeg }], 5);
  await put('cam-dead', '失效摄像头 西门', [{ kind: 'flv', url: `http://127.0.0.1:${env.deadPort}/live/dead.flv` }], 6);
  for (let i = 1; i <= 16; i++) {
    const n = String(i).padStart(2, '0');
    await put(`cam-flv-${n}`, `同源 FLV ${n}`, [{ kind: 'flv', url: `${MEDIA.flv}?ch=${n}` }], 10 + i);
  }
  // Around the case: three cameras see it, one stands close but faces away, one is beyond the radius.
  await env.save(cameraNear('link-south', '联动 南侧枪机', 180, 40, 0, [{ kind: 'flv', url: `${MEDIA.flv}?link=south` }]));
  await env.save(cameraNear('link-west', '联动 西侧枪机', 270, 120, 90, [{ kind: 'hls', url: MEDIA.hlsTs }]));
  await env.save(cameraNear('link-dome', '联动 东侧球机', 90, 80, 90, [{ kind: 'file', url: MEDIA.mp4 }], { kind: 'dome' }));
  await env.save(cameraNear('link-away', '背向 北侧枪机', 0, 25, 0, [{ kind: 'file', url: MEDIA.webm }]));
  await env.save(cameraNear('link-far', '远处 南侧枪机', 180, 2_000, 0, [{ kind: 'file', url: MEDIA.webm }]));
  const now = Date.now();
  env.core.db
    .prepare(
      `INSERT INTO cases(id, code, source, class_code, category_code, title, address, lon, lat, state, reported_at, updated_at)
       VALUES (?, 'E2E-0001', 'grid', '01', '0101', '文三路暴露垃圾', '文三路', ?, ?, 'dispatched', ?, ?)`,
    )
    .run(CASE_ID, CASE_POINT[0], CASE_POINT[1], now - 60_000, now);
}

/** Close the case the way the closed loop announces it: the store row, then the case.updated event. */
export async function closeCase(env: VideoEnv, id: string): Promise<void> {
  env.core.db.prepare("UPDATE cases SET state = 'closed', closed_at = ?, version = version + 1 WHERE id = ?").run(Date.now(), id);
  const r = await env.core.registry.invoke('cases.get', { id });
  if (!r.ok) throw new Error(r.error.message);
  // The detail is a summary plus more; the event's schema keeps the summary's fields.
  env.core.bus.emit('case.updated', { case: r.value, action: 'close' });
}
