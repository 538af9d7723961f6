/**
 * One camera stream in a box: picks the engine for the stream's kind, shows a placeholder with
 * the camera's name while connecting (and when failed, with the retry countdown), watches that
 * frames advance, reports connecting / playing / stalled / failed, retries failed streams with
 * back-off, and releases everything when it unmounts or its stream changes.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Locale } from '../../../shared/i18n';
import type { Stream } from '../../../shared/domain/video';
import { createEngine, detectCaps, pickEngine, resolveStreamUrl, type EngineCaps, type EngineHandle, type EngineKind, type HlsPreference } from './engines';
import { PlaybackMonitor, type MonitorStatus, type PlayerState } from './monitor';
import { videoT } from './labels';
import './video.css';

export interface PlayerReport {
  cameraId: string;
  streamIndex: number;
  state: Exclude<PlayerState, 'idle'>;
  detail: string;
  firstFrameMs?: number;
}

export interface PlayerStatus extends MonitorStatus {
  engine: EngineKind | null;
}

export interface VideoPlayerProps {
  cameraId: string;
  cameraName: string;
  stream: Stream | null;
  streamIndex?: number;
  /** false: show the placeholder only and open no connection (e.g. a tile over the per-origin cap). */
  active?: boolean;
  /** Shown instead of the state while inactive. */
  inactiveText?: string;
  /** Base for root-relative stream URLs ('/media/…'): the host (default: the page's location). */
  mediaBase?: string;
  hlsEngine?: HlsPreference;
  stallMs?: number;
  connectTimeoutMs?: number;
  /** Recorded clips: start this many seconds in. */
  startOffsetS?: number;
  muted?: boolean;
  locale?: Locale;
  /** Change it to retry a failed stream at once (e.g. the host probe found it reachable). */
  retryToken?: number;
  onStatus?(status: PlayerStatus): void;
  /** State changes for the host (video.report). */
  onReport?(report: PlayerReport): void;
  className?: string;
  children?: ReactNode;
}

let cachedCaps: EngineCaps | null = null;
const caps = (): EngineCaps => (cachedCaps ??= detectCaps(window));

const IDLE: MonitorStatus = { state: 'idle', detail: '', firstFrameMs: null, failures: 0, retryAt: null };

export function VideoPlayer(props: VideoPlayerProps) {
  const { cameraId, cameraName, stream, streamIndex = 0, active = true, hlsEngine = 'auto', muted = true, locale = 'zh-CN' } = props;
  const t = useMemo(() => videoT(locale), [locale]);
  const videoRef = useRef<HTMLVideoElement>(null);
  const imgRef = useRef<HTMLImageElement>(null);
  const [status, setStatus] = useState<MonitorStatus>(IDLE);
  const [attempt, setAttempt] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const callbacks = useRef(props);
  useEffect(() => {
    callbacks.current = props;
  });

  const engine = stream ? pickEngine(stream, caps(), hlsEngine) : null;
  const url = stream ? resolveStreamUrl(stream.url, props.mediaBase ?? window.location.href) : null;
  const live = stream ? !(stream.kind === 'file' && stream.startAt !== undefined) : true;
  const stallMs = props.stallMs ?? 8_000;
  const connectTimeoutMs = props.connectTimeoutMs ?? 15_000;

  const monitor = useMemo(
    () => {
      let last: PlayerState = 'idle';
      return new PlaybackMonitor({
        stallMs,
        connectTimeoutMs,
        now: () => Date.now(),
        onChange: (s) => {
          setStatus(s);
          callbacks.current.onStatus?.({ ...s, engine });
          if (s.state !== last && s.state !== 'idle') {
            const report: PlayerReport = { cameraId, streamIndex, state: s.state, detail: s.detail };
            if (s.state === 'playing' && s.firstFrameMs !== null && last === 'connecting') report.firstFrameMs = s.firstFrameMs;
            callbacks.current.onReport?.(report);
          }
          last = s.state;
        },
      });
    },
    // A new monitor per stream; failures carry over retries of the same stream.
    [cameraId, streamIndex, url, engine, stallMs, connectTimeoutMs],
  );

  // Retry at once when asked.
  const retryToken = props.retryToken ?? 0;
  useEffect(() => {
    if (retryToken > 0 && monitor.current.state === 'failed') setAttempt((a) => a + 1);
  }, [retryToken, monitor]);

  useEffect(() => {
    if (!active || !stream || !url) {
      monitor.stop();
      return;
    }
    monitor.start();
    if (!engine) {
      monitor.fail(`this browser cannot play ${stream.kind} streams`);
      return;
    }
    const video = videoRef.current;
    const img = imgRef.current;
    let handle: EngineHandle | null = null;
    let cancelled = false;
    let lastTime = -1;
    let frameRequest: number | null = null;

    const teardown = (): void => {
      if (handle) {
        handle.destroy();
        handle = null;
      }
    };
    const onFatal = (detail: string): void => {
      monitor.fail(detail);
      teardown();
    };
    // The first frame, exactly (time to first frame): the frame callback once the engine has
    // attached its source, or the first decoded frame (loadeddata), whichever comes first.
    // Afterwards playback time is sampled.
    const watchFirstFrame = (): void => {
      if (!video || engine === 'mjpeg' || typeof video.requestVideoFrameCallback !== 'function') return;
      frameRequest = video.requestVideoFrameCallback(() => {
        frameRequest = null;
        monitor.frame();
      });
    };
    createEngine(engine, { stream, url, video: engine === 'mjpeg' ? null : video, img: engine === 'mjpeg' ? img : null, live, onFatal, onFrame: () => monitor.frame() })
      .then((h) => {
        if (cancelled || monitor.current.state === 'failed') h.destroy();
        else {
          handle = h;
          watchFirstFrame();
        }
      })
      .catch((err: unknown) => onFatal(err instanceof Error ? err.message : String(err)));
    const onLoadedData = (): void => {
      if (video && video.readyState >= 2) monitor.frame();
    };

    const onEnded = (): void => {
      if (!live || cancelled) return;
      // A live source played from a finite playlist (a demo clip): round again from the start.
      if (video && (engine === 'hlsjs' || engine === 'native') && Number.isFinite(video.duration)) {
        video.currentTime = 0;
        video.play().catch(() => undefined);
        return;
      }
      // A live stream that ended (the connection dropped): connect again.
      setAttempt((a) => a + 1);
    };
    const onMeta = (): void => {
      if (video && props.startOffsetS && props.startOffsetS > 0 && Number.isFinite(video.duration)) video.currentTime = Math.min(props.startOffsetS, Math.max(0, video.duration - 1));
    };
    if (video && engine !== 'mjpeg') {
      video.addEventListener('ended', onEnded);
      video.addEventListener('loadedmetadata', onMeta);
      video.addEventListener('loadeddata', onLoadedData);
    }
    const timer = setInterval(() => {
      if (video && engine !== 'mjpeg' && handle) {
        const ct = video.currentTime;
        if (ct !== lastTime && !video.seeking && video.readyState >= 2) {
          if (lastTime >= 0 || ct > 0) monitor.frame();
          lastTime = ct;
        }
      }
      monitor.tick();
      if (monitor.current.state === 'failed') {
        teardown();
        setNow(Date.now());
        if (monitor.retryDue()) setAttempt((a) => a + 1);
      }
    }, 500);

    return () => {
      cancelled = true;
      clearInterval(timer);
      if (video) {
        if (frameRequest !== null && typeof video.cancelVideoFrameCallback === 'function') video.cancelVideoFrameCallback(frameRequest);
        video.removeEventListener('ended', onEnded);
        video.removeEventListener('loadedmetadata', onMeta);
        video.removeEventListener('loadeddata', onLoadedData);
      }
      teardown();
    };
    // props.startOffsetS is read once per attempt on purpose (not a dependency).
  }, [active, url, engine, attempt, monitor, live]);

  // Stop reporting into an unmounted component.
  useEffect(() => () => monitor.stop(), [monitor]);

  const state: PlayerState = active ? status.state : 'idle';
  const showPlaceholder = state !== 'playing';
  let text: string;
  if (!active) text = props.inactiveText ?? t('state.idle');
  else if (!stream) text = t('state.no_stream');
  else if (state === 'failed') {
    const s = status.retryAt !== null ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : null;
    text = `${t('state.failed')}${status.detail ? `：${status.detail}` : ''}${s !== null ? ` · ${t('retry.in', { s, n: status.failures + 1 })}` : ''}`;
  } else text = t(`state.${state === 'idle' ? 'idle' : state}`);

  return (
    <div
      className={`vp vp-${state}${props.className ? ` ${props.className}` : ''}`}
      data-testid="video-player"
      data-camera-id={cameraId}
      data-state={state}
      data-engine={engine ?? ''}
      data-first-frame-ms={status.firstFrameMs ?? ''}
    >
      {engine === 'mjpeg' ? (
        <img ref={imgRef} className="vp-media" alt={cameraName} draggable={false} />
      ) : (
        <video ref={videoRef} className="vp-media" muted={muted} playsInline autoPlay disablePictureInPicture />
      )}
      {showPlaceholder && (
        <div className="vp-placeholder">
          <div className="vp-name">{cameraName}</div>
          <div className="vp-state" data-testid="video-player-state">
            {text}
          </div>
        </div>
      )}
      {!showPlaceholder && <div className="vp-label">{cameraName}</div>}
      {props.children}
    </div>
  );
}
