/**
 * Ingest status for the console (接入状态): messages and readings per second, totals, rejections by
 * reason with the last rejected samples, the write buffer, and the brokers' connection state.
 * Live through the `ingest.status` event (every 2 s).
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import { INGEST_REJECT_REASONS, type IngestStatus } from '../../../shared/api/monitoring';
import type { Locale } from '../../../shared/i18n';
import { formatShort } from '../time/format';
import { monitoringT } from './labels';
import './monitoring.css';

export interface IngestStatusPanelProps {
  api: ApiClient;
  locale?: Locale;
  /** How many rejected samples to show (default 8). */
  samples?: number;
  className?: string;
}

const num = (n: number): string => (n >= 1000 ? Math.round(n).toLocaleString('en-US') : String(Number(n.toFixed(1))));

export function IngestStatusPanel(props: IngestStatusPanelProps) {
  const { api, locale = 'zh-CN', samples = 8 } = props;
  const t = useMemo(() => monitoringT(locale), [locale]);
  const [st, setSt] = useState<IngestStatus | null>(null);

  useEffect(() => {
    let live = true;
    void api.call('ingest.status', {}).then((r) => {
      if (live && r.ok) setSt(r.value);
    });
    const off = api.on('ingest.status', (s) => setSt(s));
    return () => {
      live = false;
      off();
    };
  }, [api]);

  if (!st) return <div className="mon-ingest mon-card-loading">{t('card.loading')}</div>;
  const e = st.broker.embedded;
  const x = st.broker.external;
  const reasons = INGEST_REJECT_REASONS.filter((r) => st.rejectedByReason[r] > 0);
  return (
    <div className={`mon-ingest${props.className ? ` ${props.className}` : ''}`} data-testid="ingest-status">
      <div className="mon-kpis">
        <div className="mon-kpi">
          <b data-testid="ingest-mps">{num(st.messagesPerSec)}</b>
          <span>{t('ingest.rate')}</span>
        </div>
        <div className="mon-kpi">
          <b>{num(st.readingsPerSec)}</b>
          <span>{t('ingest.readings_rate')}</span>
        </div>
        <div className="mon-kpi">
          <b>{num(st.totals.stored)}</b>
          <span>{t('ingest.stored')}</span>
        </div>
        <div className="mon-kpi">
          <b>{num(st.totals.duplicates)}</b>
          <span>{t('ingest.duplicates')}</span>
        </div>
        <div className={`mon-kpi${st.totals.rejected > 0 ? ' mon-kpi-bad' : ''}`}>
          <b data-testid="ingest-rejected">{num(st.totals.rejected)}</b>
          <span>{t('ingest.rejected')}</span>
        </div>
        <div className="mon-kpi">
          <b>{num(st.buffer.pending)}</b>
          <span>{t('ingest.pending')}</span>
        </div>
      </div>
      <div className="mon-muted">{t('ingest.flush', { n: st.buffer.lastFlushRows, ms: st.buffer.lastFlushMs })}</div>

      <div className="mon-brokers">
        <div className="mon-broker" data-broker="embedded" data-state={e.enabled ? (e.listening ? 'connected' : 'error') : 'disabled'}>
          <b>{t('ingest.embedded')}</b>
          <span>{!e.enabled ? t('ingest.disabled') : e.listening ? t('ingest.listening', { host: e.host ?? '', port: e.port ?? '', n: e.clients }) : t('ingest.not_listening')}</span>
          {e.error && <span className="mon-error">{e.error}</span>}
        </div>
        <div className="mon-broker" data-broker="external" data-state={x.state}>
          <b>{t('ingest.external')}</b>
          <span>
            {t(`broker.${x.state}`)}
            {x.url ? ` · ${x.url}` : ''}
          </span>
          {x.enabled && x.sessionPresent !== null && <span>{t('ingest.session', { v: t(x.sessionPresent ? 'ingest.session.yes' : 'ingest.session.no') })}</span>}
          {x.lastError && <span className="mon-error">{x.lastError}</span>}
        </div>
      </div>

      {reasons.length > 0 && (
        <>
          <div className="mon-card-chart-title">{t('ingest.by_reason')}</div>
          <table className="mon-table mon-reasons">
            <tbody>
              {reasons.map((r) => (
                <tr key={r} data-reason={r}>
                  <td>{t(`reason.${r}`)}</td>
                  <td className="mon-num">{num(st.rejectedByReason[r])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {st.lastRejected.length > 0 && (
        <>
          <div className="mon-card-chart-title">{t('ingest.samples')}</div>
          <ul className="mon-samples">
            {st.lastRejected.slice(0, samples).map((s, i) => (
              <li key={`${s.at}-${i}`}>
                <span className="mon-hist-time">{formatShort(s.at)}</span> <b>{t(`reason.${s.reason}`)}</b> <code>{s.topic}</code>
                <div className="mon-muted">{s.detail}</div>
                <pre className="mon-payload">{s.payload}</pre>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
