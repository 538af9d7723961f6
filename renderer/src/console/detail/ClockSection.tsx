/**
 * The deadline clock (处置时限) from cases.workflow: running or paused (since when), the working
 * time allotted and left (negative: overdue by), the share used as a bar with the 80 % mark,
 * the 80 % instant and the deadline, approved extensions and a pending extension request.
 * Working time follows the centre's calendar (working hours, weekends, holidays, adjusted days).
 */
import type { CSSProperties } from 'react';
import { WARNING_FRACTION } from '../../../../shared/domain/workflow';
import { formatDateTime, formatDuration, formatShort } from '../../time/format';
import { usedFraction } from '../deadline';
import { supervisionName } from '../labels';
import type { DetailContext } from './types';

export function ClockSection({ detail, workflow, t }: DetailContext) {
  if (!workflow) return null;
  const c = workflow.clock;
  const started = c.dispatchedAt !== null && c.allottedWorkMs !== null;
  const state = c.overdue ? 'overdue' : c.warning ? 'warning' : c.running ? 'running' : c.pausedAt ? 'paused' : started ? 'stopped' : 'idle';
  const frac = usedFraction(c.fractionUsed);
  const limit = workflow.category?.limit;
  const extensions = detail.history.filter((e) => e.action === 'approve_extension').length;
  return (
    <section className="detail-block clock" data-section="clock" data-testid="deadline-clock" data-clock={state}>
      <h3>
        {t('clock.title')}
        <span className={`clock-state clock-${state}`}>{t(`clock.state.${state}`)}</span>
        {workflow.supervision.level > 0 && (
          <span className="flag-supervised" data-level={workflow.supervision.level}>
            {supervisionName(workflow.supervision.level, t)}
          </span>
        )}
      </h3>
      {!started ? (
        <p className="clock-idle">{detail.state === 'closed' || detail.state === 'cancelled' ? t('clock.notRun') : t('clock.notStarted', { limit: limit ? t(`limit.value.${limit.unit}`, { n: limit.value }) : t('detail.none') })}</p>
      ) : (
        <>
          <div className="clock-figures">
            <div>
              <span>{state === 'stopped' ? t('clock.remainingAtStop') : t('clock.remaining')}</span>
              <b className={c.remainingWorkMs !== null && c.remainingWorkMs < 0 ? 'over' : ''} data-testid="clock-remaining">
                {c.remainingWorkMs === null ? t('detail.none') : t(c.remainingWorkMs < 0 ? 'clock.overBy' : 'clock.left', { t: formatDuration(c.remainingWorkMs, t) })}
              </b>
            </div>
            <div>
              <span>{t('clock.allotted')}</span>
              <b>{c.allottedWorkMs === null ? t('detail.none') : formatDuration(c.allottedWorkMs, t)}</b>
              {extensions > 0 && <small className="clock-ext">{t('clock.extended', { n: extensions })}</small>}
            </div>
            <div>
              <span>{t('clock.deadline')}</span>
              <b>{c.deadlineAt ? formatShort(c.deadlineAt) : t('detail.none')}</b>
            </div>
          </div>
          <div className="clock-bar" style={{ '--f': String(frac), '--w': String(WARNING_FRACTION) } as CSSProperties} data-used={c.fractionUsed ?? ''}>
            <span className="clock-fill" />
            <span className="clock-warn-mark" title={t('clock.warnAt', { at: c.warnAt ? formatShort(c.warnAt) : '—' })} />
          </div>
          <div className="clock-meta">
            <span>{t('clock.started', { at: formatDateTime(c.dispatchedAt, t) })}</span>
            {c.pausedAt && <span>{t('clock.pausedAt', { at: formatShort(c.pausedAt) })}</span>}
            {c.fractionUsed !== null && <span>{t('clock.used', { p: Math.round(c.fractionUsed * 100) })}</span>}
            {c.warnAt && <span>{t('clock.warnAt', { at: formatShort(c.warnAt) })}</span>}
            <span className="clock-work-note">{t('clock.workingTime')}</span>
          </div>
        </>
      )}
      {workflow.extensionRequest && (
        <div className="clock-ext-request" data-testid="extension-request">
          {t('clock.extensionPending', {
            amount: t(`limit.value.${workflow.extensionRequest.extension.unit}`, { n: workflow.extensionRequest.extension.value }),
            who: workflow.extensionRequest.actor,
            at: formatShort(workflow.extensionRequest.at),
          })}
          {workflow.extensionRequest.note && <div className="timeline-note">{workflow.extensionRequest.note}</div>}
        </div>
      )}
      {workflow.suspendedFrom && <p className="clock-idle">{t('clock.suspendedFrom', { state: t(`state.${workflow.suspendedFrom}`) })}</p>}
    </section>
  );
}
