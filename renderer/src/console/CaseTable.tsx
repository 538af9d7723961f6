/**
 * The case queue: header row and the virtual list of cases. ↑/↓ move the cursor, Enter (or a
 * click) opens the case in the detail panel. Each row shows the time left to the deadline,
 * coloured at 80 % of the allotted time (预警) and when overdue, and the supervision level.
 */
import { useEffect, useState, type CSSProperties } from 'react';
import type { CaseSummary } from '../../../shared/domain/model';
import { categoryLabel } from '../../../shared/i18n';
import { StateBadge, UrgencyTag } from '../components/StateBadge';
import { areaLabel, useReference } from '../data/reference';
import { useNow } from '../hooks/useNow';
import { useI18n } from '../i18n/I18nProvider';
import { formatDeadline, formatShort } from '../time/format';
import { SOURCE_COLOURS } from '../theme/colours';
import { deadlineTone } from './deadline';
import type { CasePages } from './useCasePages';
import { VirtualList } from './VirtualList';

export const ROW_HEIGHT = 40;

interface CaseTableProps {
  pages: CasePages;
  /** The case open in the detail panel. */
  openId: string | null;
  onOpen(c: CaseSummary): void;
  resetKey: string;
}

export function CaseTable({ pages, openId, onOpen, resetKey }: CaseTableProps) {
  const { t } = useI18n();
  const now = useNow(30_000);
  const [cursorId, setCursorId] = useState<string | null>(null);
  useEffect(() => setCursorId(null), [resetKey]);
  const cursorIndex = cursorId !== null ? pages.indexOf(cursorId) : openId !== null ? pages.indexOf(openId) : null;
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
        <span>{t('console.col.remaining')}</span>
      </div>
      <VirtualList
        testId="case-list"
        rowCount={pages.rowCount}
        rowHeight={ROW_HEIGHT}
        resetKey={resetKey}
        onRangeChange={pages.showRange}
        selectedIndex={cursorIndex}
        onSelectIndex={(i) => {
          const c = pages.row(i);
          if (c) setCursorId(c.id);
        }}
        onActivate={(i) => {
          const c = pages.row(i);
          if (c) onOpen(c);
        }}
        renderRow={(i) => {
          const c = pages.row(i);
          return (
            <CaseRow
              c={c}
              index={i}
              open={c !== undefined && c.id === openId}
              cursor={c !== undefined && i === cursorIndex}
              now={now}
              onClick={(x) => {
                setCursorId(x.id);
                onOpen(x);
              }}
            />
          );
        }}
      />
    </div>
  );
}

function CaseRow({ c, index, open, cursor, now, onClick }: { c: CaseSummary | undefined; index: number; open: boolean; cursor: boolean; now: number; onClick(c: CaseSummary): void }) {
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
  const tone = deadlineTone(c, now);
  const remaining =
    tone === 'ok' || tone === 'warning' || tone === 'overdue'
      ? formatDeadline(c.deadlineAt ?? '', now, t).text
      : tone === 'paused'
        ? t('deadline.paused')
        : tone === 'done'
          ? c.closedAt
            ? t('deadline.closedAt', { at: formatShort(c.closedAt) })
            : t('detail.none')
          : t('deadline.notStarted');
  return (
    <div
      className="case-row"
      role="option"
      aria-selected={open}
      data-index={index}
      data-case-id={c.id}
      data-code={c.code}
      data-state={c.state}
      data-overdue={c.overdue ? '1' : '0'}
      data-selected={open ? '1' : '0'}
      data-cursor={cursor ? '1' : '0'}
      data-tone={tone}
      onClick={() => onClick(c)}
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
      <span className="case-state">
        <StateBadge state={c.state} />
        {c.supervised && (
          <span className="flag-supervised" data-level={c.supervisionLevel} title={t(`supervision.${levelKey(c.supervisionLevel)}`)}>
            {t('supervision.short', { n: Math.max(1, c.supervisionLevel) })}
          </span>
        )}
      </span>
      <span className="case-time">{formatShort(c.reportedAt)}</span>
      <span className={`case-deadline tone-${tone}`} data-testid="case-remaining">
        {remaining}
      </span>
    </div>
  );
}

const levelKey = (l: number): 0 | 1 | 2 | 3 => Math.max(0, Math.min(3, Math.round(l))) as 0 | 1 | 2 | 3;
