/**
 * A WHEP endpoint for tests (RFC 9725 signalling, as go2rtc/MediaMTX serve it): a Node HTTP server
 * on its own origin that hands each SDP offer to a "sender" page in the same browser, where a
 * canvas test pattern is sent over an RTCPeerConnection; the answer goes back with 201 and a
 * Location, which the player DELETEs when it goes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';

export interface WhepServer {
  /** The endpoint URL for a stream name. */
  url(name: string): string;
  /** Sessions opened and deleted so far. */
  readonly stats: { offers: number; deletes: number };
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-expose-headers': 'location',
};

/**
 * Runs in the sender page (kept as source text: this file is type-checked without the DOM
 * library): answer an offer with a moving canvas picture.
 */
const ANSWER_IN_PAGE = `async (offer) => {
  if (!window.__pattern) {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    document.body.appendChild(canvas);
    const g = canvas.getContext('2d');
    let n = 0;
    setInterval(() => {
      n++;
      g.fillStyle = 'hsl(' + ((n * 7) % 360) + ' 70% 40%)';
      g.fillRect(0, 0, 320, 180);
      g.fillStyle = '#fff';
      g.font = '40px sans-serif';
      g.fillText('WHEP ' + n, 40, 100);
    }, 40);
    window.__pattern = canvas.captureStream(25);
  }
  const pc = new RTCPeerConnection();
  (window.__senders = window.__senders || []).push(pc);
  for (const track of window.__pattern.getTracks()) pc.addTrack(track, window.__pattern);
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const t = setTimeout(resolve, 3000);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') { clearTimeout(t); resolve(); }
    });
  });
  return pc.localDescription.sdp;
}`;

export async function startWhepServer(sender: Page): Promise<WhepServer> {
  await sender.setContent('<!doctype html><title>WHEP sender</title><body></body>');
  const stats = { offers: 0, deletes: 0 };
  let session = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.method === 'OPTIONS') {
          res.writeHead(204, CORS).end();
        } else if (req.method === 'POST' && req.url?.startsWith('/whep/')) {
          stats.offers++;
          try {
            const answer = (await sender.evaluate(`(${ANSWER_IN_PAGE})(${JSON.stringify(Buffer.concat(chunks).toString('utf8'))})`)) as string;
            session++;
            res.writeHead(201, { ...CORS, 'content-type': 'application/sdp', location: `/whep/session/${session}` }).end(answer);
          } catch (err) {
            res.writeHead(500, CORS).end(String(err));
          }
        } else if (req.method === 'DELETE') {
          stats.deletes++;
          res.writeHead(200, CORS).end();
        } else {
          res.writeHead(404, CORS).end();
        }
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/whep/${encodeURIComponent(name)}`,
    stats,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
