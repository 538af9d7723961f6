/**
 * 监测预警 (console tab): the alarm list (filters, acknowledge, clear, create case) from
 * renderer/src/monitoring, the selected alarm with its history, its sensor's card (live value,
 * thresholds, 24 h chart, alarm history) and the cameras that see it, and the ingest status.
 */
import { useMemo } from 'react';
import type { Alarm } from '../../../../shared/api/monitoring';
import { translateDynamic } from '../../../../shared/i18n';
import { useApi } from '../../api/ApiContext';
import { useApiQuery } from '../../api/useApiQuery';
import { useI18n } from '../../i18n/I18nProvider';
import { AlarmList, IngestStatusPanel, SensorCard } from '../../monitoring';
import { formatShort } from '../../time/format';
import { LinkedCameras } from '../../video';

export interface MonitoringViewProps {
  /** The seat's operator (null: no name yet; acknowledging waits for one). */
  actor: string | null;
  alarm: Alarm | null;
  onAlarm(alarm: Alarm | null): void;
  onOpenCase(caseId: string): void;
}

export function MonitoringView({ actor, alarm, onAlarm, onOpenCase }: MonitoringViewProps) {
  const { t, locale } = useI18n();
  const api = useApi();
  return (
    <div className="mon-view">
      <section className="mon-view-list panel-box">
        <header className="box-bar">
          <span>{t('monitoring.alarms')}</span>
          {actor === null && <span className="box-warn">{t('seat.nameRequired')}</span>}
        </header>
        <div className="box-scroll">
          <AlarmList api={api} actor={actor ?? ''} locale={locale} pageSize={50} onSelect={onAlarm} onCaseCreated={(caseId) => onOpenCase(caseId)} className="console-alarm-list" />
        </div>
      </section>
      <section className="mon-view-side">
        <div className="panel-box mon-view-selected">
          <header className="box-bar">
            <span>{t('monitoring.selected')}</span>
            {alarm && (
              <button type="button" className="btn btn-small" onClick={() => onAlarm(null)}>
                {t('dialog.close')}
              </button>
            )}
          </header>
          <div className="box-scroll">{alarm ? <SelectedAlarm alarm={alarm} onOpenCase={onOpenCase} /> : <div className="box-empty">{t('monitoring.pickAlarm')}</div>}</div>
        </div>
        <div className="panel-box mon-view-ingest">
          <header className="box-bar">
            <span>{t('monitoring.ingest')}</span>
          </header>
          <div className="box-scroll">
            <IngestStatusPanel api={api} locale={locale} samples={6} />
          </div>
        </div>
      </section>
    </div>
  );
}

function SelectedAlarm({ alarm, onOpenCase }: { alarm: Alarm; onOpenCase(caseId: string): void }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const full = useApiQuery('alarms.get', { id: alarm.id }, { refreshOn: ['alarm.updated'], debounceMs: 500 });
  const a = full.data?.alarm.id === alarm.id ? full.data.alarm : alarm;
  const target = useMemo(() => ({ alarmId: alarm.id }), [alarm.id]);
  return (
    <div className="mon-selected" data-testid="selected-alarm" data-alarm-id={a.id} data-state={a.state}>
      <div className="mon-selected-head">
        <span className="mon-selected-msg">{a.message}</span>
      </div>
      <div className="mon-selected-meta">
        <span>{t('monitoring.raisedAt', { at: formatShort(a.raisedAt) })}</span>
        <span>{t('monitoring.triggers', { n: a.triggerCount })}</span>
        {a.caseId ? (
          <button type="button" className="btn btn-small" data-testid="alarm-open-case" onClick={() => onOpenCase(a.caseId!)}>
            {t('monitoring.openCase')}
          </button>
        ) : (
          <span className="box-warn">{a.caseError ?? t('monitoring.noCase')}</span>
        )}
      </div>
      <SensorCard api={api} sensorId={a.sensorId} locale={locale} hours={24} className="console-sensor-card" />
      <div className="location-sub">{t('location.cameras')}</div>
      <LinkedCameras api={api} target={target} locale={locale} limit={4} />
      {full.data && full.data.history.length > 0 && (
        <ol className="timeline mon-history">
          {full.data.history.map((h, i) => (
            <li key={`${h.at}-${i}`} className="timeline-item">
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-head">
                <span className="timeline-action">{translateDynamic(locale, `alarmAction.${h.action}`) ?? h.action}</span>
                <span className="timeline-time">{formatShort(h.at)}</span>
              </div>
              <div className="timeline-actor">{h.actor}</div>
              {h.note && <div className="timeline-note">{h.note}</div>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
