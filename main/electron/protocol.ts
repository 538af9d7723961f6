/**
 * The app:// protocol: serves the built renderer (dist/renderer) to the windows, with a
 * path-traversal guard, the CSP header on every response, SPA routing (an extension-less path
 * such as /console gets index.html) and single byte ranges (video, PMTiles).
 *
 * The basemap's tile paths (/tiles/…) are not files: they are answered by the core's
 * `tileHttp` (main/core/map/tilehttp.ts), the same function behind the headless host's /tiles/
 * route, handed in as the `tiles` option with the app:// origin, so TileJSON tile URLs point
 * back at app://.
 *
 * The request handler is a plain `(Request) => Promise<Response>` over the file system, so it is
 * tested in Node without Electron; main.ts hands it to `protocol.handle`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CustomScheme } from 'electron';
import type { Logger } from '../core/log';
// Types only: the core's map modules load better-sqlite3, which main.ts may only load once the
// Electron binding is chosen (sqlite.ts); the tileHttp function itself arrives as an option.
import type { TileHttpAnswer } from '../core/map/tilehttp';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './channels';

/** How app:// is registered (before the app is ready). `bypassCSP` stays false: our CSP applies. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: true,
    stream: true,
    codeCache: true,
    bypassCSP: false,
    allowServiceWorkers: false,
  },
};

export type AppPathResolution = { ok: true; file: string } | { ok: false; status: 400 | 403; reason: string };

/**
 * Map a URL path (still percent-encoded, as in `new URL(url).pathname`) to a file under `root`.
 * Each segment is decoded on its own; a segment that decodes to `..`, contains a slash,
 * backslash, colon or NUL, or any result outside `root`, is refused. `root` must be absolute.
 */
export function resolveAppPath(root: string, pathname: string): AppPathResolution {
  if (!path.isAbsolute(root)) return { ok: false, status: 403, reason: 'the app root is not absolute' };
  if (!pathname.startsWith('/')) return { ok: false, status: 400, reason: 'the path must start with /' };
  const segments: string[] = [];
  for (const rawSegment of pathname.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return { ok: false, status: 403, reason: 'parent-directory segments are not allowed' };
    if (/[/\\:\0]/.test(segment)) return { ok: false, status: 403, reason: 'forbidden character in the path' };
    segments.push(segment);
  }
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, ...segments);
  const rel = path.relative(resolvedRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, status: 403, reason: 'outside the app root' };
  return { ok: true, file };
}

/** A path whose last segment has no extension is an SPA route (`/console`), not an asset. */
export function isSpaRoute(pathname: string): boolean {
  const last = pathname.split('/').filter((s) => s !== '').pop() ?? '';
  return !last.includes('.');
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
  '.mvt': 'application/vnd.mapbox-vector-tile',
  '.pmtiles': 'application/octet-stream',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.flv': 'video/x-flv',
};

export const mimeType = (file: string): string => MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export type ByteRange = { start: number; end: number };

/**
 * Parse a Range header for a file of `size` bytes. Only a single `bytes=` range is supported;
 * returns null when there is no usable Range header (serve the whole file) and 'unsatisfiable'
 * for a range outside the file (answer 416).
 */
export function parseRange(header: string | null, size: number): ByteRange | null | 'unsatisfiable' {
  if (header === null) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, startText = '', endText = ''] = match;
  if (startText === '' && endText === '') return null;
  if (startText === '') {
    const suffix = Number(endText);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(startText);
  const end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** Files up to this size are read into memory; larger ones are streamed. */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

/**
 * The paths answered by `tiles` instead of the file system: the core's TILES_PREFIX (a copy, for
 * the reason above; protocol.test.ts checks that the two agree).
 */
export const APP_TILES_PREFIX = '/tiles/';

/** Answers a basemap request: main.ts binds the core's `tileHttp` to its BasemapService. */
export type AppTileAnswerer = (method: string, pathname: string, origin: string) => Promise<TileHttpAnswer>;

export interface AppProtocolOptions {
  /** The built renderer (dist/renderer), absolute. */
  root: string;
  /** The CSP header value; a function so a configuration change applies to the next response. */
  csp: () => string;
  /**
   * GET/HEAD under /tiles/ (TileJSON and tiles of the file basemap). Without it (tests of the
   * file serving alone) /tiles/ paths are looked up as files like any other path.
   */
  tiles?: AppTileAnswerer;
  log?: Logger;
  /** Override WHOLE_FILE_LIMIT (tests). */
  wholeFileLimit?: number;
}

const text = (status: number, body: string, csp: string): Response =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
  });

/** Statuses whose responses cannot carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** A tileHttp answer as a Response: its status, headers and body, plus our CSP. */
function tileResponse(answer: TileHttpAnswer, method: string, csp: string): Response {
  const headers = { ...answer.headers, 'content-security-policy': csp, 'x-content-type-options': 'nosniff' };
  const empty = method === 'HEAD' || NULL_BODY_STATUS.has(answer.status) || answer.body.length === 0;
  return new Response(empty ? null : answer.body, { status: answer.status, headers });
}

async function statFile(file: string): Promise<fs.Stats | null> {
  try {
    const stats = await fs.promises.stat(file);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

/** Resolve symbolic links and check that the target still lies inside the root. */
async function insideRoot(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(file)]);
    const rel = path.relative(realRoot, realFile);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}

export function createAppRequestHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const root = path.resolve(opts.root);
  const indexFile = path.join(root, 'index.html');
  const wholeFileLimit = opts.wholeFileLimit ?? WHOLE_FILE_LIMIT;

  return async (request) => {
    const csp = opts.csp();
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed', csp);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return text(400, 'bad request', csp);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return text(404, 'not found', csp);

    // The basemap: tileHttp matches the still-encoded path against strict patterns (tile set
    // names of [a-z0-9_-], numeric z/x/y) and reads only the active archive, never a path.
    if (opts.tiles && url.pathname.startsWith(APP_TILES_PREFIX)) {
      try {
        return tileResponse(await opts.tiles(request.method, url.pathname, APP_ORIGIN), request.method, csp);
      } catch (err) {
        opts.log?.error('electron.protocol_tiles_failed', { path: url.pathname, error: err instanceof Error ? err.message : String(err) });
        return text(500, 'internal error', csp);
      }
    }

    const resolved = resolveAppPath(root, url.pathname);
    if (!resolved.ok) {
      opts.log?.warn('electron.protocol_refused', { path: url.pathname, reason: resolved.reason });
      return text(resolved.status, resolved.status === 400 ? 'bad request' : 'forbidden', csp);
    }

    let file = resolved.file;
    let stats = await statFile(file);
    if (!stats) {
      const directoryIndex = path.join(file, 'index.html');
      if (isSpaRoute(url.pathname)) {
        file = (await statFile(directoryIndex)) ? directoryIndex : indexFile;
        stats = await statFile(file);
      }
      if (!stats) return text(404, 'not found', csp);
    }
    if (!(await insideRoot(root, file))) {
      opts.log?.warn('electron.protocol_refused', { path: url.pathname, reason: 'link outside the app root' });
      return text(403, 'forbidden', csp);
    }

    const headers: Record<string, string> = {
      'content-type': mimeType(file),
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
      'cache-control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
    };
    const range = parseRange(request.headers.get('range'), stats.size);
    if (range === 'unsatisfiable') {
      return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${stats.size}` } });
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? stats.size - 1;
    const length = Math.max(0, end - start + 1);
    headers['content-length'] = String(length);
    if (range) headers['content-range'] = `bytes ${start}-${end}/${stats.size}`;
    const status = range ? 206 : 200;
    if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
    // Small files (all of the built renderer) are read whole: inside an .asar archive that is
    // Electron's native path, where a file stream would first copy the file out of the archive.
    if (stats.size <= wholeFileLimit) {
      const data = await fs.promises.readFile(file);
      return new Response(data.subarray(start, end + 1), { status, headers });
    }
    return new Response(Readable.toWeb(fs.createReadStream(file, { start, end })), { status, headers });
  };
}
