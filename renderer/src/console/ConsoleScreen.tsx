import { useEffect, useState } from 'react';
import type { CaseSummary } from '../../../shared/domain/model';
import { useI18n } from '../i18n/I18nProvider';
import { CaseTable } from './CaseTable';
import { ConsoleHeader } from './ConsoleHeader';
import { CaseDetailPanel } from './detail/CaseDetailPanel';
import { FilterPanel, SortSelect } from './FilterPanel';
import { EMPTY_FILTERS, filtersKey, type CaseFilters } from './filters';
import { useCasePages } from './useCasePages';
import './console.css';

const TEXT_DEBOUNCE_MS = 300;

/**
 * The operator console (坐席): filters | the case queue | the selected case. Layout slots are
 * named (console-filters, console-queue, console-detail) so later features (workflow actions,
 * the dispatch dialog, a map inset) attach without reshaping the screen; the detail panel's
 * content is extended through DETAIL_SECTIONS.
 */
export function ConsoleScreen() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<CaseFilters>(EMPTY_FILTERS);
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const pages = useCasePages(filters);

  useEffect(() => {
    if (text === filters.text) return undefined;
    const timer = setTimeout(() => setFilters((f) => ({ ...f, text })), TEXT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filters.text]);

  useEffect(() => {
    if (pages.total !== null) document.body.dataset.ready = '1';
  }, [pages.total]);

  const totalText = pages.total === null ? '…' : pages.capped ? `${pages.total}+` : String(pages.total);
  return (
    <div className="console">
      <ConsoleHeader />
      <div className="console-body">
        <div className="console-filters">
          <FilterPanel filters={filters} onChange={setFilters} text={text} onText={setText} />
        </div>
        <section className="console-queue">
          <div className="queue-bar">
            <span className="queue-total" data-testid="case-total" data-total={pages.total ?? ''} data-capped={pages.capped ? '1' : '0'}>
              {t('console.total', { n: totalText })}
            </span>
            {pages.error && (
              <span className="queue-error" role="alert">
                {t('console.loadFailed', { message: pages.error.message })}
                <button type="button" onClick={pages.refresh}>
                  {t('console.retry')}
                </button>
              </span>
            )}
            <SortSelect value={filters.sort} onChange={(sort) => setFilters((f) => ({ ...f, sort }))} />
          </div>
          {pages.total === 0 ? (
            <div className="queue-empty">{t('console.noResults')}</div>
          ) : (
            <CaseTable pages={pages} selectedId={selected} onSelect={(c: CaseSummary) => setSelected(c.id)} resetKey={filtersKey(filters)} />
          )}
        </section>
        <div className="console-detail">
          <CaseDetailPanel caseId={selected} />
        </div>
      </div>
    </div>
  );
}
