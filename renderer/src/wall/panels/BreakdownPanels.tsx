import { CATEGORY_CLASSES } from '../../../../shared/domain/catalogue';
import { CASE_SOURCES, CASE_STATES } from '../../../../shared/domain/model';
import { classLabel } from '../../../../shared/i18n';
import { BarList, type BarItem } from '../../components/BarList';
import { Panel, PanelLoading } from '../../components/Panel';
import { useI18n } from '../../i18n/I18nProvider';
import { CLASS_PALETTE, SOURCE_COLOURS, STATE_COLOURS } from '../../theme/colours';
import type { OverviewPanelProps } from './types';

/** Today's cases by workflow state, in workflow order (every state, so the panel keeps its shape). */
export function StateBarsPanel({ data, stale }: OverviewPanelProps) {
  const { t } = useI18n();
  const items: BarItem[] = data ? CASE_STATES.map((s) => ({ key: s, label: t(`state.${s}`), value: data.byState[s] ?? 0, colour: STATE_COLOURS[s] })) : [];
  return (
    <Panel id="by-state" title={t('wall.byState.title')} stale={stale}>
      {data === null ? <PanelLoading /> : <BarList items={items} />}
    </Panel>
  );
}

/** Today's cases by source, largest first. */
export function SourceBarsPanel({ data, stale }: OverviewPanelProps) {
  const { t } = useI18n();
  const items: BarItem[] = data
    ? CASE_SOURCES.map((s) => ({ key: s, label: t(`source.${s}`), value: data.bySource[s] ?? 0, colour: SOURCE_COLOURS[s] })).sort((a, b) => b.value - a.value)
    : [];
  return (
    <Panel id="by-source" title={t('wall.bySource.title')} stale={stale}>
      {data === null ? <PanelLoading /> : <BarList items={items} />}
    </Panel>
  );
}

/** Today's cases by category class, largest first. */
export function ClassBarsPanel({ data, stale, limit }: OverviewPanelProps & { limit: number }) {
  const { t, locale } = useI18n();
  const colourOf = (code: string): string => CLASS_PALETTE[Math.max(0, CATEGORY_CLASSES.findIndex((c) => c.code === code)) % CLASS_PALETTE.length]!;
  const items: BarItem[] = data
    ? data.byClass.slice(0, limit).map((c) => ({ key: c.classCode, label: classLabel(locale, c.classCode), value: c.count, colour: colourOf(c.classCode) }))
    : [];
  return (
    <Panel id="by-class" title={t('wall.byClass.title')} stale={stale}>
      {data === null ? <PanelLoading /> : items.length === 0 ? <div className="panel-placeholder">{t('panel.empty')}</div> : <BarList items={items} />}
    </Panel>
  );
}
