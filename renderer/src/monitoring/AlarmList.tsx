/**
 * The console's alarm list (告警列表): filters (open / all / cleared, severity, kind), paging, and
 * the actions acknowledge, clear and create case, recorded with the seat's actor name.
 * Refreshes when alarms are raised or change.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient, ApiError } from '../../../shared/api';
import type { Alarm, AlarmQuery } from '../../../shared/api/monitoring';
import { ALARM_KINDS, ALARM_SEVERITIES, type AlarmKind, type AlarmSeverity } from '../../../shared/domain/monitoring';
import type { Locale } from '../../../shared/i18n';
import { formatShort } from '../time/format';
import { monitoringT } from './labels';
import { SEVERITY_COLOURS } from './logic';
import './monitoring.css';

export interface AlarmListProps {
  api: ApiClient;
  /** Who acts at this seat (recorded on acknowledge, clear and case). */
  actor: string;
  locale?: Locale;
  /** Only alarms in this area (any level). */
  areaId?: string;
  pageSize?: number;
  onSelect?(alarm: Alarm): void;
  onCaseCreated?(caseId: string, alarm: Alarm): void;
  className?: string;
}

type StateFilter = 'open' | 'all' | 'cleared';

export function AlarmList(props: AlarmListProps) {
  const { api, actor, locale = 'zh-CN', areaId, pageSize = 50, onSelect, onCaseCreated } = props;
  const t = useMemo(() => monitoringT(locale), [locale]);
  const [stateFilter, setStateFilter] = useState<StateFilter>('open');
  const [severity, setSeverity] = useState<AlarmSeverity | ''>('');
  const [kind, setKind] = useState<AlarmKind | ''>('');
  const [page, setPage] = useState(0);
  const [items, setItems] = useState<Alarm[]>([]);
  const [total, setTotal] = useState(0);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);

  const query = useMemo((): AlarmQuery => {
    const q: AlarmQuery = { limit: pageSize, offset: page * pageSize };
    if (stateFilter === 'open') q.open = true;
    if (stateFilter === 'cleared') q.states = ['cleared'];
    if (severity) q.severities = [severity];
    if (kind) q.kinds = [kind];
    if (areaId) q.areaId = areaId;
    return q;
  }, [stateFilter, severity, kind, page, pageSize, areaId]);

  useEffect(() => {
    let live = true;
    void api.call('alarms.list', query).then((r) => {
      if (!live) return;
      if (r.ok) {
        setItems(r.value.items);
        setTotal(r.value.total);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, query, version]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const bump = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setVersion((v) => v + 1);
      }, 300);
    };
    const a = api.on('alarm.raised', bump);
    const b = api.on('alarm.updated', bump);
    return () => {
      a();
      b();
      if (timer) clearTimeout(timer);
    };
  }, [api]);

  const act = useCallback(
    async (alarm: Alarm, what: 'ack' | 'clear' | 'case') => {
      setBusy(`${alarm.id}:${what}`);
      setError(null);
      try {
        if (what === 'ack') {
          const r = await api.call('alarms.acknowledge', { id: alarm.id, actor, note });
          if (!r.ok) setError(r.error);
        } else if (what === 'clear') {
          const r = await api.call('alarms.clear', { id: alarm.id, actor, note });
          if (!r.ok) setError(r.error);
        } else {
          const r = await api.call('alarms.createCase', { id: alarm.id, actor });
          if (!r.ok) setError(r.error);
          else onCaseCreated?.(r.value.caseId, r.value.alarm);
        }
        setNote('');
        setVersion((v) => v + 1);
      } finally {
        setBusy(null);
      }
    },
    [api, actor, note, onCaseCreated],
  );

  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className={`mon-list${props.className ? ` ${props.className}` : ''}`} data-testid="alarm-list">
      <div className="mon-filters">
        {(['open', 'all', 'cleared'] as const).map((f) => (
          <button
            key={f}
            type="button"
            className={stateFilter === f ? 'mon-on' : ''}
            aria-pressed={stateFilter === f}
            onClick={() => {
              setStateFilter(f);
              setPage(0);
            }}
          >
            {t(`list.filter.${f}`)}
          </button>
        ))}
        <label>
          {t('list.filter.severity')}
          <select
            value={severity}
            onChange={(e) => {
              setSeverity(e.target.value as AlarmSeverity | '');
              setPage(0);
            }}
          >
            <option value="">{t('list.filter.any')}</option>
            {ALARM_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('list.filter.kind')}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as AlarmKind | '');
              setPage(0);
            }}
          >
            <option value="">{t('list.filter.any')}</option>
            {ALARM_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <input className="mon-note" value={note} maxLength={500} placeholder={t('list.note')} aria-label={t('list.note')} onChange={(e) => setNote(e.target.value)} />
        <span className="mon-muted">{t('list.total', { n: total })}</span>
      </div>
      {error && (
        <div className="mon-error" role="alert">
          {error.message}
        </div>
      )}
      <table className="mon-table">
        <thead>
          <tr>
            <th>{t('list.col.time')}</th>
            <th>{t('list.col.severity')}</th>
            <th>{t('list.col.sensor')}</th>
            <th>{t('list.col.message')}</th>
            <th>{t('list.col.state')}</th>
            <th>{t('list.col.case')}</th>
            <th>{t('list.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <tr>
              <td colSpan={7} className="mon-muted">
                {t('list.empty')}
              </td>
            </tr>
          )}
          {items.map((a) => (
            <tr key={a.id} data-alarm-id={a.id} data-state={a.state} onClick={() => onSelect?.(a)}>
              <td className="mon-hist-time">{formatShort(a.raisedAt)}</td>
              <td>
                <span className="mon-badge" style={{ background: SEVERITY_COLOURS[a.severity] }}>
                  {t(`severity.${a.severity}`)}
                </span>
                {a.escalation > 0 && <small className="mon-muted"> {t('list.escalated', { n: a.escalation })}</small>}
              </td>
              <td>
                {a.sensorName}
                <div className="mon-muted">
                  {t(`type.${a.sensorType}`)} · {t(`kind.${a.kind}`)}
                </div>
              </td>
              <td>{a.message}</td>
              <td>
                <span className={`mon-state mon-state-${a.state}`}>{t(`state.${a.state}`)}</span>
                {a.acknowledgedBy && a.acknowledgedAt && <div className="mon-muted">{t('list.by', { who: a.acknowledgedBy, at: formatShort(a.acknowledgedAt) })}</div>}
                {a.clearedBy && a.clearedAt && <div className="mon-muted">{t('list.by', { who: a.clearedBy, at: formatShort(a.clearedAt) })}</div>}
              </td>
              <td>
                {a.caseId ?? '—'}
                {a.caseError && <div className="mon-error">{t('list.case_error', { e: a.caseError })}</div>}
              </td>
              <td className="mon-actions" onClick={(e) => e.stopPropagation()}>
                {a.state === 'raised' && (
                  <button type="button" disabled={busy !== null} onClick={() => void act(a, 'ack')} data-action="ack">
                    {t('list.ack')}
                  </button>
                )}
                {a.state !== 'cleared' && (
                  <button type="button" disabled={busy !== null} onClick={() => void act(a, 'clear')} data-action="clear">
                    {t('list.clear')}
                  </button>
                )}
                {!a.caseId && (
                  <button type="button" disabled={busy !== null} onClick={() => void act(a, 'case')} data-action="case">
                    {t('list.case')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <div className="mon-pager">
          <button type="button" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
            {t('list.prev')}
          </button>
          <span>
            {page + 1} / {pages}
          </span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
            {t('list.next')}
          </button>
        </div>
      )}
    </div>
  );
}
