/** The case queue: header row and the virtual list of cases. */
import type { CSSProperties } from 'react';
import type { CaseSummary } from '../../../shared/domain/model';
import { categoryLabel } from '../../../shared/i18n';
import { StateBadge, UrgencyTag } from '../components/StateBadge';
import { areaLabel, useReference } from '../data/reference';
import { useNow } from '../hooks/useNow';
import { useI18n } from '../i18n/I18nProvider';
import { formatDeadline, formatShort } from '../time/format';
import { SOURCE_COLOURS } from '../theme/colours';
import type { CasePages } from './useCasePages';
import { VirtualList } from './VirtualList';

export const ROW_HEIGHT = 40;

interface CaseTableProps {
  pages: CasePages;
  selectedId: string | null;
  onSelect(c: CaseSummary): void;
  resetKey: string;
}

export function CaseTable({ pages, selectedId, onSelect, resetKey }: CaseTableProps) {
  const { t } = useI18n();
  const now = useNow(30_000);
  const selectedIndex = findLoadedIndex(pages, selectedId);
  return (
    <div className="case-table">
      <div className="case-row case-head" role="row">
        <span>{t('console.col.urgency')}</span>
        <span>{t('console.col.code')}</span>
        <span>{t('console.col.title')}</span>
        <span>{t('console.col.area')}</span>
        <span>{t('console.col.source')}</span>
        <span>{t('console.col.state')}</span>
        <span>{t('console.col.reported')}</span>
        <span>{t('console.col.deadline')}</span>
      </div>
      <VirtualList
        testId="case-list"
        rowCount={pages.rowCount}
        rowHeight={ROW_HEIGHT}
        resetKey={resetKey}
        onRangeChange={pages.showRange}
        selectedIndex={selectedIndex}
        onSelectIndex={(i) => {
          const c = pages.row(i);
          if (c) onSelect(c);
        }}
        renderRow={(i) => <CaseRow c={pages.row(i)} index={i} selected={pages.row(i)?.id === selectedId} now={now} onSelect={onSelect} />}
      />
    </div>
  );
}

function findLoadedIndex(pages: CasePages, id: string | null): number | null {
  if (id === null) return null;
  for (let i = 0; i < pages.rowCount; i++) {
    const c = pages.row(i);
    if (c?.id === id) return i;
  }
  return null;
}

function CaseRow({ c, index, selected, now, onSelect }: { c: CaseSummary | undefined; index: number; selected: boolean; now: number; onSelect(c: CaseSummary): void }) {
  const { t, locale } = useI18n();
  const ref = useReference();
  if (!c) {
    return (
      <div className="case-row case-row-loading" data-index={index}>
        <span className="skeleton" />
      </div>
    );
  }
  const district = areaLabel(ref.areaById.get(c.districtId ?? ''), locale);
  const town = areaLabel(ref.areaById.get(c.townId ?? ''), locale);
  const deadline = c.deadlineAt && c.state !== 'closed' && c.state !== 'cancelled' ? formatDeadline(c.deadlineAt, now, t) : null;
  return (
    <div
      className="case-row"
      role="option"
      aria-selected={selected}
      data-index={index}
      data-case-id={c.id}
      data-state={c.state}
      data-overdue={c.overdue ? '1' : '0'}
      data-selected={selected ? '1' : '0'}
      onClick={() => onSelect(c)}
    >
      <span>
        <UrgencyTag urgency={c.urgency} />
      </span>
      <span className="case-code">{c.code}</span>
      <span className="case-title">
        <span className="case-title-main">{c.title}</span>
        <span className="case-title-cat">{categoryLabel(locale, c.categoryCode)}</span>
      </span>
      <span className="case-area">{[district, town].filter(Boolean).join(' · ') || t('detail.none')}</span>
      <span className="case-source" style={{ '--c': SOURCE_COLOURS[c.source] } as CSSProperties}>
        {t(`source.${c.source}`)}
      </span>
      <span>
        <StateBadge state={c.state} />
        {c.supervised && <span className="flag-supervised">{t('detail.supervised')}</span>}
      </span>
      <span className="case-time">{formatShort(c.reportedAt)}</span>
      <span className={`case-deadline ${deadline?.over || c.overdue ? 'over' : ''}`}>{deadline ? deadline.text : c.deadlineAt ? formatShort(c.deadlineAt) : t('detail.none')}</span>
    </div>
  );
}
