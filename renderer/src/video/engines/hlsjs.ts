/** HLS through hls.js (TS or fMP4 segments into MediaSource). */
import Hls, { type ErrorData } from 'hls.js';
import type { EngineContext, EngineHandle } from './types';
import { releaseVideo } from './native';

export function attachHlsJs(ctx: EngineContext): EngineHandle {
  const video = ctx.video;
  if (!video) throw new Error('hls.js engine without a <video>');
  const hls = new Hls({
    lowLatencyMode: true,
    backBufferLength: 10,
    maxBufferLength: 10,
    maxMaxBufferLength: 20,
    // The player retries with back-off itself; hls.js should give up early and say why.
    manifestLoadPolicy: { default: { maxTimeToFirstByteMs: 8_000, maxLoadTimeMs: 10_000, timeoutRetry: { maxNumRetry: 1, retryDelayMs: 500, maxRetryDelayMs: 1_000 }, errorRetry: { maxNumRetry: 1, retryDelayMs: 500, maxRetryDelayMs: 1_000 } } },
  });
  let destroyed = false;
  let mediaRecoveries = 0;
  hls.on(Hls.Events.ERROR, (_event, data: ErrorData) => {
    if (destroyed || !data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 1) {
      mediaRecoveries++;
      hls.recoverMediaError();
      return;
    }
    const status = data.response && 'code' in data.response ? ` (HTTP ${String(data.response.code)})` : '';
    ctx.onFatal(`${data.type}: ${data.details}${status}`);
  });
  hls.loadSource(ctx.url);
  hls.attachMedia(video);
  video.play().catch(() => undefined);
  return {
    kind: 'hlsjs',
    destroy() {
      if (destroyed) return;
      destroyed = true;
      hls.destroy();
      releaseVideo(video);
    },
  };
}
