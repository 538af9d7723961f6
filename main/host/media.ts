/**
 * GET /media/…: the data directory's media folder (<dataDir>/media), for demo clips and sites
 * without a media gateway. Byte ranges (MP4/WebM seeking), the right content types for HLS
 * (playlists, TS and fMP4 segments), FLV and MJPEG, and CORS so renderers on another origin
 * (Electron's app://, a wall on another port) can load it with hls.js / mpegts.js.
 *
 * Live emulation, so that demo clips behave like the cameras they stand in for:
 * - a `.flv` file is streamed as live HTTP-FLV: tags are sent at their timestamps (real time),
 *   looping with increasing timestamps until the client goes;
 * - a `.mjpeg` file (concatenated JPEG frames) is served as a live multipart/x-mixed-replace
 *   stream at `?fps=` frames per second (default 10), looping.
 * `?raw=1` serves either file as it is (with ranges).
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { Core } from '../core/core';
import { mediaDirOf } from '../core/video/media';
import { safeJoin, type Route } from './server';

export const MEDIA_PREFIX = '/media/';

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.flv': 'video/x-flv',
  // ?raw=1: the file itself (concatenated JPEGs)
  '.mjpeg': 'application/octet-stream',
  '.mjpg': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.aac': 'audio/aac',
};

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'range',
  'access-control-expose-headers': 'content-length, content-range, accept-ranges',
};

/** A single byte range of a file of `size` bytes, or 'invalid' (416), or null (whole file). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

/** Split concatenated JPEGs at their SOI/EOI markers. */
export function splitJpegs(buf: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let i = 0;
  while (i < buf.length - 3) {
    const soi = buf.indexOf(Buffer.from([0xff, 0xd8, 0xff]), i);
    if (soi < 0) break;
    const eoi = buf.indexOf(Buffer.from([0xff, 0xd9]), soi + 3);
    if (eoi < 0) break;
    frames.push(buf.subarray(soi, eoi + 2));
    i = eoi + 2;
  }
  return frames;
}

interface FlvTag {
  ts: number;
  /** Byte range of the tag with its trailing PreviousTagSize. */
  start: number;
  end: number;
  /** Script data or a codec sequence header: sent once, at the start. */
  setup: boolean;
}

export interface ParsedFlv {
  header: Buffer;
  tags: FlvTag[];
  /** The loop length, ms (last timestamp plus one frame). */
  durationMs: number;
  data: Buffer;
}

/** Split an FLV file into its header and tags (E.4 of the FLV spec); null when it is not FLV. */
export function parseFlv(data: Buffer): ParsedFlv | null {
  if (data.length < 13 || data.toString('latin1', 0, 3) !== 'FLV') return null;
  const headerSize = data.readUInt32BE(5);
  const tags: FlvTag[] = [];
  let i = headerSize + 4;
  let last = 0;
  let frame = 40;
  while (i + 11 <= data.length) {
    const type = data[i]! & 0x1f;
    const size = data.readUIntBE(i + 1, 3);
    const ts = (data.readUIntBE(i + 4, 3) | (data[i + 7]! << 24)) >>> 0;
    const end = i + 11 + size + 4;
    if (end > data.length) break;
    const body = i + 11;
    const setup =
      type === 18 ||
      (type === 9 && size > 1 && (data[body]! & 0x0f) === 7 && data[body + 1] === 0) ||
      (type === 8 && size > 1 && data[body]! >> 4 === 10 && data[body + 1] === 0);
    if (type === 9 && !setup && ts > last) {
      frame = Math.min(200, ts - last);
      last = ts;
    }
    tags.push({ ts, start: i, end, setup });
    i = end;
  }
  const maxTs = tags.reduce((m, t) => Math.max(m, t.ts), 0);
  return { header: data.subarray(0, headerSize + 4), tags, durationMs: maxTs + frame, data };
}

const flvCache = new Map<string, { mtimeMs: number; flv: ParsedFlv | null }>();

function flvOf(file: string, st: fs.Stats): ParsedFlv | null {
  const hit = flvCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.flv;
  const flv = parseFlv(fs.readFileSync(file));
  if (flvCache.size > 16) flvCache.clear();
  flvCache.set(file, { mtimeMs: st.mtimeMs, flv });
  return flv;
}

/** How far ahead of real time the stream starts (the first keyframe arrives at once). */
const FLV_LEAD_MS = 500;

function serveLiveFlv(req: http.IncomingMessage, res: http.ServerResponse, flv: ParsedFlv): void {
  res.writeHead(200, { ...CORS, 'content-type': 'video/x-flv', 'cache-control': 'no-store', connection: 'close' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.write(flv.header);
  for (const t of flv.tags) if (t.setup) res.write(flv.data.subarray(t.start, t.end));
  const media = flv.tags.filter((t) => !t.setup);
  if (media.length === 0) {
    res.end();
    return;
  }
  const started = Date.now();
  let index = 0;
  let loop = 0;
  const pump = (): void => {
    const due = Date.now() - started + FLV_LEAD_MS;
    // A client that does not read (a paused tab) is dropped rather than buffered without end.
    if (res.writableLength > 8 * 1024 * 1024) {
      res.destroy();
      return;
    }
    for (;;) {
      const tag = media[index]!;
      const ts = tag.ts + loop * flv.durationMs;
      if (ts > due) break;
      const copy = Buffer.from(flv.data.subarray(tag.start, tag.end));
      copy.writeUIntBE(ts & 0xffffff, 4, 3);
      copy[7] = (ts >>> 24) & 0xff;
      res.write(copy);
      index++;
      if (index >= media.length) {
        index = 0;
        loop++;
      }
    }
  };
  pump();
  const timer = setInterval(pump, 20);
  const stop = (): void => clearInterval(timer);
  req.on('close', stop);
  res.on('close', stop);
  res.on('error', stop);
}

const frameCache = new Map<string, { mtimeMs: number; frames: Buffer[] }>();

function mjpegFrames(file: string, st: fs.Stats): Buffer[] {
  const hit = frameCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.frames;
  const frames = splitJpegs(fs.readFileSync(file));
  if (frameCache.size > 16) frameCache.clear();
  frameCache.set(file, { mtimeMs: st.mtimeMs, frames });
  return frames;
}

function serveMjpeg(req: http.IncomingMessage, res: http.ServerResponse, frames: Buffer[], fps: number): void {
  const boundary = 'cityopsframe';
  res.writeHead(200, { ...CORS, 'content-type': `multipart/x-mixed-replace; boundary=${boundary}`, 'cache-control': 'no-store', connection: 'close' });
  if (req.method === 'HEAD' || frames.length === 0) {
    res.end();
    return;
  }
  let n = 0;
  const send = (): void => {
    const frame = frames[n % frames.length]!;
    n++;
    res.write(`--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`);
    res.write(frame);
    res.write('\r\n');
  };
  send();
  const timer = setInterval(send, Math.max(20, Math.round(1000 / fps)));
  const stop = (): void => clearInterval(timer);
  req.on('close', stop);
  res.on('close', stop);
  res.on('error', stop);
}

export function mediaRoute(core: Pick<Core, 'dataDir' | 'log'>, opts: { dir?: string } = {}): Route {
  const root = path.resolve(opts.dir ?? mediaDirOf(core.dataDir));
  return {
    prefix: MEDIA_PREFIX,
    handle(req, res, url) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...CORS, 'access-control-max-age': '600' }).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD, OPTIONS' }).end();
        return;
      }
      const file = safeJoin(root, url.pathname.slice(MEDIA_PREFIX.length - 1));
      if (!file) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad path');
        return;
      }
      fs.stat(file, (err, st) => {
        if (err || !st.isFile()) {
          res.writeHead(404, { ...CORS, 'content-type': 'text/plain; charset=utf-8' }).end('not found');
          return;
        }
        const ext = path.extname(file).toLowerCase();
        if ((ext === '.mjpeg' || ext === '.mjpg') && url.searchParams.get('raw') !== '1') {
          const fps = Math.min(60, Math.max(1, Number(url.searchParams.get('fps') ?? 10) || 10));
          serveMjpeg(req, res, mjpegFrames(file, st), fps);
          return;
        }
        if (ext === '.flv' && url.searchParams.get('raw') !== '1') {
          const flv = flvOf(file, st);
          if (flv) {
            serveLiveFlv(req, res, flv);
            return;
          }
        }
        const type = TYPES[ext] ?? 'application/octet-stream';
        const range = parseRange(req.headers.range, st.size);
        const common = { ...CORS, 'content-type': type, 'accept-ranges': 'bytes', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
        if (range === 'invalid') {
          res.writeHead(416, { ...common, 'content-range': `bytes */${st.size}` }).end();
          return;
        }
        const { start, end } = range ?? { start: 0, end: st.size - 1 };
        const headers = { ...common, 'content-length': st.size === 0 ? 0 : end - start + 1 };
        if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${st.size}` });
        else res.writeHead(200, headers);
        if (req.method === 'HEAD' || st.size === 0) {
          res.end();
          return;
        }
        const stream = fs.createReadStream(file, { start, end });
        stream.on('error', (e) => {
          core.log.warn('host.media_read_failed', { file, error: e.message });
          res.destroy();
        });
        res.on('close', () => stream.destroy());
        stream.pipe(res);
      });
    },
  };
}
