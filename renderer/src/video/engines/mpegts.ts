/** HTTP-FLV and WebSocket-FLV through mpegts.js (FLV demuxed into MediaSource). */
import mpegts from 'mpegts.js';
import type { EngineContext, EngineHandle } from './types';
import { releaseVideo } from './native';

// Warnings and errors only: its info/debug lines per stream would flood the console of a wall.
mpegts.LoggingControl.applyConfig({ enableDebug: false, enableVerbose: false, enableInfo: false, enableWarn: true, enableError: true });

export function attachMpegts(ctx: EngineContext): EngineHandle {
  const video = ctx.video;
  if (!video) throw new Error('mpegts.js engine without a <video>');
  const player = mpegts.createPlayer(
    { type: 'flv', isLive: ctx.live, url: ctx.url, cors: true },
    {
      enableWorker: false,
      enableStashBuffer: false,
      lazyLoad: false,
      autoCleanupSourceBuffer: true,
      autoCleanupMaxBackwardDuration: 20,
      autoCleanupMinBackwardDuration: 10,
      liveBufferLatencyChasing: ctx.live,
    },
  );
  let destroyed = false;
  player.on(mpegts.Events.ERROR, (type: unknown, detail: unknown, info: unknown) => {
    if (destroyed) return;
    const code = info && typeof info === 'object' && 'code' in info ? ` (${String((info as { code: unknown }).code)})` : '';
    ctx.onFatal(`${String(type)}: ${String(detail)}${code}`);
  });
  player.attachMediaElement(video);
  player.load();
  video.play().catch(() => undefined);
  return {
    kind: 'mpegts',
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        player.pause();
        player.unload();
        player.detachMediaElement();
      } finally {
        player.destroy();
        releaseVideo(video);
      }
    },
  };
}
