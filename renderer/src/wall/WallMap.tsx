import { useMemo, type CSSProperties } from 'react';
import { OPEN_STATES } from '../../../shared/domain/model';
import { useApiQuery } from '../api/useApiQuery';
import { useReference } from '../data/reference';
import type { SystemInfo } from '../data/system';
import { useViewportUnit } from '../hooks/useViewportUnit';
import { useI18n } from '../i18n/I18nProvider';
import { DEFAULT_CASE_POINT_CONFIG, DEFAULT_GRID_CONFIG, DEFAULT_TOWN_BOUNDARY_CONFIG, type MapLayerConfig, type MapLayerData } from '../map/layers';
import { CASE_MARKER_COLOURS, RISK_HEX } from '../map/layers/colours';
import { MapView } from '../map/MapView';
import { boundsOf, MAP_LAYER_IDS } from '../map/style';
import { Panel, PanelLoading } from '../components/Panel';

const CASE_EVENTS = ['case.created', 'case.updated'] as const;

/**
 * The wall's layers, bottom to top: grids and town lines under the district lines, cases under the
 * district names. Pixel sizes grow with the screen (`scale` is 1 on a 1080-pixel-high wall).
 */
export function wallLayers(scale: number): MapLayerConfig[] {
  return [
    { ...DEFAULT_GRID_CONFIG, beforeId: MAP_LAYER_IDS.districtGlow },
    { ...DEFAULT_TOWN_BOUNDARY_CONFIG, lineWidthPx: DEFAULT_TOWN_BOUNDARY_CONFIG.lineWidthPx * scale, beforeId: MAP_LAYER_IDS.districtGlow },
    { ...DEFAULT_CASE_POINT_CONFIG, radiusPx: DEFAULT_CASE_POINT_CONFIG.radiusPx * scale, beforeId: MAP_LAYER_IDS.districtLabels },
  ];
}

/** Layout unit (px) of a 1080-pixel-high screen. */
const BASE_UNIT = 10.8;

const allLoaded = (d: MapLayerData): boolean => d.grids !== null && d.towns !== null && d.cases !== null;

const rgba = (c: readonly number[]): string => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] ?? 255) / 255})`;

export function WallMap({ info, onReady }: { info: SystemInfo | null; onReady: () => void }) {
  const { t, locale } = useI18n();
  const u = useViewportUnit();
  const ref = useReference();
  const districts = useApiQuery('areas.geometry', { level: 'district' }, { refreshMs: 10 * 60_000 });
  const towns = useApiQuery('areas.geometry', { level: 'town' }, { refreshMs: 10 * 60_000 });
  const grids = useApiQuery('areas.geometry', { level: 'grid' }, { refreshMs: 5 * 60_000 });
  const cases = useApiQuery('cases.points', { states: [...OPEN_STATES] }, { refreshMs: 60_000, refreshOn: CASE_EVENTS });

  const scale = u / BASE_UNIT;
  const layers = useMemo(() => wallLayers(scale), [scale]);
  const data = useMemo<MapLayerData>(() => ({ grids: grids.data, towns: towns.data, cases: cases.data }), [grids.data, towns.data, cases.data]);
  const englishNames = useMemo(() => new Map(ref.districts.map((d) => [d.id, d.nameEn ?? d.name])), [ref.districts]);
  const stale = districts.stale || towns.stale || grids.stale || cases.stale;
  // Start on the subdivided towns (where the grids and cases are); the rest of the city frames them.
  const focus = useMemo(() => (towns.data ? boundsOf(towns.data) : null), [towns.data]);
  const overdue = cases.data ? cases.data.overdue.filter(Boolean).length : null;

  return (
    <Panel id="map" title={t('wall.map.title')} stale={stale} className="panel-map" extra={info ? t('wall.counts', info.counts) : undefined}>
      {districts.data === null || !allLoaded(data) ? (
        <PanelLoading />
      ) : (
        <div className="map-frame">
          <MapView
            districts={districts.data}
            layers={layers}
            lineScale={scale}
            data={data}
            locale={locale}
            englishNames={englishNames}
            labelSizePx={Math.round(u * 1.9)}
            paddingPx={Math.round(u * 3)}
            focus={focus}
            onReady={onReady}
          />
          <div className="map-legend" data-testid="map-legend">
            <div className="legend-title">{t('wall.map.legend')}</div>
            <ul className="legend-risk">
              {RISK_HEX.map((hex, level) => (
                <li key={hex} style={{ '--c': hex } as CSSProperties}>
                  <span className="swatch" />
                  {t(`risk.${level as 0 | 1 | 2 | 3 | 4}`)}
                </li>
              ))}
            </ul>
            <div className="legend-title">{t('wall.map.cases')}</div>
            <ul className="legend-cases">
              <li style={{ '--c': rgba(CASE_MARKER_COLOURS.pending) } as CSSProperties}>
                <span className="dot" />
                {t('wall.map.pending')}
              </li>
              <li style={{ '--c': rgba(CASE_MARKER_COLOURS.inProgress) } as CSSProperties}>
                <span className="dot" />
                {t('wall.map.inProgress')}
              </li>
              <li style={{ '--c': rgba(CASE_MARKER_COLOURS.overdue) } as CSSProperties}>
                <span className="dot" />
                {t('wall.map.overdue')}
                {overdue !== null && <b className="legend-count">{overdue}</b>}
              </li>
            </ul>
          </div>
        </div>
      )}
    </Panel>
  );
}
