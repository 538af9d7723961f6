/**
 * Possible duplicates (cases.duplicates: the same category within 50 m and 2 h, open), nearest
 * first, with the core's proposed merge target; merging keeps both histories (cases.merge).
 */
import { useApiQuery } from '../../api/useApiQuery';
import { formatShort } from '../../time/format';
import type { DetailContext } from './types';

export function DuplicatesSection({ detail, workflow, t, onOpenCase, onMerge, busy }: DetailContext) {
  const open = detail.state !== 'closed' && detail.state !== 'cancelled';
  const dups = useApiQuery('cases.duplicates', { id: detail.id }, { enabled: open, refreshOn: ['case.created', 'case.updated'], debounceMs: 3000 });
  const canMerge = workflow?.allowedActions.includes('merge') ?? false;
  const mergedInto = workflow?.mergedInto ?? null;
  const candidates = dups.dataKey !== null && dups.data ? dups.data.candidates : [];
  if (mergedInto === null && candidates.length === 0) return null;
  return (
    <section className="detail-block" data-section="duplicates" data-testid="duplicates">
      <h3>
        {t('duplicates.title')}
        {candidates.length > 0 && <span className="count-chip warn">{candidates.length}</span>}
      </h3>
      {mergedInto !== null && (
        <p className="dlg-note-block">
          {t('duplicates.mergedInto')}{' '}
          <button type="button" className="link" onClick={() => onOpenCase(mergedInto)}>
            {mergedInto}
          </button>
        </p>
      )}
      <ul className="dup-list">
        {candidates.map((d) => (
          <li key={d.id} className={`dup-item${d.id === dups.data?.proposedMergeTarget ? ' proposed' : ''}`} data-case-id={d.id}>
            <button type="button" className="link dup-code" onClick={() => onOpenCase(d.id)}>
              {d.code}
            </button>
            <span className="dup-title">{d.title}</span>
            <span className="dup-meta">{t('duplicates.meta', { m: Math.round(d.distanceM), min: Math.round(d.minutesApart), state: t(`state.${d.state}`), at: formatShort(d.reportedAt) })}</span>
            {canMerge && (
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => onMerge(d.id)} data-action="merge">
                {d.id === dups.data?.proposedMergeTarget ? `★ ${t('duplicates.mergeInto')}` : t('duplicates.mergeInto')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
