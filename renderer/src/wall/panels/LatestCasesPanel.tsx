import { categoryLabel } from '../../../../shared/i18n';
import { Panel, PanelLoading } from '../../components/Panel';
import { StateBadge } from '../../components/StateBadge';
import { areaLabel, useReference } from '../../data/reference';
import { useFitCount } from '../../hooks/useFitCount';
import { useViewportUnit } from '../../hooks/useViewportUnit';
import { useI18n } from '../../i18n/I18nProvider';
import { formatHm } from '../../time/format';
import type { OverviewPanelProps } from './types';

/** Row height of the list, in wall units (matches .latest-row in wall.css). */
const ROW_UNITS = 4.4;

export function LatestCasesPanel({ data, stale }: OverviewPanelProps) {
  const { t, locale } = useI18n();
  const ref = useReference();
  const u = useViewportUnit();
  const [body, fit] = useFitCount(u * ROW_UNITS);
  const rows = data?.latest.slice(0, fit) ?? [];
  return (
    <Panel id="latest" title={t('wall.latest.title')} stale={stale}>
      {data === null ? (
        <PanelLoading />
      ) : (
        <div className="latest">
          <div className="latest-head">
            <span>{t('wall.latest.time')}</span>
            <span>{t('wall.latest.category')}</span>
            <span>{t('wall.latest.grid')}</span>
            <span>{t('wall.latest.state')}</span>
          </div>
          <ol className="latest-body" ref={body}>
            {rows.map((c) => (
              <li key={c.id} className="latest-row" data-case={c.id} data-overdue={c.overdue ? '1' : '0'} data-urgency={c.urgency}>
                <span className="latest-time">{formatHm(c.reportedAt)}</span>
                <span className="latest-cat">{categoryLabel(locale, c.categoryCode)}</span>
                <span className="latest-grid">
                  {areaLabel(ref.areaById.get(c.gridId ?? ''), locale) ?? areaLabel(ref.areaById.get(c.townId ?? ''), locale) ?? t('detail.none')}
                </span>
                <span className="latest-state">
                  <StateBadge state={c.state} />
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </Panel>
  );
}
