/**
 * Map benchmarks (`npm run bench -- map`), one headless Chromium run at 3840×1080 on the
 * district-scale scene (20,000 grid polygons, 18,000 cameras, 10,000 sensors, 100,000 cases in
 * the density layer, 500 moving staff with an hour of trail), generated in the bench page
 * (renderer/src/map/lab/bench.tsx) and drawn two ways on the same data and basemap:
 *   deck     — the app's map: MapView + the layer registry (binary attributes, deck.gl interleaved)
 *   maplibre — maplibre-gl alone: GeoJSON sources with fill/circle/line/heatmap layers
 * Figures: load → first complete frame; JavaScript time per update of 10,000 sensor values (and
 * the time until it is drawn); frame time of the full scene (forced frames, each synchronised
 * with the GPU); and the deck/maplibre frame-time ratio. Software GL (llvmpipe or SwiftShader)
 * makes absolute frame times meaningless: compare the ratio. Nothing here asserts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from '@playwright/test';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  params: Record<string, unknown>;
}

interface PageBench {
  variant: string;
  counts: Record<string, number>;
  firstFrameMs: Promise<number>;
  dataMs: number;
  marks: Record<string, number>;
  frames(n: number): Promise<number>;
  updateSensors(rounds: number): Promise<{ jsMs: number[]; drawnMs: number[] }>;
}

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CITYOPS_CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 3840, height: 1080 };
const FRAMES = Number(process.env.CITYOPS_BENCH_MAP_FRAMES ?? 15);
const UPDATES = Number(process.env.CITYOPS_BENCH_MAP_UPDATES ?? 8);
const BASE_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-features=Translate'];
const FAST_GL = ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
};
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.json': 'application/json' };

function serve(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const p = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''));
    if (!p.startsWith(dir) || !fs.existsSync(p) || !fs.statSync(p).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(p)] ?? 'application/octet-stream' });
    fs.createReadStream(p).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise<void>((r) => server.close(() => r())) }),
    ),
  );
}

/** Launch Chromium with llvmpipe through ANGLE when WebGL2 works that way, else with the defaults (SwiftShader). */
async function launch(): Promise<{ browser: Browser; gl: string }> {
  const fast = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...FAST_GL] });
  const page = await fast.newPage();
  const renderer = await page.evaluate(() => {
    interface Gl {
      getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
      getParameter(p: number): unknown;
    }
    const doc = (globalThis as unknown as { document: { createElement(t: string): { getContext(k: string): Gl | null } } }).document;
    const gl = doc.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'webgl2';
  });
  await page.close();
  if (renderer) return { browser: fast, gl: `angle/gl-egl: ${renderer}` };
  await fast.close();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BASE_ARGS });
  return { browser, gl: 'default (SwiftShader)' };
}

async function measure(browser: Browser, url: string, variant: 'deck' | 'maplibre') {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}bench.html?variant=${variant}`);
  await page.waitForFunction(() => (globalThis as unknown as { __mapBench?: PageBench }).__mapBench !== undefined, null, { timeout: 180_000 });
  const first = await page.evaluate(() => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.firstFrameMs);
  const counts = await page.evaluate(() => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.counts);
  const dataMs = await page.evaluate(() => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.dataMs);
  const marks = await page.evaluate(() => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.marks);
  const frame = await page.evaluate((n) => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.frames(n), FRAMES);
  const upd = await page.evaluate((n) => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.updateSensors(n), UPDATES);
  if (process.env.CITYOPS_BENCH_MAP_SHOTS) await page.screenshot({ path: path.join(process.env.CITYOPS_BENCH_MAP_SHOTS, `bench-${variant}.png`) });
  await context.close();
  if (errors.length > 0) throw new Error(`${variant}: ${errors.join('; ')}`);
  return { first, dataMs, marks: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, round(v, 0)])), counts, frame, js: median(upd.jsMs.slice(1)), drawn: median(upd.drawnMs.slice(1)) };
}

/** Load → first complete frame only (a fresh context each time), minus the synthetic data's generation in the page. */
async function firstFrameOnly(browser: Browser, url: string, variant: 'deck' | 'maplibre'): Promise<number> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await page.goto(`${url}bench.html?variant=${variant}`);
    await page.waitForFunction(() => (globalThis as unknown as { __mapBench?: PageBench }).__mapBench !== undefined, null, { timeout: 180_000 });
    const first = await page.evaluate(() => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.firstFrameMs);
    const dataMs = await page.evaluate(() => (globalThis as unknown as { __mapBench: PageBench }).__mapBench.dataMs);
    return first - dataMs;
  } finally {
    await context.close();
  }
}

const FIRST_SAMPLES = Number(process.env.CITYOPS_BENCH_MAP_FIRST_SAMPLES ?? 3);

export async function benchMap(): Promise<BenchResult[]> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-map-bench-'));
  try {
    await run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(ROOT, 'bench/map.vite.config.ts'), '--outDir', out], {
      cwd: ROOT,
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    });
    const server = await serve(out);
    const { browser, gl } = await launch();
    try {
      const deck = await measure(browser, server.url, 'deck');
      const lib = await measure(browser, server.url, 'maplibre');
      // The first frame is one load each in measure(); more loads, alternating, give a median that a
      // busy moment on a 2-core machine does not decide alone.
      const firstDeck = [deck.first - deck.dataMs];
      const firstLib = [lib.first - lib.dataMs];
      for (let i = 1; i < FIRST_SAMPLES; i++) {
        firstDeck.push(await firstFrameOnly(browser, server.url, 'deck'));
        firstLib.push(await firstFrameOnly(browser, server.url, 'maplibre'));
      }
      const params = { viewport: `${VIEWPORT.width}x${VIEWPORT.height}`, gl, ...deck.counts, frames: FRAMES, updates: UPDATES, loadAverage: os.loadavg().map((x) => round(x, 1)) };
      return [
        { name: 'map.first_frame', value: round(median(firstDeck), 0), unit: 'ms', params: { ...params, variant: 'deck', goal: '< 5000 ms', note: `navigation start to first complete frame, minus generating the synthetic data in the page; median of ${firstDeck.length} loads`, samples: firstDeck.map((x) => round(x, 0)), marks: deck.marks } },
        { name: 'map.first_frame.maplibre_only', value: round(median(firstLib), 0), unit: 'ms', params: { ...params, variant: 'maplibre', note: `median of ${firstLib.length} loads`, samples: firstLib.map((x) => round(x, 0)), marks: lib.marks } },
        { name: 'map.sensor_update.js', value: round(deck.js), unit: 'ms', params: { ...params, variant: 'deck', values: deck.counts.sensors, goal: '< 16 ms' } },
        { name: 'map.sensor_update.drawn', value: round(deck.drawn), unit: 'ms', params: { ...params, variant: 'deck', note: 'until the next frame is drawn (GPU-synchronised)' } },
        { name: 'map.sensor_update.js.maplibre_only', value: round(lib.js), unit: 'ms', params: { ...params, variant: 'maplibre', note: 'GeoJSON setData' } },
        { name: 'map.sensor_update.drawn.maplibre_only', value: round(lib.drawn), unit: 'ms', params: { ...params, variant: 'maplibre', note: 'until idle (worker re-tiles the source)' } },
        { name: 'map.frame', value: round(deck.frame), unit: 'ms', params: { ...params, variant: 'deck' } },
        { name: 'map.frame.maplibre_only', value: round(lib.frame), unit: 'ms', params: { ...params, variant: 'maplibre' } },
        { name: 'map.frame.ratio', value: round(deck.frame / lib.frame, 3), unit: 'x', params: { ...params, note: 'deck frame time / maplibre-only frame time (goal ≤ 1)' } },
      ];
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
