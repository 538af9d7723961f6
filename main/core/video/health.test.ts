import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stream } from '../../../shared/domain/video';
import { nextHealth } from './health';
import { magicProblem, probeStream } from './probe';
import { createVideoHarness, type VideoHarness } from './testing';

const FLV = Buffer.concat([Buffer.from('FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00', 'latin1'), Buffer.alloc(4096, 7)]);
const MP4_HEAD = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(200)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1), Buffer.from([0xff, 0xd9])]);

/** A little source server: VOD and live HLS, FLV, MP4, MJPEG, WHEP, errors. */
function sourceServer(): http.Server {
  let liveSeq = 0;
  return http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/vod.m3u8') {
      res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nseg0.ts\n#EXT-X-ENDLIST\n');
    } else if (url === '/master.m3u8') {
      res.writeHead(200).end('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\nvod.m3u8\n');
    } else if (url === '/live.m3u8') {
      liveSeq++;
      res.writeHead(200).end(`#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:${liveSeq}\n#EXTINF:1,\nseg${liveSeq}.ts\n`);
    } else if (url === '/frozen.m3u8') {
      res.writeHead(200).end('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:5\n#EXTINF:1,\nseg5.ts\n');
    } else if (url.startsWith('/seg')) {
      res.writeHead(206).end(Buffer.alloc(188, 0x47));
    } else if (url === '/live.flv') {
      res.writeHead(200, { 'content-type': 'video/x-flv' }).end(FLV);
    } else if (url === '/notflv.flv') {
      res.writeHead(200).end('<html>login</html>');
    } else if (url === '/clip.mp4') {
      res.writeHead(206).end(MP4_HEAD.subarray(0, 64));
    } else if (url === '/cam.mjpeg') {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=b' });
      res.write(Buffer.concat([Buffer.from('--b\r\nContent-Type: image/jpeg\r\n\r\n'), JPEG, Buffer.from('\r\n--b\r\nContent-Type: image/jpeg\r\n\r\n'), JPEG]));
      res.end();
    } else if (url === '/cam/whep' && req.method === 'OPTIONS') {
      res.writeHead(204, { 'accept-post': 'application/sdp' }).end();
    } else {
      res.writeHead(404).end('nope');
    }
  });
}

describe('the host probe', () => {
  let server: http.Server;
  let base = '';
  let deadPort = 0;
  const mediaDir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'cityops-probe-'));

  beforeAll(async () => {
    server = sourceServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    fs.mkdirSync(path.join(mediaDir, 'hls'));
    fs.writeFileSync(path.join(mediaDir, 'hls', 'index.m3u8'), '#EXTM3U\n#EXTINF:1,\nseg0.ts\n#EXT-X-ENDLIST\n');
    fs.writeFileSync(path.join(mediaDir, 'hls', 'seg0.ts'), Buffer.alloc(188, 0x47));
    fs.writeFileSync(path.join(mediaDir, 'clip.mp4'), MP4_HEAD);
    fs.writeFileSync(path.join(mediaDir, 'bad.flv'), 'not flv');
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  const probe = (s: Stream) => probeStream(s, { mediaDir, timeoutMs: 2_000, watchMs: 1_500 });

  it('recognises each format by its first bytes', () => {
    expect(magicProblem('flv', FLV)).toBeNull();
    expect(magicProblem('flv', Buffer.from('<html>'))).toMatch(/not an FLV/);
    expect(magicProblem('file', MP4_HEAD)).toBeNull();
    expect(magicProblem('file', Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0]))).toBeNull();
    expect(magicProblem('mjpeg', JPEG)).toBeNull();
    expect(magicProblem('hls', Buffer.from('#EXTM3U\n'))).toBeNull();
  });

  it('finds HLS (VOD, master → variant, live advancing or frozen), FLV, MP4, MJPEG and WHEP sources', async () => {
    expect(await probe({ kind: 'hls', url: `${base}/vod.m3u8` })).toMatchObject({ ok: true, reachable: true, framesAdvancing: null });
    expect(await probe({ kind: 'hls', url: `${base}/master.m3u8` })).toMatchObject({ ok: true });
    expect(await probe({ kind: 'hls', url: `${base}/live.m3u8` })).toMatchObject({ ok: true, framesAdvancing: true });
    expect(await probe({ kind: 'hls', url: `${base}/frozen.m3u8` })).toMatchObject({ ok: false, reachable: true, framesAdvancing: false });
    expect(await probe({ kind: 'flv', url: `${base}/live.flv` })).toMatchObject({ ok: true, framesAdvancing: true });
    expect(await probe({ kind: 'flv', url: `${base}/notflv.flv` })).toMatchObject({ ok: false, reachable: true, detail: expect.stringMatching(/not an FLV/) });
    expect(await probe({ kind: 'file', url: `${base}/clip.mp4` })).toMatchObject({ ok: true });
    expect(await probe({ kind: 'mjpeg', url: `${base}/cam.mjpeg` })).toMatchObject({ ok: true, framesAdvancing: true });
    expect(await probe({ kind: 'webrtc', url: `${base}/cam/whep` })).toMatchObject({ ok: true });
  });

  it('says why a source is unusable: HTTP errors, refused connections', async () => {
    expect(await probe({ kind: 'hls', url: `${base}/missing.m3u8` })).toMatchObject({ ok: false, reachable: true, detail: 'HTTP 404' });
    expect(await probe({ kind: 'flv', url: `http://127.0.0.1:${deadPort}/x.flv` })).toMatchObject({ ok: false, reachable: false, detail: 'connection refused' });
  });

  it('checks /media/ URLs on disk, refusing paths outside the folder', async () => {
    expect(await probe({ kind: 'hls', url: '/media/hls/index.m3u8' })).toMatchObject({ ok: true });
    expect(await probe({ kind: 'file', url: '/media/clip.mp4' })).toMatchObject({ ok: true });
    expect(await probe({ kind: 'flv', url: '/media/bad.flv' })).toMatchObject({ ok: false, detail: expect.stringMatching(/not an FLV/) });
    expect(await probe({ kind: 'file', url: '/media/none.mp4' })).toMatchObject({ ok: false, detail: expect.stringMatching(/not found/) });
    expect(await probe({ kind: 'file', url: '/media/..%2F..%2Fetc%2Fpasswd' })).toMatchObject({ ok: false });
  });
});

describe('stream health', () => {
  it('counts failures, backs off exponentially and clears on playing', () => {
    const t0 = 1_000_000;
    let h = nextHealth(undefined, 'c', 0, { state: 'connecting', method: 'player', detail: '' }, t0);
    expect(h).toMatchObject({ state: 'connecting', failures: 0, next_retry_at: null });
    h = nextHealth(h, 'c', 0, { state: 'failed', method: 'player', detail: 'x' }, t0 + 1);
    expect(h).toMatchObject({ failures: 1, consecutive_failures: 1, next_retry_at: t0 + 1 + 2_000 });
    h = nextHealth(h, 'c', 0, { state: 'failed', method: 'probe', detail: 'x' }, t0 + 2);
    expect(h).toMatchObject({ failures: 2, consecutive_failures: 2, next_retry_at: t0 + 2 + 4_000 });
    h = nextHealth(h, 'c', 0, { state: 'stalled', method: 'player', detail: '' }, t0 + 3);
    expect(h).toMatchObject({ failures: 3, consecutive_failures: 3, frames_advancing: 0 });
    h = nextHealth(h, 'c', 0, { state: 'playing', method: 'player', detail: '', firstFrameMs: 420 }, t0 + 4);
    expect(h).toMatchObject({ failures: 3, consecutive_failures: 0, next_retry_at: null, last_ok_at: t0 + 4, reachable: 1, frames_advancing: 1, first_frame_ms: 420 });
  });

  describe('reports, probes and the back-off loop', () => {
    let h: VideoHarness;
    let server: http.Server;
    let port = 0;
    let up = false;
    beforeEach(async () => {
      h = createVideoHarness();
      server = http.createServer((_req, res) => {
        if (up) res.writeHead(200, { 'content-type': 'video/x-flv' }).end(FLV);
        else res.writeHead(503).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
      const saved = await h.ctx.registry.invoke('cameras.save', { id: 'cam', name: '北门', lon: 120, lat: 30, streams: [{ kind: 'flv', url: `http://127.0.0.1:${port}/live.flv` }] });
      expect(saved.ok).toBe(true);
    });
    afterEach(async () => {
      await h.close();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('records player reports with events, and retries failed streams from the host when due', async () => {
      const { registry } = h.ctx;
      const bad = await registry.invoke('video.report', { cameraId: 'cam', streamIndex: 3, state: 'playing' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.streamIndex' } });

      expect((await registry.invoke('video.report', { cameraId: 'cam', state: 'connecting' })).ok).toBe(true);
      const failed = await registry.invoke('video.report', { cameraId: 'cam', state: 'failed', detail: 'networkError: manifestLoadError', client: 'wall-1' });
      expect(failed.ok && failed.value).toMatchObject({ state: 'failed', failures: 1, consecutiveFailures: 1, method: 'player', detail: 'networkError: manifestLoadError (wall-1)' });
      expect(h.events.filter((e) => e.event === 'video.health').map((e) => (e.payload as { health: { state: string } }).health.state)).toEqual(['connecting', 'failed']);

      // not due yet: nothing probed
      expect(await h.video.probeDue()).toBe(0);
      // due, source still down: the probe counts another failure and backs off further
      h.tick(2_000);
      expect(await h.video.probeDue()).toBe(1);
      const after = await registry.invoke('video.health', { cameraIds: ['cam'] });
      expect(after.ok && after.value[0]).toMatchObject({ state: 'failed', method: 'probe', failures: 2, consecutiveFailures: 2, detail: 'host probe: HTTP 503' });
      // the source comes back: the next due probe finds it reachable and says a retry is due now
      up = true;
      h.tick(4_000);
      expect(await h.video.probeDue()).toBe(1);
      const back = await registry.invoke('video.health', { cameraIds: ['cam'] });
      expect(back.ok && back.value[0]).toMatchObject({ state: 'unknown', method: 'probe', reachable: true, framesAdvancing: true });
      const last = h.events.filter((e) => e.event === 'video.health').at(-1)?.payload as { health: { reachable: boolean; state: string } };
      expect(last.health).toMatchObject({ reachable: true, state: 'unknown' });

      const ok = await registry.invoke('video.report', { cameraId: 'cam', state: 'playing', firstFrameMs: 350 });
      expect(ok.ok && ok.value).toMatchObject({ state: 'playing', consecutiveFailures: 0, failures: 2, firstFrameMs: 350, nextRetryAt: null });
    });

    it('does not probe streams nobody shows', async () => {
      h.ctx.db
        .prepare("INSERT INTO stream_health(camera_id, stream_index, state, method, failures, consecutive_failures, next_retry_at, updated_at) VALUES ('cam', 0, 'failed', 'player', 1, 1, 0, 0)")
        .run();
      expect(await h.video.probeDue()).toBe(0);
    });

    it('probes on demand', async () => {
      up = true;
      const r = await h.ctx.registry.invoke('video.probe', { cameraId: 'cam' });
      expect(r.ok && r.value).toMatchObject([{ cameraId: 'cam', streamIndex: 0, reachable: true, method: 'probe' }]);
    });
  });
});
