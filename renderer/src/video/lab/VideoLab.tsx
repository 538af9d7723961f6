/**
 * The video lab: every video component on one page, for end-to-end tests, benchmarks and trying
 * streams by hand. Scenes (query string):
 *   ?scene=players&cameras=a,b&hls=auto|native|hlsjs   one player per camera (its first live stream)
 *   ?scene=wall&layout=16&cameras=a,b,…&cap=4&list=1    the wall with these tiles (cap: per-origin cap; list: a camera list to drag from)
 *   ?scene=wall&layout=9&cameras=…&tour=5              the wall touring the cameras every 5 s
 *   ?scene=link&case=ID&layout=9                       linkage for a case (wall + list); also alarm=ID or point=lon,lat
 *   ?scene=float&camera=ID                             the floating live view
 * `window.__videoLab` holds the wall's handle; `document.body.dataset.videoLab` is 'ready' once mounted.
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { ApiClient } from '../../../../shared/api';
import type { Locale } from '../../../../shared/i18n';
import { WALL_LAYOUTS, type CameraDetail, type WallLayout } from '../../../../shared/domain/video';
import { CameraList } from '../CameraList';
import { detectCaps, pickStream, type HlsPreference } from '../engines';
import { FloatingVideo } from '../FloatingVideo';
import { LinkedCameras } from '../LinkedCameras';
import { VideoPlayer } from '../VideoPlayer';
import { VideoWall, type LinkTarget, type VideoWallHandle } from '../VideoWall';

declare global {
  interface Window {
    __videoLab?: { wall: VideoWallHandle | null };
  }
}

export interface VideoLabProps {
  api: ApiClient;
  locale: Locale;
  search: string;
}

const asLayout = (v: string | null, fallback: WallLayout): WallLayout => ((WALL_LAYOUTS as readonly string[]).includes(v ?? '') ? (v as WallLayout) : fallback);
const asHls = (v: string | null): HlsPreference => (v === 'native' || v === 'hlsjs' ? v : 'auto');

export function VideoLab({ api, locale, search }: VideoLabProps) {
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const scene = params.get('scene') ?? 'wall';
  const ids = useMemo(() => (params.get('cameras') ?? '').split(',').filter((x) => x.length > 0), [params]);
  const hls = asHls(params.get('hls'));
  const wallRef = useRef<VideoWallHandle>(null);

  useEffect(() => {
    window.__videoLab = { get wall() { return wallRef.current; } };
    document.body.dataset.videoLab = 'ready';
    return () => {
      delete document.body.dataset.videoLab;
    };
  }, []);

  if (scene === 'players') return <PlayersScene api={api} locale={locale} ids={ids} hls={hls} />;
  if (scene === 'float') {
    return (
      <div style={{ position: 'relative', width: '100%', height: '100%' }}>
        <FloatingVideo api={api} cameraId={params.get('camera') ?? ''} x={400} y={320} locale={locale} hlsEngine={hls} onClose={() => undefined} />
      </div>
    );
  }
  let target: LinkTarget | null = null;
  if (scene === 'link') {
    const point = (params.get('point') ?? '').split(',').map(Number);
    target = params.get('case')
      ? { caseId: params.get('case')! }
      : params.get('alarm')
        ? { alarmId: params.get('alarm')! }
        : point.length === 2 && point.every(Number.isFinite)
          ? { point: [point[0]!, point[1]!] }
          : null;
  }
  const layout = asLayout(params.get('layout'), scene === 'link' ? '9' : '4');
  const cap = Number(params.get('cap'));
  const tourS = Number(params.get('tour'));
  const side = params.get('list') === '1' || scene === 'link';
  return (
    <div style={{ display: 'flex', width: '100%', height: '100%', gap: 6, padding: 6, boxSizing: 'border-box' }}>
      {side && (
        <div style={{ width: 260, flex: 'none' }}>
          {target ? <LinkedCameras api={api} target={target} locale={locale} limit={layout === '16' ? 16 : layout === '1+5' ? 6 : Number(layout)} /> : <CameraList api={api} locale={locale} />}
        </div>
      )}
      <div style={{ flex: 1, minWidth: 0 }}>
        <VideoWall
          ref={wallRef}
          api={api}
          locale={locale}
          initialLayout={layout}
          initialTiles={ids}
          linkTarget={target}
          hlsEngine={hls}
          {...(Number.isInteger(cap) && cap > 0 ? { maxLivePerOrigin: cap } : {})}
        />
        <TourStarter wall={wallRef} ids={ids} seconds={Number.isInteger(tourS) && tourS >= 3 ? tourS : 0} />
      </div>
    </div>
  );
}

function TourStarter({ wall, ids, seconds }: { wall: RefObject<VideoWallHandle | null>; ids: string[]; seconds: number }) {
  useEffect(() => {
    if (seconds > 0 && ids.length > 0) wall.current?.startTour({ cameraIds: ids, intervalS: seconds });
  }, [wall, ids, seconds]);
  return null;
}

function PlayersScene({ api, locale, ids, hls }: { api: ApiClient; locale: Locale; ids: string[]; hls: HlsPreference }) {
  const [cameras, setCameras] = useState<CameraDetail[]>([]);
  useEffect(() => {
    void api.call('cameras.getMany', { ids }).then((r) => {
      if (r.ok) setCameras(r.value);
    });
  }, [api, ids]);
  const caps = useMemo(() => detectCaps(window), []);
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gridAutoRows: 200, gap: 6, padding: 6 }}>
      {cameras.map((c) => {
        const picked = pickStream(c.streams, caps, hls);
        return (
          <VideoPlayer
            key={c.id}
            cameraId={c.id}
            cameraName={c.name}
            stream={picked?.stream ?? null}
            streamIndex={picked?.index ?? 0}
            hlsEngine={hls}
            locale={locale}
            onReport={(r) => {
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
        );
      })}
    </div>
  );
}
