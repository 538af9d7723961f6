/** A playback engine attaches one stream to one element and tears it down completely. */
import type { Stream } from '../../../../shared/domain/video';

export const ENGINE_KINDS = ['native', 'hlsjs', 'mpegts', 'whep', 'mjpeg'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export type HlsPreference = 'auto' | 'native' | 'hlsjs';

export interface EngineContext {
  stream: Stream;
  /** The stream's URL resolved to absolute. */
  url: string;
  /** The <video> element (all engines but mjpeg). */
  video: HTMLVideoElement | null;
  /** The <img> element (mjpeg). */
  img: HTMLImageElement | null;
  /** Live stream (restart at the end) or recorded clip. */
  live: boolean;
  /** The engine cannot go on: the player marks the stream failed and retries with back-off. */
  onFatal(detail: string): void;
  /** A frame was shown (engines that see frames directly: whep track, mjpeg). */
  onFrame(): void;
}

export interface EngineHandle {
  readonly kind: EngineKind;
  /** Stop, release every resource (connections, MediaSource, peer connection, timers). Idempotent. */
  destroy(): void;
}

export interface EngineCaps {
  /** MediaSource Extensions (hls.js, mpegts.js). */
  mse: boolean;
  /** The browser plays .m3u8 in a plain <video>. */
  nativeHls: boolean;
  webrtc: boolean;
}
