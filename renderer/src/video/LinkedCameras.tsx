/**
 * 视图联动 as a list (the console's case detail): the cameras that see a case, alarm or point,
 * nearest first, each draggable onto the wall; the recorded clips around the case's time; the
 * end of the linkage once the case closes.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { Locale } from '../../../shared/i18n';
import type { CameraDetail, LinkageResult, LinkedClip } from '../../../shared/domain/video';
import { videoT } from './labels';
import type { LinkTarget } from './VideoWall';
import { setCameraDragData } from './wall/drag';
import './video.css';

export interface LinkedCamerasProps {
  api: ApiClient;
  target: LinkTarget;
  locale?: Locale;
  /** How many cameras (the layout's size; default 9). */
  limit?: number;
  radiusM?: number;
  onSelectCamera?(camera: CameraDetail): void;
  onSelectClip?(clip: LinkedClip): void;
  onResult?(result: LinkageResult | null): void;
  className?: string;
}

export function LinkedCameras(props: LinkedCamerasProps) {
  const { api, locale = 'zh-CN', limit = 9 } = props;
  const t = useMemo(() => videoT(locale), [locale]);
  const [result, setResult] = useState<LinkageResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const targetKey = JSON.stringify(props.target);
  const onResult = props.onResult;

  useEffect(() => {
    const target = JSON.parse(targetKey) as LinkTarget;
    let live = true;
    const input = props.radiusM !== undefined ? { ...target, limit, radiusM: props.radiusM } : { ...target, limit };
    void api.call('video.linkedCameras', input).then((r) => {
      if (!live) return;
      if (r.ok) {
        setResult(r.value);
        setError(null);
        onResult?.(r.value);
      } else {
        setResult(null);
        setError(r.error.message);
        onResult?.(null);
      }
    });
    const offEnded = api.on('video.linkageEnded', (e) => {
      if (('caseId' in target && e.caseId === target.caseId) || ('alarmId' in target && e.alarmId === target.alarmId)) setVersion((v) => v + 1);
    });
    const offCameras = api.on('camera.changed', () => setVersion((v) => v + 1));
    return () => {
      live = false;
      offEnded();
      offCameras();
    };
  }, [api, targetKey, limit, props.radiusM, version, onResult]);

  if (error) return <div className="vc-list vw-banner vw-banner-ended">{error}</div>;
  if (!result) return <div className="vc-list" data-testid="linked-cameras" data-state="loading" />;
  const ended = !result.active;
  return (
    <div className={`vc-list${props.className ? ` ${props.className}` : ''}`} data-testid="linked-cameras" data-state={ended ? 'ended' : 'active'}>
      <div className={`vw-banner${ended ? ' vw-banner-ended' : ''}`}>
        {ended && result.reason !== 'open' && result.reason !== 'point'
          ? t(`link.ended.${result.reason}`)
          : result.cameras.length === 0
            ? t('link.none')
            : result.target.kind === 'point'
              ? t('link.point', { n: result.cameras.length, r: result.radiusM })
              : t('link.case', { id: result.target.id ?? '', n: result.cameras.length, r: result.radiusM })}
      </div>
      <ul className="vc-items">
        {result.cameras.map((c) => (
          <li
            key={c.camera.id}
            className="vc-item"
            draggable
            data-testid="linked-camera"
            data-camera-id={c.camera.id}
            title={t('camera.drag')}
            onDragStart={(e) => setCameraDragData(e.dataTransfer, { cameraId: c.camera.id, name: c.camera.name })}
            onClick={() => props.onSelectCamera?.(c.camera)}
          >
            <span>{c.camera.name}</span>
            <span className="vc-meta">
              {t(`kind.${c.camera.kind}`)} · {t('link.distance', { m: Math.round(c.distanceM) })}
            </span>
          </li>
        ))}
      </ul>
      {result.clips.length > 0 && (
        <>
          <div className="vc-meta">{t('link.clips', { s: result.preRollS })}</div>
          <ul className="vc-items">
            {result.clips.map((clip) => (
              <li key={`${clip.cameraId}#${clip.streamIndex}`} className="vc-item" data-testid="linked-clip" onClick={() => props.onSelectClip?.(clip)}>
                <span>{clip.cameraName}</span>
                <span className="vc-meta">{clip.startAt.slice(11, 19)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
