/**
 * One view per agenda item, shared by the wall (large, read from across the room) and the chair's
 * console (compact, with buttons to open a row live on the wall and to prefill a decision).
 */
import type { ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { AgendaItem, CaseBrief, Decision, IndexSummary } from '../../../shared/api/consult';
import { categoryLabel, type Locale } from '../../../shared/i18n';
import { useI18n } from '../i18n/I18nProvider';
import { fixed, indexName, joinName, levelColour, levelName, OUTCOME_COLOUR, outcomeLabel, sensorLabel, shortTime, signed, sourceLabel, stateLabel, warningSeverity } from './logic';
import { RiskMap } from './RiskMap';

type Item<K extends AgendaItem['kind']> = Extract<AgendaItem, { kind: K }>;

/** What a view can offer the chair (absent on the wall). */
export interface ChairActions {
  openCase(id: string): void;
  openArea(id: string): void;
  decideFor(areaId: string, areaName: string, title: string): void;
}

export interface ViewProps {
  api: ApiClient;
  compact: boolean;
  actions?: ChairActions | undefined;
  decisions: readonly Decision[];
  focusId: string | null;
}

export function Sparkline({ series, width = 160, height = 40 }: { series: IndexSummary['series']; width?: number; height?: number }) {
  const values = series.map((s) => s.value).filter((v): v is number => v !== null);
  if (values.length < 2) return <svg width={width} height={height} />;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 2) {
    lo -= 1;
    hi += 1;
  }
  const x = (i: number): number => (i / (series.length - 1)) * (width - 4) + 2;
  const y = (v: number): number => height - 2 - ((v - lo) / (hi - lo)) * (height - 4);
  const parts: string[] = [];
  let pen = false;
  series.forEach((s, i) => {
    if (s.value === null) {
      pen = false;
      return;
    }
    parts.push(`${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(s.value).toFixed(1)}`);
    pen = true;
  });
  const last = series[series.length - 1]?.value;
  return (
    <svg width={width} height={height} className="sparkline" aria-hidden>
      <path d={parts.join('')} fill="none" stroke="var(--accent, #22e4ff)" strokeWidth={2} />
      {last !== null && last !== undefined ? <circle cx={x(series.length - 1)} cy={y(last)} r={3} fill="var(--accent, #22e4ff)" /> : null}
    </svg>
  );
}

const Delta = ({ value, digits = 1 }: { value: number | null; digits?: number }) => (
  <span className={`delta ${value === null || Math.abs(value) < 0.05 ? 'flat' : value > 0 ? 'up' : 'down'}`}>{signed(value, digits)}</span>
);

function LevelChip({ level }: { level: number }) {
  const { locale } = useI18n();
  return (
    <span className="level-chip" style={{ background: levelColour(level) }}>
      {levelName(locale, level)}
    </span>
  );
}

function Kpi({ label, value, alarm }: { label: string; value: ReactNode; alarm?: boolean }) {
  return (
    <div className={`kpi${alarm ? ' alarm' : ''}`}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

export function OverviewView({ item }: { item: Item<'overview'> } & ViewProps) {
  const { t, locale } = useI18n();
  const f = item.figures;
  return (
    <div className="view overview">
      <div className="kpis">
        <Kpi label={t('consult.kpi.reported24h')} value={f.reported24h} />
        <Kpi label={t('consult.kpi.vsPrev24h')} value={<Delta value={f.reported24h - f.reportedPrev24h} digits={0} />} />
        <Kpi label={t('consult.kpi.closed24h')} value={f.closed24h} />
        <Kpi label={t('consult.kpi.open')} value={f.open} />
        <Kpi label={t('consult.kpi.overdue')} value={f.overdue} alarm={f.overdue > 0} />
        <Kpi label={t('consult.kpi.supervised')} value={f.supervised} />
      </div>
      <div className="indices">
        {item.indices.map((idx) => {
          const top = [...idx.composition].sort((a, b) => b.riskPoints - a.riskPoints)[0];
          return (
            <div className="index-tile" key={idx.id} data-testid="index-tile" style={{ borderTopColor: levelColour(idx.level) }}>
              <div className="index-name">{indexName(locale, idx)}</div>
              <div className="index-value">{fixed(idx.value)}</div>
              <div className="index-trend">
                <span>
                  {t('consult.trend.day')} <Delta value={idx.yesterday === null ? null : idx.value - idx.yesterday} />
                </span>
                <span>
                  {t('consult.trend.week')} <Delta value={idx.week === null ? null : idx.value - idx.week} />
                </span>
                <span>
                  {t('consult.trend.month')} <Delta value={idx.month === null ? null : idx.value - idx.month} />
                </span>
              </div>
              <Sparkline series={idx.series} width={220} height={44} />
              <div className="index-foot">
                {top && top.riskPoints > 0 ? t('consult.index.mainRisk', { name: top.name }) : t('consult.index.steady')}
                {idx.movers[0] && Math.abs(idx.movers[0].effect) >= 0.01 ? ` · ${t('consult.index.mover', { name: idx.movers[0].name, effect: signed(idx.movers[0].effect, 2) })}` : ''}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

export function MapItemView({ item, api, compact, actions, focusId }: { item: Item<'map'> } & ViewProps) {
  const { t } = useI18n();
  return (
    <div className="view map-view">
      <div className="map-box">
        <RiskMap
          api={api}
          modelId={item.modelId}
          day={item.day}
          highlight={item.changed.map((c) => c.areaId)}
          focusId={focusId}
          labelPx={compact ? 11 : 16}
          {...(actions ? { onPick: (id: string) => actions.openArea(id) } : {})}
        />
      </div>
      <div className="map-side">
        <div className="colour-counts">
          {[4, 3, 2, 1, 0].map((l) => (
            <div key={l} className="colour-count">
              <span className="swatch" style={{ background: levelColour(l) }} />
              <span className="count">{item.counts[l]}</span>
              <span className="neutral">
                <Delta value={(item.counts[l] ?? 0) - (item.prevCounts[l] ?? 0)} digits={0} />
              </span>
            </div>
          ))}
        </div>
        <h3>{t('consult.map.changed', { n: item.changedTotal })}</h3>
        <table className="rows">
          <tbody>
            {item.changed.slice(0, compact ? 12 : 8).map((c) => (
              <tr key={c.areaId} className={focusId === c.areaId ? 'focused' : ''}>
                <td>{joinName(c.parentName, c.name)}</td>
                <td>
                  <LevelChip level={c.from} /> → <LevelChip level={c.to} />
                </td>
                <td className="num">{fixed(c.score)}</td>
                {actions ? (
                  <td className="acts">
                    <button onClick={() => actions.openArea(c.areaId)}>{t('consult.act.onWall')}</button>
                    <button onClick={() => actions.decideFor(c.areaId, joinName(c.parentName, c.name), t('consult.prefill.map', { name: c.name }))}>{t('consult.act.decide')}</button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Column widths (%) of the case tables: English state names need a wider column than Chinese. */
const CASE_COLUMNS: Readonly<Record<Locale, readonly [number, number, number, number, number, number]>> = {
  'zh-CN': [19, 25, 17, 19, 9, 11],
  en: [17, 19, 16, 16, 18, 14],
};

function CaseTable({ title, rows, actions, compact }: { title: string; rows: readonly CaseBrief[]; actions?: ChairActions | undefined; compact: boolean }) {
  const { t, locale } = useI18n();
  const w = CASE_COLUMNS[locale].map((n) => `${n}%`);
  return (
    <div className="case-table">
      <h3>{title}</h3>
      <table className="rows">
        <thead>
          <tr>
            <th style={{ width: w[0] }}>{t('consult.col.code')}</th>
            <th style={{ width: w[1] }}>{t('consult.col.title')}</th>
            <th style={{ width: w[2] }}>{t('consult.col.department')}</th>
            <th style={{ width: w[3] }}>{t('consult.col.grid')}</th>
            <th style={{ width: w[4] }}>{t('consult.col.state')}</th>
            <th className="num" style={{ width: w[5] }}>
              {t('consult.col.overdueHours')}
            </th>
            {actions ? <th style={{ width: '12%' }} /> : null}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, compact ? 12 : 7).map((c) => (
            <tr key={c.id}>
              <td className="mono">{c.code}</td>
              <td>{c.title}</td>
              <td>{c.departmentName ?? '—'}</td>
              <td>{c.areaName ?? '—'}</td>
              <td>{stateLabel(locale, c.state)}</td>
              <td className="num">{c.overdueHours > 0 ? fixed(c.overdueHours) : '—'}</td>
              {actions ? (
                <td className="acts">
                  <button onClick={() => actions.openCase(c.id)}>{t('consult.act.onWall')}</button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CasesView({ item, actions, compact }: { item: Item<'cases'> } & ViewProps) {
  const { t } = useI18n();
  const max = Math.max(1, ...item.byDepartment.map((d) => d.overdue + d.supervised));
  return (
    <div className="view cases-view">
      <div className="cases-top">
        <div className="kpis small">
          <Kpi label={t('consult.kpi.overdueOpen')} value={item.overdueTotal} alarm={item.overdueTotal > 0} />
          <Kpi label={t('consult.kpi.supervisedShort')} value={item.supervisedTotal} />
        </div>
        <div className="bars departments">
          <h3>{t('consult.cases.byDepartment')}</h3>
          {item.byDepartment.map((d) => (
            <div className="bar-row" key={d.departmentId}>
              <span className="bar-label">{d.name}</span>
              <span className="bar">
                <span className="bar-fill alarm" style={{ width: `${(d.overdue / max) * 100}%` }} />
                <span className="bar-fill warn" style={{ width: `${(d.supervised / max) * 100}%` }} />
              </span>
              <span className="bar-value">
                {d.overdue}/{d.supervised}
              </span>
            </div>
          ))}
        </div>
      </div>
      <div className="cases-grid">
        <CaseTable title={t('consult.kpi.overdue')} rows={item.overdue} actions={actions} compact={compact} />
        <CaseTable title={t('consult.kpi.supervised')} rows={item.supervised} actions={actions} compact={compact} />
      </div>
    </div>
  );
}

export function HotspotsView({ item, actions }: { item: Item<'hotspots'> } & ViewProps) {
  const { t, locale } = useI18n();
  const max = Math.max(1, ...item.categories.map((c) => c.count), ...item.places.map((p) => p.count));
  const bar = (count: number, baseline: number): ReactNode => (
    <span className="bar">
      <span className="bar-fill accent" style={{ width: `${(count / max) * 100}%` }} />
      <span className="bar-mark" style={{ left: `${(baseline / max) * 100}%` }} />
    </span>
  );
  return (
    <div className="view hotspots-view">
      <div className="bars">
        <h3>{t('consult.hotspots.categories')}</h3>
        {item.categories.map((c) => (
          <div className="bar-row" key={c.code}>
            <span className="bar-label">{categoryLabel(locale, c.code)}</span>
            {bar(c.count, c.baseline)}
            <span className="bar-value">
              {c.count} <Delta value={c.delta} />
            </span>
          </div>
        ))}
      </div>
      <div className="bars">
        <h3>{t('consult.hotspots.places')}</h3>
        {item.places.map((p) => (
          <div className="bar-row" key={p.areaId}>
            <span className="bar-label">
              {p.parentName}
              {p.name}
            </span>
            {bar(p.count, p.baseline)}
            <span className="bar-value">
              {p.count} <Delta value={p.delta} />
            </span>
            {actions ? (
              <span className="acts">
                <button onClick={() => actions.decideFor(p.areaId, `${p.parentName}${p.name}`, t('consult.prefill.hotspot', { name: p.name }))}>{t('consult.act.decide')}</button>
              </span>
            ) : null}
          </div>
        ))}
      </div>
    </div>
  );
}

export function AlarmsView({ item }: { item: Item<'alarms'> } & ViewProps) {
  const { t, locale } = useI18n();
  return (
    <div className="view alarms-view">
      <div className="kpis small">
        <Kpi label={t('consult.kpi.sensorAlarms')} value={item.sensorAlarms} alarm={item.sensorAlarms > 0} />
        <Kpi label={t('consult.kpi.offlineSensors')} value={item.offline.sensors} />
        <Kpi label={t('consult.kpi.offlineCameras')} value={item.offline.cameras} />
        <Kpi label={t('consult.kpi.warnings')} value={item.warnings.length} alarm={item.warnings.length > 0} />
      </div>
      <div className="cases-grid">
        <div>
          <h3>{t('consult.alarms.alarms')}</h3>
          <table className="rows">
            <tbody>
              {item.alarms.slice(0, 8).map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td>{sensorLabel(locale, a.type)}</td>
                  <td>{a.areaName ?? '—'}</td>
                  <td>{shortTime(a.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>{t('consult.alarms.warnings')}</h3>
          <table className="rows">
            <tbody>
              {item.warnings.length === 0 ? (
                <tr>
                  <td className="dim">{t('consult.alarms.noWarnings')}</td>
                </tr>
              ) : (
                item.warnings.map((w) => (
                  <tr key={w.id}>
                    <td>{w.headline}</td>
                    <td>{warningSeverity(locale, w.severity)}</td>
                    <td>{t('consult.alarms.until', { t: shortTime(w.expires) })}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
      <div className="sources">{t('consult.alarms.sources', { list: item.sources.map((s) => sourceLabel(locale, s)).join(t('consult.list.sep')) })}</div>
    </div>
  );
}

export function DecisionTable({ rows, showCase = true }: { rows: readonly Decision[]; showCase?: boolean }) {
  const { t, locale } = useI18n();
  return (
    <table className="rows decisions" data-testid="decision-table">
      <thead>
        <tr>
          <th style={{ width: '2.2em' }}>#</th>
          <th style={{ width: '23%' }}>{t('consult.col.decision')}</th>
          <th style={{ width: '14%' }}>{t('consult.col.owner')}</th>
          <th style={{ width: '14%' }}>{t('consult.col.area')}</th>
          <th style={{ width: '11%' }}>{t('consult.col.deadline')}</th>
          {showCase ? <th style={{ width: '15%' }}>{t('consult.col.case')}</th> : null}
          <th style={{ width: '21%' }}>{t('consult.col.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => {
          const outcome = d.caseState && d.outcome === 'in_progress' ? stateLabel(locale, d.caseState) : outcomeLabel(locale, d.outcome);
          return (
            <tr key={d.id} data-testid="decision-row" data-case={d.caseCode ?? ''} data-state={d.caseState ?? ''}>
              <td>{d.seq}</td>
              <td>{d.title}</td>
              <td>{d.departmentName}</td>
              <td>{d.areaName}</td>
              <td>{shortTime(d.deadlineAt)}</td>
              {showCase ? <td className="mono">{d.caseCode ?? '—'}</td> : null}
              <td>
                <span className="outcome" style={{ background: OUTCOME_COLOUR[d.outcome] }} title={outcome}>
                  {outcome}
                </span>
                {d.caseError ? <span className="dim small"> {d.caseError}</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The decisions of a follow-up or minutes item, or a line saying there are none. */
function DecisionsView({ kind, rows }: { kind: 'followup' | 'minutes'; rows: readonly Decision[] }) {
  const { t } = useI18n();
  return (
    <div className={`view ${kind}-view`}>
      {rows.length === 0 ? <div className="empty">{t(`consult.${kind}.empty`)}</div> : <DecisionTable rows={rows} />}
    </div>
  );
}

export function FollowupView({ item }: { item: Item<'followup'> } & ViewProps) {
  return <DecisionsView kind="followup" rows={item.decisions} />;
}

export function MinutesView({ decisions }: { item: Item<'minutes'> } & ViewProps) {
  return <DecisionsView kind="minutes" rows={decisions} />;
}

/** The view of any agenda item. */
export function ItemView(props: ViewProps & { item: AgendaItem }) {
  const { item } = props;
  switch (item.kind) {
    case 'overview':
      return <OverviewView {...props} item={item} />;
    case 'map':
      return <MapItemView {...props} item={item} />;
    case 'cases':
      return <CasesView {...props} item={item} />;
    case 'hotspots':
      return <HotspotsView {...props} item={item} />;
    case 'alarms':
      return <AlarmsView {...props} item={item} />;
    case 'followup':
      return <FollowupView {...props} item={item} />;
    case 'minutes':
      return <MinutesView {...props} item={item} />;
  }
}
