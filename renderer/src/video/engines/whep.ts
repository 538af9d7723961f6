/**
 * WebRTC through WHEP (RFC 9725): a receive-only peer connection; the SDP offer, with its ICE
 * candidates gathered, is POSTed to the endpoint, which answers 201 with the SDP answer and a
 * Location for the session (DELETEd when the player goes). go2rtc, MediaMTX and ZLMediaKit
 * serve WHEP. No HTTP connection stays open, so WHEP streams do not count against the
 * per-origin cap.
 */
import type { EngineContext, EngineHandle } from './types';
import { releaseVideo } from './native';

const ICE_GATHER_MS = 2_000;

function gathered(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

export function attachWhep(ctx: EngineContext): EngineHandle {
  const video = ctx.video;
  if (!video) throw new Error('WHEP engine without a <video>');
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  const abort = new AbortController();
  const media = new MediaStream();
  let session: string | null = null;
  let destroyed = false;

  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addEventListener('track', (e: RTCTrackEvent) => {
    media.addTrack(e.track);
    if (video.srcObject !== media) {
      video.srcObject = media;
      video.play().catch(() => undefined);
    }
  });
  pc.addEventListener('connectionstatechange', () => {
    if (!destroyed && (pc.connectionState === 'failed' || pc.connectionState === 'closed')) ctx.onFatal(`WebRTC connection ${pc.connectionState}`);
  });

  void (async () => {
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc, ICE_GATHER_MS);
      const offer = pc.localDescription?.sdp;
      if (!offer) throw new Error('no local description');
      const res = await fetch(ctx.url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer, signal: abort.signal });
      if (res.status !== 201 && res.status !== 200) throw new Error(`WHEP endpoint answered HTTP ${res.status}`);
      const location = res.headers.get('location');
      if (location) session = new URL(location, ctx.url).toString();
      const answer = await res.text();
      if (destroyed) return;
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (err) {
      if (!destroyed) ctx.onFatal(err instanceof Error ? err.message : String(err));
    }
  })();

  // Closing or leaving the page ends the session at the gateway too (keepalive lets the DELETE out).
  const onPageHide = (): void => handle.destroy();
  window.addEventListener('pagehide', onPageHide);

  const handle: EngineHandle = {
    kind: 'whep',
    destroy() {
      if (destroyed) return;
      destroyed = true;
      window.removeEventListener('pagehide', onPageHide);
      abort.abort();
      for (const t of media.getTracks()) t.stop();
      pc.close();
      releaseVideo(video);
      if (session) fetch(session, { method: 'DELETE', keepalive: true }).catch(() => undefined);
    },
  };
  return handle;
}
