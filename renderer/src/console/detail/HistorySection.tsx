import { translateDynamic } from '../../../../shared/i18n';
import { formatDateTime } from '../../time/format';
import type { DetailContext } from './types';

/** The case's history as a timeline, newest last (the order of the closed loop). */
export function HistorySection({ detail, t, locale }: DetailContext) {
  return (
    <section className="detail-block" data-section="history">
      <h3>{t('detail.history')}</h3>
      <ol className="timeline" data-testid="history">
        {detail.history.map((e) => (
          <li key={e.seq} className="timeline-item" data-action={e.action} data-role={e.role}>
            <span className="timeline-dot" aria-hidden="true" />
            <div className="timeline-head">
              <span className="timeline-action">{translateDynamic(locale, `action.${e.action}`) ?? e.action}</span>
              {e.toState && (
                <span className="timeline-states">
                  {e.fromState ? `${t(`state.${e.fromState}`)} → ` : ''}
                  {t(`state.${e.toState}`)}
                </span>
              )}
              <span className="timeline-time">{formatDateTime(e.at, t)}</span>
            </div>
            <div className="timeline-actor">
              {e.actor === 'system' ? t('role.system') : e.actor}
              {e.role && !(e.actor === 'system' && e.role === 'system') ? ` · ${translateDynamic(locale, `role.${e.role}`) ?? e.role}` : ''}
            </div>
            {e.note && <div className="timeline-note">{e.note}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
