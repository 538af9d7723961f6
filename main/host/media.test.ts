import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/log';
import { mediaRoute, parseFlv, parseRange, splitJpegs } from './media';

/** A tiny FLV: header, script tag, AVC sequence header, then video tags every 40 ms. */
function flvFile(frames: number): Buffer {
  const tag = (type: number, ts: number, body: Buffer): Buffer => {
    const head = Buffer.alloc(11);
    head[0] = type;
    head.writeUIntBE(body.length, 1, 3);
    head.writeUIntBE(ts & 0xffffff, 4, 3);
    head[7] = (ts >>> 24) & 0xff;
    const prev = Buffer.alloc(4);
    prev.writeUInt32BE(11 + body.length);
    return Buffer.concat([head, body, prev]);
  };
  const parts = [Buffer.from('FLV\x01\x01\x00\x00\x00\x09\x00\x00\x00\x00', 'latin1'), tag(18, 0, Buffer.from('meta')), tag(9, 0, Buffer.from([0x17, 0, 0, 0, 0]))];
  for (let i = 0; i < frames; i++) parts.push(tag(9, i * 40, Buffer.from([i === 0 ? 0x17 : 0x27, 1, 0, 0, 0, i])));
  return Buffer.concat(parts);
}

/** Timestamps of the video frames (not sequence headers) in an FLV byte stream. */
function frameTimes(buf: Buffer): number[] {
  const flv = parseFlv(buf);
  return flv ? flv.tags.filter((t) => !t.setup).map((t) => t.ts) : [];
}

const JPEG = (n: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(50, n), Buffer.from([0xff, 0xd9])]);

describe('the /media/ route', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-media-'));
  let server: http.Server;
  let base = '';
  const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

  beforeAll(async () => {
    fs.mkdirSync(path.join(dataDir, 'media', 'hls'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'media', 'clip.mp4'), body);
    fs.writeFileSync(path.join(dataDir, 'media', 'hls', 'index.m3u8'), '#EXTM3U\n');
    fs.writeFileSync(path.join(dataDir, 'media', 'cam.mjpeg'), Buffer.concat([JPEG(1), JPEG(2), JPEG(3)]));
    fs.writeFileSync(path.join(dataDir, 'secret.txt'), 'outside');
    fs.writeFileSync(path.join(dataDir, 'media', 'live.flv'), flvFile(5));
    const route = mediaRoute({ dataDir, log: silentLogger });
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      void route.handle(req, res, url, null);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('parses byte ranges', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('invalid');
    expect(parseRange('bytes=5-1', 100)).toBe('invalid');
    expect(parseRange('items=1-2', 100)).toBe('invalid');
  });

  it('serves files whole and by range, with types and CORS', async () => {
    const whole = await fetch(`${base}/media/clip.mp4`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(body);
    const part = await fetch(`${base}/media/clip.mp4`, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(body.subarray(10, 20));
    const bad = await fetch(`${base}/media/clip.mp4`, { headers: { range: 'bytes=2000-' } });
    expect(bad.status).toBe(416);
    const pl = await fetch(`${base}/media/hls/index.m3u8`);
    expect(pl.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const pre = await fetch(`${base}/media/clip.mp4`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toBe('range');
  });

  it('refuses paths outside the media folder and answers 404 for missing files', async () => {
    expect((await fetch(`${base}/media/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/media/nothing.mp4`)).status).toBe(404);
    expect((await fetch(`${base}/media/clip.mp4`, { method: 'POST' })).status).toBe(405);
  });

  it('streams a .flv file as live HTTP-FLV: real-time pacing, looping with rising timestamps', async () => {
    const parsed = parseFlv(flvFile(5));
    expect(parsed?.tags.map((t) => t.setup)).toEqual([true, true, false, false, false, false, false]);
    expect(parsed?.durationMs).toBe(200);
    const started = Date.now();
    const res = await fetch(`${base}/media/live.flv`);
    expect(res.headers.get('content-type')).toBe('video/x-flv');
    const reader = res.body!.getReader();
    let seen = Buffer.alloc(0);
    while (!frameTimes(seen).some((ts) => ts >= 1_000)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen = Buffer.concat([seen, Buffer.from(value)]);
    }
    await reader.cancel();
    // Two loops (0…160, 200…360) and the start of a third, in order, no sooner than real time allows.
    const times = frameTimes(seen);
    expect(times.slice(0, 11)).toEqual([0, 40, 80, 120, 160, 200, 240, 280, 320, 360, 400]);
    // Paced: frame 1000 ms is due 1000 − 500 (the lead) ms after the start, not before.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000 - 500 - 30);
    // The setup tags are sent once.
    expect(parseFlv(seen)!.tags.filter((t) => t.setup)).toHaveLength(2);
    const raw = await fetch(`${base}/media/live.flv?raw=1`);
    expect(Buffer.from(await raw.arrayBuffer())).toEqual(flvFile(5));
  });

  it('streams a .mjpeg file as live multipart MJPEG, and raw on request', async () => {
    expect(splitJpegs(Buffer.concat([Buffer.from('junk'), JPEG(1), JPEG(2)]))).toHaveLength(2);
    const res = await fetch(`${base}/media/cam.mjpeg?fps=50`);
    expect(res.headers.get('content-type')).toMatch(/^multipart\/x-mixed-replace; boundary=/);
    const reader = res.body!.getReader();
    let seen = Buffer.alloc(0);
    while ((seen.toString('latin1').match(/--cityopsframe/g) ?? []).length < 5) {
      const { value, done } = await reader.read();
      if (done) break;
      seen = Buffer.concat([seen, Buffer.from(value)]);
    }
    await reader.cancel();
    expect(splitJpegs(seen).length).toBeGreaterThanOrEqual(4);
    const raw = await fetch(`${base}/media/cam.mjpeg?raw=1`);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect((await raw.arrayBuffer()).byteLength).toBe(3 * 56);
  });
});
