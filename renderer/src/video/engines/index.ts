/**
 * Engine loading: hls.js and mpegts.js are loaded only when a stream needs them (their own
 * chunks), so a wall of MP4/WHEP tiles never downloads them.
 */
import type { EngineContext, EngineHandle, EngineKind } from './types';
import { attachNative } from './native';
import { attachMjpeg } from './mjpeg';
import { attachWhep } from './whep';

export async function createEngine(kind: EngineKind, ctx: EngineContext): Promise<EngineHandle> {
  switch (kind) {
    case 'native':
      return attachNative(ctx);
    case 'mjpeg':
      return attachMjpeg(ctx);
    case 'whep':
      return attachWhep(ctx);
    case 'hlsjs':
      return (await import('./hlsjs')).attachHlsJs(ctx);
    case 'mpegts':
      return (await import('./mpegts')).attachMpegts(ctx);
  }
}

export * from './types';
export * from './pick';
