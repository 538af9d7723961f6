/**
 * The wall's centre panel: the situation map (renderer/src/map) following the shared map state
 * that the console's layer panel edits; drill-down here moves the side panels too.
 */
import { useConnectionState } from '../api/ApiContext';
import { useApiQuery } from '../api/useApiQuery';
import { Panel } from '../components/Panel';
import type { SystemInfo } from '../data/system';
import { useViewportUnit } from '../hooks/useViewportUnit';
import { useI18n } from '../i18n/I18nProvider';
import { SituationMap } from '../map/SituationMap';
import type { AreaNode } from '../map/state/navigation';
import type { MapStateHandle } from '../map/state/useMapState';

export interface WallMapProps {
  info: SystemInfo | null;
  mapState: MapStateHandle;
  onReady(): void;
  onSelection(area: AreaNode | null): void;
}

export function WallMap({ info, mapState, onReady, onSelection }: WallMapProps) {
  const { t, locale } = useI18n();
  const u = useViewportUnit();
  const root = useApiQuery('areas.get', { id: info?.rootAreaId ?? '-' }, { enabled: Boolean(info?.rootAreaId) });
  const area = root.data?.area;
  // While the host is out of reach the map keeps what it drew, marked 数据延迟 like every panel.
  const connection = useConnectionState();
  const stale = root.stale || (connection !== 'open' && connection !== 'connecting');
  const city = area ? (locale === 'en' ? (area.nameEn ?? area.name) : area.name) : '';
  return (
    <Panel id="map" title={t('wall.map.title')} stale={stale} className="panel-map" extra={info ? t('wall.counts', info.counts) : undefined}>
      <SituationMap mapState={mapState} locale={locale} unit={u} cityName={city} onReady={onReady} onSelection={onSelection} />
    </Panel>
  );
}
