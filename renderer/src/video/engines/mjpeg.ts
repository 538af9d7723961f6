/**
 * MJPEG (multipart/x-mixed-replace) in an <img>: the browser replaces the picture as parts
 * arrive. Frames are seen through a small canvas fingerprint when the image is readable
 * (same origin or CORS); otherwise the first `load` is all that can be known.
 */
import type { EngineContext, EngineHandle } from './types';

const SAMPLE_MS = 1_000;
const BLANK_GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';

export function attachMjpeg(ctx: EngineContext): EngineHandle {
  const img = ctx.img;
  if (!img) throw new Error('MJPEG engine without an <img>');
  let destroyed = false;
  let readable = true;
  let last = '';
  const canvas = document.createElement('canvas');
  canvas.width = 16;
  canvas.height = 9;
  const g = canvas.getContext('2d', { willReadFrequently: true });

  const sample = (): void => {
    if (destroyed || !readable || !g || img.naturalWidth === 0) return;
    try {
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
      let h = 0;
      for (let i = 0; i < px.length; i += 4) h = (h * 31 + px[i]! + px[i + 1]! * 3 + px[i + 2]! * 7) | 0;
      const key = String(h);
      if (key !== last) {
        last = key;
        ctx.onFrame();
      }
    } catch {
      readable = false; // a tainted canvas: cross-origin without CORS
    }
  };
  const onLoad = (): void => {
    ctx.onFrame();
    sample();
  };
  const onError = (): void => ctx.onFatal('the MJPEG stream could not be loaded');
  img.addEventListener('load', onLoad);
  img.addEventListener('error', onError);
  const timer = setInterval(sample, SAMPLE_MS);
  img.crossOrigin = 'anonymous';
  img.src = ctx.url;
  return {
    kind: 'mjpeg',
    destroy() {
      if (destroyed) return;
      destroyed = true;
      clearInterval(timer);
      img.removeEventListener('load', onLoad);
      img.removeEventListener('error', onError);
      // An empty src stops the multipart download.
      img.removeAttribute('src');
      img.src = BLANK_GIF;
    },
  };
}
