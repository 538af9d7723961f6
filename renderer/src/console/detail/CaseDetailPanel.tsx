import { useMemo, type ReactNode } from 'react';
import type { ApiClient } from '../../../../shared/api';
import type { Unit } from '../../../../shared/domain/model';
import { useApiQuery } from '../../api/useApiQuery';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { areaLabel, useReference } from '../../data/reference';
import { useNow } from '../../hooks/useNow';
import { useI18n } from '../../i18n/I18nProvider';
import type { Seat } from '../seat';
import type { CaseRecord } from '../useCaseRecord';
import { DETAIL_SECTIONS, type DetailContext } from './sections';

export interface CaseDetailPanelProps {
  caseId: string | null;
  record: CaseRecord;
  api: ApiClient;
  seat: Seat;
  units: ReadonlyMap<string, Unit>;
  busy: boolean;
  /** The action bar, fixed above the sections. */
  actions: ReactNode;
  onOpenCase(id: string): void;
  onMerge(targetId: string): void;
}

/** Case detail for the opened case: the action bar, then DETAIL_SECTIONS in order. */
export function CaseDetailPanel({ caseId, record, api, seat, units, busy, actions, onOpenCase, onMerge }: CaseDetailPanelProps) {
  const { t, locale } = useI18n();
  const reference = useReference();
  const now = useNow(30_000);
  const d = record.detail;
  const gridId = d?.gridId ?? null;
  const chain = useApiQuery('areas.get', { id: gridId ?? '-' }, { enabled: gridId !== null });
  const areaChain = useMemo(
    () =>
      d === null
        ? []
        : chain.data && chain.data.area.id === d.gridId
          ? [...chain.data.ancestors, chain.data.area].map((a) => areaLabel(a, locale) ?? a.name)
          : [d.districtId, d.townId, d.communityId, d.gridId].map((id) => areaLabel(reference.areaById.get(id ?? ''), locale)).filter((x): x is string => x !== null),
    [d, chain.data, locale, reference.areaById],
  );

  if (caseId === null) {
    return (
      <aside className="detail detail-empty" data-testid="case-detail">
        <div>
          <p>{t('console.noSelection')}</p>
          <p className="detail-keys">{t('console.keysHint')}</p>
        </div>
      </aside>
    );
  }
  if (d === null) {
    return (
      <aside className="detail detail-empty" data-testid="case-detail">
        {record.error ? t('detail.loadFailed') : t('panel.loading')}
      </aside>
    );
  }
  const ctx: DetailContext = { detail: d, workflow: record.workflow, now, locale, t, reference, areaChain, api, seat, units, onOpenCase, onMerge, busy };
  return (
    <aside className="detail" data-testid="case-detail" data-case-id={d.id} data-state={d.state} data-version={d.version} data-stale={record.stale ? '1' : undefined}>
      <header className="detail-bar">
        <span>{t('detail.title')}</span>
        <span className="detail-bar-code">{d.code}</span>
        {record.stale && <span className="stale-marker">{t('panel.stale')}</span>}
      </header>
      {actions}
      <div className="detail-scroll">
        {DETAIL_SECTIONS.map((s) => (
          <ErrorBoundary key={`${s.id}:${d.id}`} name={`detail.${s.id}`} fallback={<div className="panel-fallback">{t('panel.error')}</div>}>
            {s.render(ctx)}
          </ErrorBoundary>
        ))}
      </div>
    </aside>
  );
}
