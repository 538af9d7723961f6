/**
 * The console's map tab (态势地图): the layer panel (图层控制: layers, opacity, filters, legends,
 * time, area, saved views, basemap, search) beside a live preview of the wall's situation map.
 * Both edit the one shared map state (map.state.*), so every attached wall follows what the seat
 * does here; the preview shows it without turning round to the wall.
 */
import { useApiQuery } from '../../api/useApiQuery';
import { useSystemInfo } from '../../data/system';
import { useI18n } from '../../i18n/I18nProvider';
import { SituationMap } from '../../map/SituationMap';
import { LayerPanel } from '../../map/panel/LayerPanel';
import { useMapState } from '../../map/state/useMapState';

/** The preview's layout unit: labels sized as on a 1080-pixel wall seen from a seat. */
const PREVIEW_UNIT = 8;

export function MapTab({ actor }: { actor: string }) {
  const { t, locale } = useI18n();
  const mapState = useMapState(actor);
  const info = useSystemInfo().data;
  const root = useApiQuery('areas.get', { id: info?.rootAreaId ?? '-' }, { enabled: Boolean(info?.rootAreaId) });
  const area = root.data?.area;
  const city = area ? (locale === 'en' ? (area.nameEn ?? area.name) : area.name) : '';
  return (
    <div className="console-map" data-testid="console-map">
      <aside className="console-map-panel">
        <LayerPanel actor={actor} />
      </aside>
      <section className="console-map-preview" aria-label={t('console.map.preview')}>
        <div className="console-map-hint">{t('console.map.preview')}</div>
        <div className="console-map-canvas">
          <SituationMap mapState={mapState} locale={locale} unit={PREVIEW_UNIT} cityName={city} />
        </div>
      </section>
    </div>
  );
}
