/**
 * One view per agenda item, shared by the wall (large, read from across the room) and the chair's
 * console (compact, with buttons to open a row live on the wall and to prefill a decision).
 */
import type { ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { AgendaItem, CaseBrief, Decision, IndexSummary } from '../../../shared/api/consult';
import { categoryByCode } from '../../../shared/domain/catalogue';
import { fixed, levelColour, levelName, OUTCOME_COLOUR, OUTCOME_LABEL, SENSOR_LABEL, shortTime, signed, STATE_LABEL } from './logic';
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

/** A grid's full name: its community first, unless the name already starts with it. */
export const joinName = (parent: string, name: string): string => (name.startsWith(parent) ? name : `${parent}${name}`);

const Delta = ({ value, digits = 1 }: { value: number | null; digits?: number }) => (
  <span className={`delta ${value === null || Math.abs(value) < 0.05 ? 'flat' : value > 0 ? 'up' : 'down'}`}>{signed(value, digits)}</span>
);

const LevelChip = ({ level }: { level: number }) => (
  <span className="level-chip" style={{ background: levelColour(level) }}>
    {levelName(level)}
  </span>
);

function Kpi({ label, value, alarm }: { label: string; value: ReactNode; alarm?: boolean }) {
  return (
    <div className={`kpi${alarm ? ' alarm' : ''}`}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

export function OverviewView({ item }: { item: Item<'overview'> } & ViewProps) {
  const f = item.figures;
  return (
    <div className="view overview">
      <div className="kpis">
        <Kpi label="近24小时上报" value={f.reported24h} />
        <Kpi label="较前24小时" value={<Delta value={f.reported24h - f.reportedPrev24h} digits={0} />} />
        <Kpi label="近24小时结案" value={f.closed24h} />
        <Kpi label="在办案件" value={f.open} />
        <Kpi label="超期案件" value={f.overdue} alarm={f.overdue > 0} />
        <Kpi label="督办案件" value={f.supervised} />
      </div>
      <div className="indices">
        {item.indices.map((idx) => {
          const top = [...idx.composition].sort((a, b) => b.riskPoints - a.riskPoints)[0];
          return (
            <div className="index-tile" key={idx.id} data-testid="index-tile" style={{ borderTopColor: levelColour(idx.level) }}>
              <div className="index-name">{idx.name}</div>
              <div className="index-value">{fixed(idx.value)}</div>
              <div className="index-trend">
                <span>
                  较昨日 <Delta value={idx.yesterday === null ? null : idx.value - idx.yesterday} />
                </span>
                <span>
                  7日 <Delta value={idx.week === null ? null : idx.value - idx.week} />
                </span>
                <span>
                  30日 <Delta value={idx.month === null ? null : idx.value - idx.month} />
                </span>
              </div>
              <Sparkline series={idx.series} width={220} height={44} />
              <div className="index-foot">
                {top && top.riskPoints > 0 ? `主要风险：${top.name}` : '各项平稳'}
                {idx.movers[0] && Math.abs(idx.movers[0].effect) >= 0.01 ? ` · 拉动：${idx.movers[0].name} ${signed(idx.movers[0].effect, 2)}` : ''}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

export function MapItemView({ item, api, compact, actions, focusId }: { item: Item<'map'> } & ViewProps) {
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
        <h3>变色网格 {item.changedTotal}</h3>
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
                    <button onClick={() => actions.openArea(c.areaId)}>上屏</button>
                    <button onClick={() => actions.decideFor(c.areaId, joinName(c.parentName, c.name), `${c.name}风险升级处置`)}>决定</button>
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

function CaseTable({ title, rows, actions, compact }: { title: string; rows: readonly CaseBrief[]; actions?: ChairActions | undefined; compact: boolean }) {
  return (
    <div className="case-table">
      <h3>{title}</h3>
      <table className="rows">
        <thead>
          <tr>
            <th style={{ width: '19%' }}>编号</th>
            <th style={{ width: '25%' }}>标题</th>
            <th style={{ width: '17%' }}>部门</th>
            <th style={{ width: '19%' }}>网格</th>
            <th style={{ width: '9%' }}>状态</th>
            <th className="num" style={{ width: '11%' }}>
              超期h
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
              <td>{STATE_LABEL[c.state]}</td>
              <td className="num">{c.overdueHours > 0 ? fixed(c.overdueHours) : '—'}</td>
              {actions ? (
                <td className="acts">
                  <button onClick={() => actions.openCase(c.id)}>上屏</button>
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
  const max = Math.max(1, ...item.byDepartment.map((d) => d.overdue + d.supervised));
  return (
    <div className="view cases-view">
      <div className="cases-top">
        <div className="kpis small">
          <Kpi label="超期在办" value={item.overdueTotal} alarm={item.overdueTotal > 0} />
          <Kpi label="督办" value={item.supervisedTotal} />
        </div>
        <div className="bars departments">
          <h3>按责任部门（超期 / 督办）</h3>
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
        <CaseTable title="超期案件" rows={item.overdue} actions={actions} compact={compact} />
        <CaseTable title="督办案件" rows={item.supervised} actions={actions} compact={compact} />
      </div>
    </div>
  );
}

export function HotspotsView({ item, actions }: { item: Item<'hotspots'> } & ViewProps) {
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
        <h3>上升的类别（近24小时 / 近7日日均）</h3>
        {item.categories.map((c) => (
          <div className="bar-row" key={c.code}>
            <span className="bar-label">{c.name}</span>
            {bar(c.count, c.baseline)}
            <span className="bar-value">
              {c.count} <Delta value={c.delta} />
            </span>
          </div>
        ))}
      </div>
      <div className="bars">
        <h3>上升的社区</h3>
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
                <button onClick={() => actions.decideFor(p.areaId, `${p.parentName}${p.name}`, `${p.name}热点问题整治`)}>决定</button>
              </span>
            ) : null}
          </div>
        ))}
      </div>
    </div>
  );
}

export function AlarmsView({ item }: { item: Item<'alarms'> } & ViewProps) {
  return (
    <div className="view alarms-view">
      <div className="kpis small">
        <Kpi label="近24小时感知告警" value={item.sensorAlarms} alarm={item.sensorAlarms > 0} />
        <Kpi label="离线传感器" value={item.offline.sensors} />
        <Kpi label="离线摄像头" value={item.offline.cameras} />
        <Kpi label="生效预警" value={item.warnings.length} alarm={item.warnings.length > 0} />
      </div>
      <div className="cases-grid">
        <div>
          <h3>告警</h3>
          <table className="rows">
            <tbody>
              {item.alarms.slice(0, 8).map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td>{SENSOR_LABEL[a.type] ?? a.type}</td>
                  <td>{a.areaName ?? '—'}</td>
                  <td>{shortTime(a.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>生效预警</h3>
          <table className="rows">
            <tbody>
              {item.warnings.length === 0 ? (
                <tr>
                  <td className="dim">当前无生效预警</td>
                </tr>
              ) : (
                item.warnings.map((w) => (
                  <tr key={w.id}>
                    <td>{w.headline}</td>
                    <td>{w.severity}</td>
                    <td>至 {shortTime(w.expires)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
      <div className="sources">数据来源：{item.sources.join('，')}</div>
    </div>
  );
}

export function DecisionTable({ rows, showCase = true }: { rows: readonly Decision[]; showCase?: boolean }) {
  return (
    <table className="rows decisions" data-testid="decision-table">
      <thead>
        <tr>
          <th style={{ width: '2.2em' }}>#</th>
          <th style={{ width: '30%' }}>决定</th>
          <th style={{ width: '14%' }}>责任部门</th>
          <th style={{ width: '15%' }}>区域</th>
          <th style={{ width: '11%' }}>时限</th>
          {showCase ? <th style={{ width: '16%' }}>案件</th> : null}
          <th style={{ width: '12%' }}>落实</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} data-testid="decision-row" data-case={d.caseCode ?? ''} data-state={d.caseState ?? ''}>
            <td>{d.seq}</td>
            <td>{d.title}</td>
            <td>{d.departmentName}</td>
            <td>{d.areaName}</td>
            <td>{shortTime(d.deadlineAt)}</td>
            {showCase ? <td className="mono">{d.caseCode ?? '—'}</td> : null}
            <td>
              <span className="outcome" style={{ background: OUTCOME_COLOUR[d.outcome] }}>
                {d.caseState && d.outcome === 'in_progress' ? STATE_LABEL[d.caseState] : OUTCOME_LABEL[d.outcome]}
              </span>
              {d.caseError ? <span className="dim small"> {d.caseError}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FollowupView({ item }: { item: Item<'followup'> } & ViewProps) {
  return (
    <div className="view followup-view">
      {item.decisions.length === 0 ? <div className="empty">此前会商没有待跟踪的决定</div> : <DecisionTable rows={item.decisions} />}
    </div>
  );
}

export function MinutesView({ decisions }: { item: Item<'minutes'> } & ViewProps) {
  return (
    <div className="view minutes-view">
      {decisions.length === 0 ? <div className="empty">本次会商尚未形成决定</div> : <DecisionTable rows={decisions} />}
    </div>
  );
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

export const categoryName = (code: string): string => categoryByCode.get(code)?.name ?? code;
