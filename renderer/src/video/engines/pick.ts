/** Which engine plays which stream, given what the browser can do (pure: unit-tested). */
import type { Stream } from '../../../../shared/domain/video';
import type { EngineCaps, EngineKind, HlsPreference } from './types';

export function pickEngine(stream: Pick<Stream, 'kind' | 'url'>, caps: EngineCaps, hls: HlsPreference = 'auto'): EngineKind | null {
  switch (stream.kind) {
    case 'file':
      return 'native';
    case 'mjpeg':
      return 'mjpeg';
    case 'webrtc':
      return caps.webrtc ? 'whep' : null;
    case 'flv':
      return caps.mse ? 'mpegts' : null;
    case 'hls':
      if (hls === 'native') return caps.nativeHls ? 'native' : caps.mse ? 'hlsjs' : null;
      if (hls === 'hlsjs') return caps.mse ? 'hlsjs' : caps.nativeHls ? 'native' : null;
      // auto: hls.js where MSE exists (finer errors and retries), else the browser's own HLS (Safari/iOS)
      return caps.mse ? 'hlsjs' : caps.nativeHls ? 'native' : null;
  }
}

/** The first live stream this browser can play (or the first stream, when none can), with its index. */
export function pickStream(streams: readonly Stream[], caps: EngineCaps, hls: HlsPreference = 'auto', live = true): { stream: Stream; index: number } | null {
  let fallback: { stream: Stream; index: number } | null = null;
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i]!;
    const isLive = !(s.kind === 'file' && s.startAt !== undefined);
    if (isLive !== live) continue;
    if (pickEngine(s, caps, hls)) return { stream: s, index: i };
    fallback ??= { stream: s, index: i };
  }
  return fallback;
}

export function detectCaps(win: Window): EngineCaps {
  const probe = win.document.createElement('video');
  return {
    mse: 'MediaSource' in win || 'ManagedMediaSource' in win,
    nativeHls: probe.canPlayType('application/vnd.apple.mpegurl') !== '',
    webrtc: 'RTCPeerConnection' in win,
  };
}

/** Absolute URL of a stream: root-relative ones ('/media/…') resolve against `base` (the host). */
export function resolveStreamUrl(url: string, base: string): string {
  try {
    return new URL(url, base).toString();
  } catch {
    return url;
  }
}

/** The origin whose connection pool a stream uses (ws:// counts as its http origin). */
export function originOf(url: string): string {
  try {
    const u = new URL(url);
    const scheme = u.protocol === 'ws:' ? 'http:' : u.protocol === 'wss:' ? 'https:' : u.protocol;
    return `${scheme}//${u.host}`;
  } catch {
    return url;
  }
}
