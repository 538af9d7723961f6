/**
 * Where the case is and who sees it (视图联动): a small SVG inset of the case's community with its
 * grid highlighted, the case point and the linked cameras' fields of view; the linked cameras
 * (LinkedCameras from renderer/src/video, the same linkage the wall uses) and a small player for
 * the camera picked in the list.
 */
import { useCallback, useMemo, useState } from 'react';
import type { CameraDetail, LinkageResult } from '../../../../shared/domain/video';
import { bboxOfGeometry, type BBox } from '../../../../shared/geo';
import { useApiQuery } from '../../api/useApiQuery';
import { LinkedCameras, VideoPlayer } from '../../video';
import { detectCaps, pickStream } from '../../video/engines';
import { asAreaGeometry, fitProjection, geometryPath, padBox, unionBox, wedgePath } from '../geo';
import type { DetailContext } from './types';

const W = 520;
const H = 210;

export function LocationSection(ctx: DetailContext) {
  const { detail, api, locale, t } = ctx;
  const [linkage, setLinkage] = useState<LinkageResult | null>(null);
  const [camera, setCamera] = useState<CameraDetail | null>(null);
  const onResult = useCallback((r: LinkageResult | null) => setLinkage(r), []);
  const picked = useMemo(() => (camera ? pickStream(camera.streams, detectCaps(window)) : null), [camera]);
  const target = useMemo(() => ({ caseId: detail.id }), [detail.id]);

  return (
    <section className="detail-block" data-section="location">
      <h3>{t('location.title')}</h3>
      <MapInset ctx={ctx} linkage={linkage} selectedCameraId={camera?.id ?? null} />
      <div className="location-video">
        <div className="location-cameras">
          <div className="location-sub">{t('location.cameras')}</div>
          <LinkedCameras api={api} target={target} locale={locale} limit={6} onResult={onResult} onSelectCamera={setCamera} />
        </div>
        <div className="location-player" data-testid="case-player">
          {camera ? (
            <VideoPlayer key={camera.id} cameraId={camera.id} cameraName={camera.name} stream={picked?.stream ?? null} streamIndex={picked?.index ?? 0} locale={locale} />
          ) : (
            <div className="location-player-empty">{t('location.pickCamera')}</div>
          )}
        </div>
      </div>
    </section>
  );
}

function MapInset({ ctx, linkage, selectedCameraId }: { ctx: DetailContext; linkage: LinkageResult | null; selectedCameraId: string | null }) {
  const { detail, t } = ctx;
  const within = detail.communityId ?? detail.townId;
  const grids = useApiQuery('areas.geometry', { level: 'grid', within: within ?? '-' }, { enabled: within !== null });
  const shapes = useMemo(
    () => (grids.data?.features ?? []).map((f) => ({ id: f.properties.id, name: f.properties.name, risk: f.properties.riskLevel, geometry: asAreaGeometry(f.geometry) })),
    [grids.data],
  );
  const own = shapes.find((s) => s.id === detail.gridId) ?? null;
  const cameras = linkage?.cameras ?? [];

  const projection = useMemo(() => {
    const boxes: BBox[] = [];
    if (own) boxes.push(bboxOfGeometry(own.geometry));
    boxes.push([detail.lon, detail.lat, detail.lon, detail.lat]);
    for (const c of cameras) boxes.push([c.camera.lon, c.camera.lat, c.camera.lon, c.camera.lat]);
    const box = unionBox(boxes);
    return box ? fitProjection(padBox(box, 0.22, 0.003), W, H) : null;
  }, [own, detail.lon, detail.lat, cameras]);

  if (!projection) return null;
  const [px, py] = projection.project(detail.lon, detail.lat);
  return (
    <svg className="inset" viewBox={`0 0 ${W} ${H}`} data-testid="map-inset" role="img" aria-label={t('location.inset', { grid: own?.name ?? t('detail.none') })}>
      <defs>
        <radialGradient id="inset-pulse">
          <stop offset="0" stopColor="rgba(255,92,92,0.55)" />
          <stop offset="1" stopColor="rgba(255,92,92,0)" />
        </radialGradient>
      </defs>
      {shapes.map((s) => (
        <path key={s.id} className={`inset-grid${s.id === detail.gridId ? ' own' : ''}`} data-risk={s.risk} d={geometryPath(s.geometry, projection)} fillRule="evenodd">
          <title>{s.name}</title>
        </path>
      ))}
      {cameras.map((c) => {
        const [cx, cy] = projection.project(c.camera.lon, c.camera.lat);
        return (
          <g key={c.camera.id} className={`inset-camera${c.camera.id === selectedCameraId ? ' on' : ''}`}>
            <path className="inset-fov" d={wedgePath(cx, cy, c.camera.heading, c.camera.fov, 26)} />
            <rect x={cx - 3.5} y={cy - 3.5} width="7" height="7" rx="1.5" />
            <title>{c.camera.name}</title>
          </g>
        );
      })}
      <circle cx={px} cy={py} r="16" fill="url(#inset-pulse)" />
      <circle className="inset-case" cx={px} cy={py} r="5" />
      {own && (
        <text className="inset-label" x="8" y="16">
          {own.name}
        </text>
      )}
      <text className="inset-coord" x={W - 8} y={H - 8} textAnchor="end">
        {detail.lon.toFixed(5)}, {detail.lat.toFixed(5)}
      </text>
    </svg>
  );
}
