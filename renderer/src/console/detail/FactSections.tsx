import type { ReactNode } from 'react';
import { categoryLabel, classLabel } from '../../../../shared/i18n';
import { StateBadge, UrgencyTag } from '../../components/StateBadge';
import { useApiQuery } from '../../api/useApiQuery';
import { departmentLabel } from '../../data/reference';
import { supervisionName } from '../labels';
import { formatDateTime, formatDeadline } from '../../time/format';
import type { DetailContext } from './types';

export function HeadlineSection({ detail, t }: DetailContext) {
  return (
    <div className="detail-headline">
      <div className="detail-badges">
        <UrgencyTag urgency={detail.urgency} />
        <StateBadge state={detail.state} />
        {detail.overdue ? <span className="flag-overdue">{t('detail.overdue')}</span> : detail.warning && detail.state !== 'closed' && <span className="flag-warning">{t('detail.warning')}</span>}
        {detail.supervised && (
          <span className="flag-supervised" data-level={detail.supervisionLevel}>
            {detail.supervisionLevel > 0 ? supervisionName(detail.supervisionLevel, t) : t('detail.supervised')}
          </span>
        )}
      </div>
      <h2 className="detail-title" data-testid="detail-title">
        {detail.title}
      </h2>
      <div className="detail-code">{detail.code}</div>
    </div>
  );
}

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`fact ${wide ? 'wide' : ''}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function FactsSection({ detail, t, locale, reference, now, areaChain, units }: DetailContext) {
  const dept = departmentLabel(reference.departmentById.get(detail.departmentId ?? ''), locale);
  const unit = detail.unitId ? (units.get(detail.unitId)?.name ?? detail.unitId) : null;
  const staff = useApiQuery('staff.list', { areaId: detail.townId ?? '-', limit: 5000 }, { enabled: detail.assigneeId !== null && detail.townId !== null });
  // The assignee's name when they work in the case's town (staff ids mean nothing to a seat).
  const assignee = detail.assigneeId ? (staff.data?.find((s) => s.id === detail.assigneeId)?.name ?? null) : null;
  const deadline = detail.deadlineAt && detail.state !== 'closed' && detail.state !== 'cancelled' ? formatDeadline(detail.deadlineAt, now, t) : null;
  return (
    <dl className="detail-facts" data-section="facts">
      <Fact label={t('detail.category')}>
        {classLabel(locale, detail.classCode)} / {categoryLabel(locale, detail.categoryCode)}
      </Fact>
      <Fact label={t('detail.source')}>{t(`source.${detail.source}`)}</Fact>
      <Fact label={t('detail.area')} wide>
        {areaChain.length > 0 ? areaChain.join(' › ') : t('detail.none')}
      </Fact>
      <Fact label={t('detail.address')} wide>
        {detail.address || t('detail.none')}
      </Fact>
      <Fact label={t('detail.department')}>{dept ?? t('detail.none')}</Fact>
      <Fact label={t('detail.unit')}>
        <span data-testid="detail-unit" data-unit-id={detail.unitId ?? ''}>
          {unit ?? t('detail.none')}
        </span>
        {assignee && <span className="fact-sub"> · {assignee}</span>}
      </Fact>
      <Fact label={t('detail.reportedAt')}>{formatDateTime(detail.reportedAt, t)}</Fact>
      <Fact label={t('detail.registeredAt')}>{formatDateTime(detail.registeredAt, t)}</Fact>
      <Fact label={t('detail.dispatchedAt')}>{formatDateTime(detail.dispatchedAt, t)}</Fact>
      <Fact label={t('detail.deadlineAt')}>
        {formatDateTime(detail.deadlineAt, t)}
        {deadline && <span className={`deadline-chip ${deadline.over ? 'over' : ''}`}>{deadline.text}</span>}
      </Fact>
      <Fact label={t('detail.closedAt')}>{formatDateTime(detail.closedAt, t)}</Fact>
    </dl>
  );
}

export function DescriptionSection({ detail, t }: DetailContext) {
  if (!detail.description) return null;
  return (
    <section className="detail-block" data-section="description">
      <h3>{t('detail.description')}</h3>
      <p className="detail-description">{detail.description}</p>
    </section>
  );
}

/** The reporter as the core gives it: masked unless this seat may see personal data. */
export function ReporterSection({ detail, t }: DetailContext) {
  if (detail.reporterName === null && detail.reporterPhone === null) return null;
  return (
    <section className="detail-block detail-reporter" data-section="reporter">
      <h3>
        {t('detail.reporter')}
        <span className="masked-note">{t('detail.masked')}</span>
      </h3>
      <div className="reporter-line">
        <span data-testid="reporter-name">{detail.reporterName ?? t('detail.none')}</span>
        <span data-testid="reporter-phone">{detail.reporterPhone ?? t('detail.none')}</span>
      </div>
    </section>
  );
}
