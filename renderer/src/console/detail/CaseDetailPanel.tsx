import { useApiQuery } from '../../api/useApiQuery';
import { useEvent } from '../../api/ApiContext';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { areaLabel, useReference } from '../../data/reference';
import { useNow } from '../../hooks/useNow';
import { useI18n } from '../../i18n/I18nProvider';
import { DETAIL_SECTIONS, type DetailContext } from './sections';

/** Case detail (cases.get) for the selected case; refreshes when that case changes. */
export function CaseDetailPanel({ caseId }: { caseId: string | null }) {
  const { t, locale } = useI18n();
  const reference = useReference();
  const now = useNow(30_000);
  const detail = useApiQuery('cases.get', { id: caseId ?? '-' }, { enabled: caseId !== null });
  const gridId = detail.data?.id === caseId ? (detail.data?.gridId ?? null) : null;
  const chain = useApiQuery('areas.get', { id: gridId ?? '-' }, { enabled: gridId !== null });
  useEvent('case.updated', (p) => {
    if (p.case.id === caseId) detail.refresh();
  });

  if (caseId === null) {
    return (
      <aside className="detail detail-empty" data-testid="case-detail">
        {t('console.noSelection')}
      </aside>
    );
  }
  const d = detail.data?.id === caseId ? detail.data : null;
  if (d === null) {
    return (
      <aside className="detail detail-empty" data-testid="case-detail">
        {detail.error ? t('detail.loadFailed') : t('panel.loading')}
      </aside>
    );
  }
  const areaChain =
    chain.data && chain.data.area.id === d.gridId
      ? [...chain.data.ancestors, chain.data.area].map((a) => areaLabel(a, locale) ?? a.name)
      : [d.districtId, d.townId, d.communityId, d.gridId].map((id) => areaLabel(reference.areaById.get(id ?? ''), locale)).filter((x): x is string => x !== null);
  const ctx: DetailContext = { detail: d, now, locale, t, reference, areaChain };
  return (
    <aside className="detail" data-testid="case-detail" data-case-id={d.id} data-stale={detail.stale ? '1' : undefined}>
      <header className="detail-bar">
        <span>{t('detail.title')}</span>
        {detail.stale && <span className="stale-marker">{t('panel.stale')}</span>}
      </header>
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
