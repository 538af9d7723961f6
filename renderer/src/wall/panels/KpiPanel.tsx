import type { MessageKey } from '../../../../shared/i18n';
import { Panel, PanelLoading } from '../../components/Panel';
import { useT } from '../../i18n/I18nProvider';
import type { Overview, OverviewPanelProps } from './types';

interface Tile {
  key: keyof Pick<Overview, 'reportedToday' | 'closedToday' | 'open' | 'overdue' | 'supervised'>;
  label: MessageKey;
  tone: 'accent' | 'ok' | 'info' | 'alarm' | 'warn';
}

const TILES: readonly Tile[] = [
  { key: 'reportedToday', label: 'wall.kpi.reportedToday', tone: 'accent' },
  { key: 'closedToday', label: 'wall.kpi.closedToday', tone: 'ok' },
  { key: 'open', label: 'wall.kpi.open', tone: 'info' },
  { key: 'overdue', label: 'wall.kpi.overdue', tone: 'alarm' },
  { key: 'supervised', label: 'wall.kpi.supervised', tone: 'warn' },
];

export function KpiPanel({ data, stale, scope = null }: OverviewPanelProps & { scope?: string | null }) {
  const t = useT();
  return (
    <Panel id="kpi" title={t('wall.kpi.title')} stale={stale} className="panel-kpi" extra={scope ? <span data-testid="kpi-scope">{scope}</span> : undefined}>
      {data === null ? (
        <PanelLoading />
      ) : (
        <div className="kpi-grid">
          {TILES.map((tile) => (
            <div key={tile.key} className="kpi-tile" data-kpi={tile.key} data-tone={tile.tone}>
              <div className="kpi-value" data-testid={`kpi-${tile.key}`}>
                {data[tile.key].toLocaleString('en-US')}
                <span className="kpi-unit">{t('unit.cases')}</span>
              </div>
              <div className="kpi-label">{t(tile.label)}</div>
            </div>
          ))}
        </div>
      )}
    </Panel>
  );
}
