/** Photos and files recorded with the case's actions (handling feedback, checks), oldest first. */
import { translateDynamic } from '../../../../shared/i18n';
import { formatShort } from '../../time/format';
import type { DetailContext } from './types';

export function AttachmentsSection({ workflow, t, locale }: DetailContext) {
  const list = workflow?.attachments ?? [];
  if (list.length === 0) return null;
  return (
    <section className="detail-block" data-section="attachments" data-testid="attachments">
      <h3>
        {t('attachments.title')}
        <span className="count-chip">{list.length}</span>
      </h3>
      <ul className="attach-list">
        {list.map((a, i) => (
          <li key={`${a.at}-${i}`} className="attach-item">
            <span className="attach-kind">{t(`attachments.kind.${a.kind}`)}</span>
            <span className="attach-url" title={a.url}>
              {a.name ?? a.url}
            </span>
            <span className="attach-meta">
              {translateDynamic(locale, `action.${a.action}`) ?? a.action} · {a.actor} · {formatShort(a.at)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
