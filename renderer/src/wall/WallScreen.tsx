import { useCallback, useEffect, useState } from 'react';
import { useMapState } from '../map/state/useMapState';
import type { AreaNode } from '../map/state/navigation';
import { useApiQuery } from '../api/useApiQuery';
import { useMode, useSystemInfo } from '../data/system';
import { KpiPanel } from './panels/KpiPanel';
import { ClassBarsPanel, SourceBarsPanel, StateBarsPanel } from './panels/BreakdownPanels';
import { HourlyPanel } from './panels/HourlyPanel';
import { LatestCasesPanel } from './panels/LatestCasesPanel';
import { WallHeader } from './WallHeader';
import { WallMap } from './WallMap';
import { useApi } from '../api/ApiContext';
import { useI18n } from '../i18n/I18nProvider';
import { AlarmStrip, WarningBanner } from '../monitoring';
import './wall.css';

const CASE_EVENTS = ['case.created', 'case.updated'] as const;

/**
 * The command wall: header, the five-colour map in the centre, today's figures on both sides.
 * Sets `document.body.dataset.ready = '1'` once the figures and the first map frame are there.
 */
export function WallScreen() {
  const info = useSystemInfo();
  const mode = useMode(info.data);
  const api = useApi();
  const { locale } = useI18n();
  const mapState = useMapState('wall');
  // The side panels follow the area drilled into on the map (figures roll up level by level).
  const [area, setArea] = useState<AreaNode | null>(null);
  const overview = useApiQuery('stats.overview', area ? { areaId: area.id } : {}, { refreshMs: 60_000, refreshOn: CASE_EVENTS, debounceMs: 2_000 });
  const [mapReady, setMapReady] = useState(false);
  const onMapReady = useCallback(() => setMapReady(true), []);

  const ready = mapReady && overview.data !== null && info.data !== null;
  useEffect(() => {
    if (ready) document.body.dataset.ready = '1';
  }, [ready]);
  useEffect(() => {
    document.body.dataset.mode = mode?.mode ?? 'normal';
  }, [mode]);

  // While a new area's figures load, the previous ones stay (marked by the scope until they arrive).
  const panel = { data: overview.data, stale: overview.stale };
  return (
    <div className="wall" data-mode={mode?.mode ?? 'normal'} data-area={area?.id ?? ''} data-overview-area={overview.dataKey?.includes('areaId') ? (area?.id ?? '') : ''}>
      <WallHeader info={info.data} mode={mode} />
      <main className="wall-body">
        <div className="wall-side wall-left">
          <KpiPanel {...panel} scope={area?.name ?? null} />
          <StateBarsPanel {...panel} />
          <SourceBarsPanel {...panel} />
        </div>
        <div className="wall-centre">
          {/* Official warnings in force (CAP) above the map; sensor alarms below it, with sound: the wall never mutes. */}
          <div className="wall-warnings-slot">
            <WarningBanner api={api} locale={locale} className="wall-warnings" />
          </div>
          <WallMap info={info.data} mapState={mapState} onReady={onMapReady} onSelection={setArea} />
          <AlarmStrip api={api} locale={locale} seatId="wall" allowMute={false} maxItems={3} className="wall-alarms" />
        </div>
        <div className="wall-side wall-right">
          <HourlyPanel {...panel} />
          <LatestCasesPanel {...panel} />
          <ClassBarsPanel {...panel} limit={8} />
        </div>
      </main>
    </div>
  );
}
