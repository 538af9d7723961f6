/**
 * The headless host: serves the built renderer, GET /api/health, the API contract over
 * POST /api/call/<method> and WebSocket /api/ws, to browsers on this machine or the room's LAN.
 * Extra routes (Open311, CAP, tiles…) are mounted by capabilities through `routes`.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, type EventMessage, type Result } from '../../shared/api';
import { APP_VERSION, type Core } from '../core/core';

export interface Route {
  /** Path prefix, e.g. '/open311/v2/'. */
  prefix: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: Buffer | null): void | Promise<void>;
}

export interface HostOptions {
  core: Core;
  host?: string;
  port?: number;
  /** The built renderer (index.html + assets). */
  staticDir?: string | null;
  routes?: Route[];
  /** Maximum request body, bytes (default 10 MiB). */
  maxBody?: number;
}

export interface RunningHost {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.map': 'application/json',
  '.pbf': 'application/x-protobuf',
};

/** The pages of the single-page renderer: anything else under / is a static file or 404. */
const APP_PAGES = new Set(['/', '/wall', '/console', '/consult', '/video']);

export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`request body larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Resolve a URL path inside root, refusing traversal. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return full === root || full.startsWith(root + path.sep) ? full : null;
}

const statusFor = (r: Result<unknown>): number => {
  if (r.ok) return 200;
  switch (r.error.code) {
    case 'validation':
      return 400;
    case 'not_found':
    case 'unknown_method':
      return 404;
    case 'conflict':
    case 'invalid_transition':
      return 409;
    case 'forbidden':
      return 403;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
};

export function startHost(opts: HostOptions): Promise<RunningHost> {
  const { core } = opts;
  const maxBody = opts.maxBody ?? 10 * 1024 * 1024;
  const staticDir = opts.staticDir ? path.resolve(opts.staticDir) : null;
  const routes = opts.routes ?? [];
  const counters = { calls: 0, rejected: 0 };

  const serveStatic = (res: http.ServerResponse, pathname: string): void => {
    if (!staticDir) {
      sendJson(res, 404, fail('not_found', 'this host serves no renderer (build it with npm run build)'));
      return;
    }
    const file = APP_PAGES.has(pathname) ? path.join(staticDir, 'index.html') : safeJoin(staticDir, pathname);
    if (!file) {
      res.writeHead(400).end('bad path');
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      const ext = path.extname(file).toLowerCase();
      const immutable = pathname.startsWith('/assets/');
      res.writeHead(200, {
        'content-type': MIME[ext] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      fs.createReadStream(file).pipe(res);
    });
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const pathname = url.pathname;
      try {
        if (pathname === '/api/health' && req.method === 'GET') {
          const schemaVersion = core.db.pragma('user_version', { simple: true }) as number;
          sendJson(res, 200, { ok: true, version: APP_VERSION, schemaVersion });
          return;
        }
        if (pathname.startsWith('/api/call/')) {
          if (req.method !== 'POST') {
            res.setHeader('allow', 'POST');
            sendJson(res, 405, fail('validation', 'use POST with a JSON body'));
            return;
          }
          const method = decodeURIComponent(pathname.slice('/api/call/'.length));
          const body = await readBody(req, maxBody);
          let input: unknown = {};
          if (body.length > 0) {
            try {
              input = JSON.parse(body.toString('utf8'));
            } catch {
              counters.rejected++;
              sendJson(res, 400, fail('validation', 'the request body is not valid JSON', 'input'));
              return;
            }
          }
          counters.calls++;
          const result = await core.registry.call(method, input, { transport: 'http', client: req.socket.remoteAddress ?? 'unknown' });
          if (!result.ok) counters.rejected++;
          sendJson(res, statusFor(result), result);
          return;
        }
        for (const route of routes) {
          if (pathname.startsWith(route.prefix)) {
            const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req, maxBody) : null;
            await route.handle(req, res, url, body);
            return;
          }
        }
        if (pathname.startsWith('/api/')) {
          sendJson(res, 404, fail('not_found', `no such endpoint: ${pathname}`));
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          sendJson(res, 405, fail('validation', 'method not allowed'));
          return;
        }
        serveStatic(res, pathname);
      } catch (err) {
        core.log.error('host.request_failed', { path: pathname, error: err instanceof Error ? err.message : String(err) });
        if (!res.headersSent) sendJson(res, 500, fail('internal', err instanceof Error ? err.message : String(err)));
        else res.end();
      }
    })();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/ws') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => {
    const client = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const unsubscribe = core.bus.subscribe((msg: EventMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', ...msg }));
    });
    ws.on('message', (data) => {
      void (async () => {
        let msg: { id?: unknown; method?: unknown; input?: unknown };
        try {
          msg = JSON.parse(data.toString()) as typeof msg;
        } catch {
          ws.send(JSON.stringify({ type: 'result', id: null, result: fail('validation', 'the message is not valid JSON') }));
          return;
        }
        if (typeof msg !== 'object' || msg === null || typeof msg.method !== 'string' || (typeof msg.id !== 'number' && typeof msg.id !== 'string')) {
          ws.send(JSON.stringify({ type: 'result', id: null, result: fail('validation', 'a call needs {id, method, input}') }));
          return;
        }
        const result = await core.registry.call(msg.method, msg.input, { transport: 'ws', client });
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: msg.id, result }));
      })();
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4870, opts.host ?? '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 4870);
      const shownHost = (opts.host ?? '127.0.0.1').includes(':') ? `[${opts.host}]` : (opts.host ?? '127.0.0.1');
      resolve({
        url: `http://${shownHost}:${port}/`,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
