/**
 * The card a click on the map opens: a case, an alarm, a warning, a person of the field forces,
 * or an area (its figures). Sensors open the monitoring's SensorCard and cameras the video's
 * FloatingVideo (mounted by the wall map).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiClient, MethodInput, MethodName, MethodOutput } from '../../../../shared/api';
import { categoryLabel, translate, type Locale } from '../../../../shared/i18n';
import { formatShort } from '../../time/format';
import type { ForceData } from '../layers';
import type { MapT } from '../i18n';
import type { AreaNode } from '../state/navigation';

export type CardTarget =
  | { kind: 'case'; id: string }
  | { kind: 'alarm'; id: string }
  | { kind: 'warning'; id: string }
  | { kind: 'staff'; index: number; forces: ForceData }
  | { kind: 'area'; node: AreaNode; risk: number | null };

function useCall<M extends MethodName>(api: ApiClient, method: M, input: MethodInput<M>, key: string): { data: MethodOutput<M> | null; error: string | null } {
  const inputRef = useRef(input);
  useEffect(() => {
    inputRef.current = input;
  });
  const [state, setState] = useState<{ data: MethodOutput<M> | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ data: null, error: null });
    void api.call(method, inputRef.current).then((r) => {
      if (!live) return;
      setState(r.ok ? { data: r.value, error: null } : { data: null, error: r.error.message });
    });
    return () => {
      live = false;
    };
    // `key` stands for the input's content.
  }, [api, method, key]);
  return state;
}

function Rows({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className="card-rows">
      {rows.map(([k, v]) => (
        <div key={k} className="card-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Shell({ title, kind, t, onClose, children, testId }: { title: string; kind: string; t: MapT; onClose(): void; children: ReactNode; testId: string }) {
  return (
    <aside className="map-card" data-testid="map-card" data-kind={testId}>
      <header className="card-head">
        <span className="card-kind">{kind}</span>
        <h3 className="card-title">{title}</h3>
        <button type="button" className="card-close" title={t('card.close')} aria-label={t('card.close')} onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="card-body">{children}</div>
    </aside>
  );
}

function CaseCard({ api, id, t, locale, onClose }: { api: ApiClient; id: string; t: MapT; locale: Locale; onClose(): void }) {
  const { data, error } = useCall(api, 'cases.get', { id }, id);
  return (
    <Shell title={data ? `${data.code}` : id} kind={t('card.case')} t={t} onClose={onClose} testId="case">
      {error && <div className="card-error">{t('card.failed', { message: error })}</div>}
      {!data && !error && <div className="card-loading">{t('card.loading')}</div>}
      {data && (
        <>
          <div className="card-lead" data-overdue={data.overdue ? '1' : '0'}>
            {data.title}
          </div>
          <Rows
            rows={[
              [t('card.state'), translate(locale, `state.${data.state}`)],
              [t('card.urgency'), translate(locale, `urgency.${data.urgency}`)],
              [t('card.kind'), categoryLabel(locale, data.categoryCode)],
              [t('card.address'), data.address || '—'],
              [t('card.reported'), formatShort(data.reportedAt)],
              [t('card.deadline'), data.deadlineAt ? `${formatShort(data.deadlineAt)}${data.overdue ? ` · ${t('case.overdue')}` : ''}` : '—'],
            ]}
          />
        </>
      )}
    </Shell>
  );
}

function AlarmCard({ api, id, t, onClose }: { api: ApiClient; id: string; t: MapT; onClose(): void }) {
  const { data, error } = useCall(api, 'alarms.get', { id }, id);
  const a = data?.alarm;
  return (
    <Shell title={a ? a.sensorName : id} kind={t('card.alarm')} t={t} onClose={onClose} testId="alarm">
      {error && <div className="card-error">{t('card.failed', { message: error })}</div>}
      {!a && !error && <div className="card-loading">{t('card.loading')}</div>}
      {a && (
        <>
          <div className="card-lead" data-severity={a.severity}>
            {a.message}
          </div>
          <Rows
            rows={[
              [t('card.severity'), t(`alarm.${a.severity}`)],
              [t('card.status'), t(`alarm.${a.state}`)],
              [t('card.raised'), formatShort(a.raisedAt)],
              [t('card.value'), a.value === null ? '—' : `${a.value} ${a.unit}`],
            ]}
          />
        </>
      )}
    </Shell>
  );
}

function WarningCard({ api, id, t, onClose }: { api: ApiClient; id: string; t: MapT; onClose(): void }) {
  const { data, error } = useCall(api, 'warnings.get', { id, limit: 20 }, id);
  const w = data?.warning;
  return (
    <Shell title={w ? (w.headline ?? w.event) : id} kind={t('card.warning')} t={t} onClose={onClose} testId="warning">
      {error && <div className="card-error">{t('card.failed', { message: error })}</div>}
      {!w && !error && <div className="card-loading">{t('card.loading')}</div>}
      {w && (
        <Rows
          rows={[
            [t('card.kind'), `${w.colourName} · ${w.event}`],
            [t('card.areaDesc'), w.areaDescs.join('、')],
            [t('card.raised'), formatShort(w.effective)],
            [t('card.expires'), w.expires ? formatShort(w.expires) : '—'],
          ]}
        />
      )}
    </Shell>
  );
}

function AreaCard({ api, node, risk, t, onClose }: { api: ApiClient; node: AreaNode; risk: number | null; t: MapT; onClose(): void }) {
  const { data } = useCall(api, 'stats.overview', { areaId: node.id }, node.id);
  return (
    <Shell title={node.name} kind={t(`level.${node.level}`)} t={t} onClose={onClose} testId="area">
      <Rows
        rows={[
          [t('card.id'), node.code],
          ...(risk !== null ? ([[t('card.risk'), <span key="r" className="risk-chip" data-level={risk} />]] as Array<[string, ReactNode]>) : []),
          [t('card.open'), data ? data.open.toLocaleString('en-US') : '…'],
          [t('card.today'), data ? data.reportedToday.toLocaleString('en-US') : '…'],
          [t('card.overdueCount'), data ? data.overdue.toLocaleString('en-US') : '…'],
        ]}
      />
    </Shell>
  );
}

function StaffCard({ forces, index, t, onClose }: { forces: ForceData; index: number; t: MapT; onClose(): void }) {
  return (
    <Shell title={forces.names[index] ?? ''} kind={t('card.staff')} t={t} onClose={onClose} testId="staff">
      <Rows
        rows={[
          [t('card.role'), t(`staff.${forces.roles[index]!}`)],
          [t('card.status'), forces.moving[index] ? t('staff.moving') : t('staff.still')],
          [t('card.id'), forces.ids[index] ?? ''],
          [t('card.unit'), forces.unitIds[index] ?? '—'],
        ]}
      />
    </Shell>
  );
}

export function ObjectCard({ api, target, t, locale, onClose }: { api: ApiClient; target: CardTarget; t: MapT; locale: Locale; onClose(): void }) {
  switch (target.kind) {
    case 'case':
      return <CaseCard api={api} id={target.id} t={t} locale={locale} onClose={onClose} />;
    case 'alarm':
      return <AlarmCard api={api} id={target.id} t={t} onClose={onClose} />;
    case 'warning':
      return <WarningCard api={api} id={target.id} t={t} onClose={onClose} />;
    case 'staff':
      return <StaffCard forces={target.forces} index={target.index} t={t} onClose={onClose} />;
    case 'area':
      return <AreaCard api={api} node={target.node} risk={target.risk} t={t} onClose={onClose} />;
  }
}
