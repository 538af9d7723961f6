/** The browser's own <video>: MP4/WebM files, and HLS where the browser plays it natively. */
import type { EngineContext, EngineHandle } from './types';

/** Detach a <video> from whatever it played, so the decoder, buffers and connections go. */
export function releaseVideo(video: HTMLVideoElement): void {
  video.pause();
  video.srcObject = null;
  video.removeAttribute('src');
  video.load();
}

export function attachNative(ctx: EngineContext): EngineHandle {
  const video = ctx.video;
  if (!video) throw new Error('native engine without a <video>');
  let destroyed = false;
  const onError = (): void => {
    const e = video.error;
    ctx.onFatal(e ? `media error ${e.code}${e.message ? `: ${e.message}` : ''}` : 'media error');
  };
  video.addEventListener('error', onError);
  // A live "file" (a looping demo clip) repeats; a recorded clip stops at its end.
  video.loop = ctx.live && ctx.stream.kind === 'file';
  video.src = ctx.url;
  video.play().catch((err: unknown) => {
    if (!destroyed && err instanceof DOMException && err.name === 'NotAllowedError') ctx.onFatal('autoplay blocked by the browser');
  });
  return {
    kind: 'native',
    destroy() {
      if (destroyed) return;
      destroyed = true;
      video.removeEventListener('error', onError);
      releaseVideo(video);
    },
  };
}
