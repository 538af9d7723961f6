import { useCallback, useEffect, useState } from 'react';
import { useApiQuery } from '../api/useApiQuery';
import { useMode, useSystemInfo } from '../data/system';
import { KpiPanel } from './panels/KpiPanel';
import { ClassBarsPanel, SourceBarsPanel, StateBarsPanel } from './panels/BreakdownPanels';
import { HourlyPanel } from './panels/HourlyPanel';
import { LatestCasesPanel } from './panels/LatestCasesPanel';
import { WallHeader } from './WallHeader';
import { WallMap } from './WallMap';
import './wall.css';

const CASE_EVENTS = ['case.created', 'case.updated'] as const;

/**
 * The command wall: header, the five-colour map in the centre, today's figures on both sides.
 * Sets `document.body.dataset.ready = '1'` once the figures and the first map frame are there.
 */
export function WallScreen() {
  const info = useSystemInfo();
  const mode = useMode(info.data);
  const overview = useApiQuery('stats.overview', {}, { refreshMs: 60_000, refreshOn: CASE_EVENTS, debounceMs: 2_000 });
  const [mapReady, setMapReady] = useState(false);
  const onMapReady = useCallback(() => setMapReady(true), []);

  const ready = mapReady && overview.data !== null && info.data !== null;
  useEffect(() => {
    if (ready) document.body.dataset.ready = '1';
  }, [ready]);
  useEffect(() => {
    document.body.dataset.mode = mode?.mode ?? 'normal';
  }, [mode]);

  const panel = { data: overview.data, stale: overview.stale };
  return (
    <div className="wall" data-mode={mode?.mode ?? 'normal'}>
      <WallHeader info={info.data} mode={mode} />
      <main className="wall-body">
        <div className="wall-side wall-left">
          <KpiPanel {...panel} />
          <StateBarsPanel {...panel} />
          <SourceBarsPanel {...panel} />
        </div>
        <div className="wall-centre">
          <WallMap info={info.data} onReady={onMapReady} />
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
