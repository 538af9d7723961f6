/**
 * Pick a point on a small self-contained map (SVG, no tiles): the city's towns, then the grids
 * of the town clicked; a second click places the point. The point can also be typed as lon/lat.
 */
import { useMemo, useRef, type MouseEvent } from 'react';
import { bboxOfGeometry, pointInGeometry, type BBox } from '../../../shared/geo';
import { useApiQuery } from '../api/useApiQuery';
import { useI18n } from '../i18n/I18nProvider';
import { asAreaGeometry, fitProjection, geometryPath, padBox, unionBox } from './geo';

export interface PointPickerProps {
  point: [number, number] | null;
  onPick(lon: number, lat: number): void;
  /** The town whose grids are drawn (null: the whole city's towns). */
  townId: string | null;
  onTown(townId: string | null): void;
  width?: number;
  height?: number;
}

export function PointPicker({ point, onPick, townId, onTown, width = 420, height = 300 }: PointPickerProps) {
  const { t } = useI18n();
  const towns = useApiQuery('areas.geometry', { level: 'town' });
  const grids = useApiQuery('areas.geometry', { level: 'grid', within: townId ?? '-' }, { enabled: townId !== null });
  const svg = useRef<SVGSVGElement>(null);

  const townShapes = useMemo(() => (towns.data?.features ?? []).map((f) => ({ id: f.properties.id, name: f.properties.name, geometry: asAreaGeometry(f.geometry) })), [towns.data]);
  const gridShapes = useMemo(
    () => (townId !== null && grids.data ? grids.data.features.map((f) => ({ id: f.properties.id, name: f.properties.name, geometry: asAreaGeometry(f.geometry) })) : []),
    [grids.data, townId],
  );
  const focusTown = townShapes.find((s) => s.id === townId) ?? null;

  const projection = useMemo(() => {
    const boxes: BBox[] = focusTown ? [bboxOfGeometry(focusTown.geometry)] : townShapes.map((s) => bboxOfGeometry(s.geometry));
    const box = unionBox(boxes);
    return box ? fitProjection(padBox(box, 0.04), width, height) : null;
  }, [focusTown, townShapes, width, height]);

  const onClick = (e: MouseEvent<SVGSVGElement>): void => {
    if (!projection || !svg.current) return;
    const r = svg.current.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * width;
    const y = ((e.clientY - r.top) / r.height) * height;
    const [lon, lat] = projection.unproject(x, y);
    if (townId === null) {
      const hit = townShapes.find((s) => pointInGeometry(lon, lat, s.geometry));
      if (hit) onTown(hit.id);
      onPick(lon, lat);
      return;
    }
    onPick(lon, lat);
  };

  const marker = point && projection ? projection.project(point[0], point[1]) : null;
  return (
    <div className="picker" data-testid="point-picker" data-level={townId ? 'grid' : 'town'}>
      <div className="picker-bar">
        <span>{focusTown ? focusTown.name : t('newCase.map.city')}</span>
        {townId !== null && (
          <button type="button" className="btn btn-small" onClick={() => onTown(null)}>
            {t('newCase.map.back')}
          </button>
        )}
        <span className="picker-hint">{townId ? t('newCase.map.hintGrid') : t('newCase.map.hintTown')}</span>
      </div>
      <svg ref={svg} viewBox={`0 0 ${width} ${height}`} className="picker-svg" onClick={onClick} role="img" aria-label={t('newCase.map.label')}>
        {projection && townId === null && townShapes.map((s) => <path key={s.id} className="picker-area" d={geometryPath(s.geometry, projection)} fillRule="evenodd"><title>{s.name}</title></path>)}
        {projection && townId !== null && gridShapes.map((s) => <path key={s.id} className="picker-area picker-grid" d={geometryPath(s.geometry, projection)} fillRule="evenodd"><title>{s.name}</title></path>)}
        {projection && focusTown && <path className="picker-outline" d={geometryPath(focusTown.geometry, projection)} fillRule="evenodd" />}
        {marker && (
          <g className="picker-marker" transform={`translate(${marker[0].toFixed(1)},${marker[1].toFixed(1)})`}>
            <circle r="9" className="picker-marker-halo" />
            <circle r="4" />
          </g>
        )}
        {!projection && (
          <text x={width / 2} y={height / 2} textAnchor="middle" className="picker-loading">
            {t('panel.loading')}
          </text>
        )}
      </svg>
    </div>
  );
}
