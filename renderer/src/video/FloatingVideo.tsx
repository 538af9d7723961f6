/**
 * Video on the map: a floating live view anchored to a camera's screen position (the map
 * projects the camera and passes x/y in the container's pixels; the box sits above the point
 * with a pointer). Its player reports like a wall tile's; closing it releases the stream.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { Locale } from '../../../shared/i18n';
import type { CameraDetail } from '../../../shared/domain/video';
import { detectCaps, pickStream, type HlsPreference } from './engines';
import { videoT } from './labels';
import { VideoPlayer, type PlayerStatus } from './VideoPlayer';
import './video.css';

export interface FloatingVideoProps {
  api: ApiClient;
  cameraId: string;
  /** Anchor in the positioned container's pixels. */
  x: number;
  y: number;
  onClose(): void;
  locale?: Locale;
  mediaBase?: string;
  hlsEngine?: HlsPreference;
  /** Tells the map whether to draw the camera's field-of-view wedge (while playing). */
  onStatus?(status: PlayerStatus): void;
  reportHealth?: boolean;
}

export function FloatingVideo(props: FloatingVideoProps) {
  const { api, cameraId, locale = 'zh-CN', reportHealth = true } = props;
  const t = useMemo(() => videoT(locale), [locale]);
  const [camera, setCamera] = useState<CameraDetail | null>(null);
  useEffect(() => {
    let live = true;
    setCamera(null);
    void api.call('cameras.get', { id: cameraId }).then((r) => {
      if (live && r.ok) setCamera(r.value);
    });
    return () => {
      live = false;
    };
  }, [api, cameraId]);
  const picked = useMemo(() => (camera ? pickStream(camera.streams, detectCaps(window), props.hlsEngine ?? 'auto') : null), [camera, props.hlsEngine]);
  return (
    <div className="vf" style={{ left: props.x, top: props.y }} data-testid="floating-video" data-camera-id={cameraId}>
      <div className="vf-head">
        <span>{camera?.name ?? cameraId}</span>
        <button type="button" title={t('close')} aria-label={t('close')} onClick={props.onClose}>
          ✕
        </button>
      </div>
      <div className="vf-body">
        {camera && (
          <VideoPlayer
            cameraId={camera.id}
            cameraName={camera.name}
            stream={picked?.stream ?? null}
            streamIndex={picked?.index ?? 0}
            locale={locale}
            hlsEngine={props.hlsEngine ?? 'auto'}
            {...(props.mediaBase !== undefined ? { mediaBase: props.mediaBase } : {})}
            {...(props.onStatus ? { onStatus: props.onStatus } : {})}
            onReport={(r) => {
              if (!reportHealth) return;
              const input: { cameraId: string; streamIndex: number; state: typeof r.state; detail: string; firstFrameMs?: number } = {
                cameraId: r.cameraId,
                streamIndex: r.streamIndex,
                state: r.state,
                detail: r.detail.slice(0, 300),
              };
              if (r.firstFrameMs !== undefined) input.firstFrameMs = r.firstFrameMs;
              void api.call('video.report', input);
            }}
          />
        )}
      </div>
    </div>
  );
}
