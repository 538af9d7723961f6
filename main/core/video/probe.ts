/**
 * The host-side stream probe: is the stream reachable, is it what its kind says, and (for live
 * sources that can be watched cheaply) are frames advancing? Players in browsers report what they
 * see; the probe tells "the source is down" apart from "this browser cannot play it", and drives
 * the retry back-off for streams that failed.
 *
 * Root-relative URLs under /media/ are the host's own media folder and are checked on disk.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';
import type { Stream } from '../../../shared/domain/video';

export interface ProbeResult {
  ok: boolean;
  /** The source answered (true even for an HTTP error); false when it could not be reached; null when not probed. */
  reachable: boolean | null;
  framesAdvancing: boolean | null;
  detail: string;
}

export interface ProbeOptions {
  /** The folder the host serves under /media/. */
  mediaDir: string;
  /** Connect/answer timeout, ms (default 5 s). */
  timeoutMs?: number;
  /** How long to watch a live source for progress, ms (default 3 s). */
  watchMs?: number;
  signal?: AbortSignal;
}

const MEDIA_PREFIX = '/media/';

const fail = (detail: string, reachable: boolean | null = false): ProbeResult => ({ ok: false, reachable, framesAdvancing: null, detail });
const good = (detail: string, framesAdvancing: boolean | null = null): ProbeResult => ({ ok: true, reachable: true, framesAdvancing, detail });

/** Does the start of the bytes look like the stream kind? (null: fine; else what is wrong) */
export function magicProblem(kind: Stream['kind'], head: Uint8Array): string | null {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  switch (kind) {
    case 'flv':
      return ascii(0, 3) === 'FLV' ? null : 'not an FLV stream (no FLV header)';
    case 'file': {
      if (ascii(4, 8) === 'ftyp') return null;
      if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return null;
      return 'not an MP4 or WebM file';
    }
    case 'mjpeg': {
      if (head[0] === 0xff && head[1] === 0xd8) return null;
      return ascii(0, Math.min(head.length, 200)).includes('--') ? null : 'not an MJPEG stream';
    }
    case 'hls':
      return ascii(0, 7) === '#EXTM3U' ? null : 'not an HLS playlist (no #EXTM3U)';
    case 'webrtc':
      return null;
  }
}

function errorText(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : null;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code) return `network error (${code})`;
  return err instanceof Error ? err.message : String(err);
}

async function probeLocal(stream: Stream, opts: ProbeOptions): Promise<ProbeResult> {
  const rel = decodeURIComponent(stream.url.split(/[?#]/)[0]!.slice(MEDIA_PREFIX.length));
  const root = path.resolve(opts.mediaDir);
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return fail('path outside the media folder');
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return fail(`not found: ${stream.url}`);
  }
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, 64, 0);
    const problem = magicProblem(stream.kind, head.subarray(0, bytesRead));
    if (problem) return fail(problem, true);
  } finally {
    await handle.close();
  }
  if (stream.kind === 'hls') {
    const text = await fs.readFile(file, 'utf8');
    const first = text.split(/\r?\n/).find((l) => l.length > 0 && !l.startsWith('#'));
    if (!first) return fail('the playlist lists no segments', true);
    try {
      await fs.access(path.resolve(path.dirname(file), first));
    } catch {
      return fail(`segment missing: ${first}`, true);
    }
  }
  return good('local media file');
}

/** GET with a timeout on the answer; the body is the caller's to read or cancel. */
async function get(url: string, opts: ProbeOptions, init: RequestInit = {}): Promise<{ res: Response; abort: AbortController }> {
  const abort = new AbortController();
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const onOuterAbort = (): void => abort.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const res = await fetch(url, { ...init, signal: abort.signal, redirect: 'follow' });
    return { res, abort };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Read from a body until `enough` says so or watchMs passes; then cancel it. */
async function readFor(res: Response, abort: AbortController, watchMs: number, enough: (bytes: Uint8Array, total: number) => boolean): Promise<{ head: Uint8Array; total: number }> {
  const reader = res.body?.getReader();
  if (!reader) return { head: new Uint8Array(), total: 0 };
  const chunks: Uint8Array[] = [];
  let total = 0;
  const timer = setTimeout(() => abort.abort(), watchMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      total += value.length;
      if (chunks.reduce((n, c) => n + c.length, 0) < 65_536) chunks.push(value);
      const all = Buffer.concat(chunks);
      if (enough(all, total)) break;
    }
  } catch {
    // aborted after watchMs: what was read is the answer
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { head: Buffer.concat(chunks), total };
}

function parsePlaylist(text: string): { master: boolean; uris: string[]; sequence: number; ended: boolean; targetS: number } {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const uris = lines.filter((l) => l.length > 0 && !l.startsWith('#'));
  const seqLine = lines.find((l) => l.startsWith('#EXT-X-MEDIA-SEQUENCE:'));
  const targetLine = lines.find((l) => l.startsWith('#EXT-X-TARGETDURATION:'));
  return {
    master: lines.some((l) => l.startsWith('#EXT-X-STREAM-INF')),
    uris,
    sequence: seqLine ? Number(seqLine.split(':')[1]) : 0,
    ended: lines.includes('#EXT-X-ENDLIST'),
    targetS: targetLine ? Number(targetLine.split(':')[1]) : 6,
  };
}

async function probeHls(url: string, opts: ProbeOptions): Promise<ProbeResult> {
  const fetchText = async (u: string): Promise<{ status: number; text: string }> => {
    const { res } = await get(u, opts);
    return { status: res.status, text: res.ok ? await res.text() : '' };
  };
  let target = url;
  let pl = await fetchText(target);
  if (pl.status !== 200) return fail(`HTTP ${pl.status}`, true);
  if (!pl.text.startsWith('#EXTM3U')) return fail('not an HLS playlist (no #EXTM3U)', true);
  let parsed = parsePlaylist(pl.text);
  if (parsed.master) {
    const variant = parsed.uris[0];
    if (!variant) return fail('the master playlist lists no variants', true);
    target = new URL(variant, target).toString();
    pl = await fetchText(target);
    if (pl.status !== 200) return fail(`variant playlist: HTTP ${pl.status}`, true);
    parsed = parsePlaylist(pl.text);
  }
  const firstSegment = parsed.uris[0];
  if (!firstSegment) return fail('the playlist lists no segments', true);
  const { res, abort } = await get(new URL(firstSegment, target).toString(), opts, { headers: { range: 'bytes=0-187' } });
  abort.abort();
  if (res.status !== 200 && res.status !== 206) return fail(`segment: HTTP ${res.status}`, true);
  if (parsed.ended) return good('HLS playlist (VOD) and its first segment answer');
  const watchMs = Math.min(opts.watchMs ?? 3_000, Math.max(500, parsed.targetS * 1000));
  await new Promise<void>((r) => setTimeout(r, watchMs));
  const again = parsePlaylist((await fetchText(target)).text);
  const advancing = again.sequence !== parsed.sequence || again.uris.at(-1) !== parsed.uris.at(-1);
  return advancing ? good('live HLS playlist advancing', true) : { ok: false, reachable: true, framesAdvancing: false, detail: `live playlist did not advance in ${watchMs} ms` };
}

async function probeHttpBody(stream: Stream, opts: ProbeOptions): Promise<ProbeResult> {
  const watchMs = opts.watchMs ?? 3_000;
  if (stream.kind === 'file') {
    const { res, abort } = await get(stream.url, opts, { headers: { range: 'bytes=0-63' } });
    if (res.status !== 200 && res.status !== 206) {
      abort.abort();
      return fail(`HTTP ${res.status}`, true);
    }
    const { head } = await readFor(res, abort, watchMs, (b) => b.length >= 16);
    const problem = magicProblem('file', head);
    return problem ? fail(problem, true) : good('file answers with the right format');
  }
  const { res, abort } = await get(stream.url, opts);
  if (res.status !== 200) {
    abort.abort();
    return fail(`HTTP ${res.status}`, true);
  }
  if (stream.kind === 'flv') {
    const { head, total } = await readFor(res, abort, watchMs, (_b, n) => n > 64 * 1024);
    const problem = magicProblem('flv', head);
    if (problem) return fail(problem, true);
    return total > 13 + 11 ? good('FLV header and tags arriving', true) : { ok: false, reachable: true, framesAdvancing: false, detail: `no FLV tags within ${watchMs} ms` };
  }
  // mjpeg: count JPEG starts (FF D8 FF) in what arrives
  let frames = 0;
  const { head } = await readFor(res, abort, watchMs, (b) => {
    frames = 0;
    for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xff && b[i + 1] === 0xd8 && b[i + 2] === 0xff) frames++;
    return frames >= 2;
  });
  if (frames === 0) return fail(magicProblem('mjpeg', head) ?? 'no JPEG frame arrived', true);
  return frames >= 2 ? good('MJPEG frames arriving', true) : { ok: false, reachable: true, framesAdvancing: false, detail: `one JPEG frame in ${watchMs} ms` };
}

async function probeWhep(url: string, opts: ProbeOptions): Promise<ProbeResult> {
  const { res, abort } = await get(url, opts, { method: 'OPTIONS' });
  abort.abort();
  if (res.status === 404) return fail('WHEP endpoint: HTTP 404', true);
  if (res.status >= 500) return fail(`WHEP endpoint: HTTP ${res.status}`, true);
  return good(`WHEP endpoint answers (HTTP ${res.status})`);
}

function probeWebSocketFlv(url: string, opts: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done(fail(`no data within ${timeoutMs} ms`, null)), timeoutMs);
    ws.on('message', (data: Buffer) => {
      const problem = magicProblem('flv', new Uint8Array(data));
      done(problem ? fail(problem, true) : good('WebSocket-FLV header arriving', true));
    });
    ws.on('error', (err) => done(fail(errorText(err, timeoutMs))));
    ws.on('unexpected-response', (_req, res) => done(fail(`HTTP ${res.statusCode ?? '?'}`, true)));
  });
}

export async function probeStream(stream: Stream, opts: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  if (stream.url.startsWith(MEDIA_PREFIX)) return probeLocal(stream, opts);
  if (stream.url.startsWith('/')) return { ok: false, reachable: null, framesAdvancing: null, detail: 'a relative URL outside /media/ cannot be probed from the host' };
  try {
    if (/^wss?:/i.test(stream.url)) return await probeWebSocketFlv(stream.url, opts);
    if (stream.kind === 'hls') return await probeHls(stream.url, opts);
    if (stream.kind === 'webrtc') return await probeWhep(stream.url, opts);
    return await probeHttpBody(stream, opts);
  } catch (err) {
    return fail(errorText(err, timeoutMs));
  }
}
