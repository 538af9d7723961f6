/**
 * The sensor card (设备卡片): live value and status, thresholds, the last 24 h as an ECharts chart
 * with the threshold bands and the periods in alarm, the alarm history, owner department and grid.
 * Live readings arrive through `sensors.readings`; alarm events refresh the card.
 */
import { useEffect, useMemo, useState } from 'react';
import { LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { use, type EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ApiClient, MethodOutput } from '../../../shared/api';
import type { SensorDetail } from '../../../shared/api/monitoring';
import type { Locale } from '../../../shared/i18n';
import { useEChart } from '../components/EChart';
import { formatShort } from '../time/format';
import { monitoringT } from './labels';
import { appendReading, sensorChartOption, SEVERITY_COLOURS, type SensorChartOption } from './logic';
import './monitoring.css';

use([LineChart, GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export interface SensorCardProps {
  api: ApiClient;
  sensorId: string;
  locale?: Locale;
  /** Chart window in hours (default 24). */
  hours?: number;
  onClose?(): void;
  className?: string;
}

type Series = MethodOutput<'readings.series'>;

const STATUS_COLOURS = { normal: '#34d399', warning: SEVERITY_COLOURS.warning, alarm: SEVERITY_COLOURS.critical, offline: '#7b8794' } as const;

function Chart({ option }: { option: SensorChartOption }) {
  const box = useEChart(option as unknown as EChartsCoreOption);
  return <div ref={box} className="mon-chart" data-testid="sensor-chart" />;
}

const fmtValue = (v: number | null): string => (v === null ? '—' : Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3))));

export function SensorCard(props: SensorCardProps) {
  const { api, sensorId, locale = 'zh-CN', hours = 24, onClose } = props;
  const t = useMemo(() => monitoringT(locale), [locale]);
  const [detail, setDetail] = useState<SensorDetail | null>(null);
  const [series, setSeries] = useState<Series | null>(null);
  const [missing, setMissing] = useState(false);
  const [version, setVersion] = useState(0);
  const windowMs = hours * 3_600_000;

  useEffect(() => {
    let live = true;
    const to = Date.now();
    void api.call('sensors.get', { id: sensorId }).then((r) => {
      if (!live) return;
      if (r.ok) setDetail(r.value);
      else if (r.error.code === 'not_found') setMissing(true);
    });
    void api.call('readings.series', { sensorId, from: new Date(to - windowMs).toISOString(), to: new Date(to).toISOString() }).then((r) => {
      if (live && r.ok) setSeries(r.value);
    });
    return () => {
      live = false;
    };
  }, [api, sensorId, windowMs, version]);

  useEffect(() => {
    const offReadings = api.on('sensors.readings', (p) => {
      const i = p.ids.indexOf(sensorId);
      if (i < 0) return;
      const v = p.values[i] ?? null;
      const at = p.times[i] ?? null;
      const status = p.status[i]!;
      setDetail((d) => (d ? { ...d, status, lastValue: v ?? d.lastValue, lastAt: at !== null ? new Date(at).toISOString() : d.lastAt } : d));
      if (v !== null && at !== null)
        setSeries((s) => {
          if (!s || s.resolution !== 'raw') return s;
          const next = appendReading({ t: s.t, v: s.v }, at, v, windowMs);
          return next === s ? s : { ...s, ...next, to: new Date(at).toISOString() };
        });
    });
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = (id: string): void => {
      if (id !== sensorId || timer) return;
      timer = setTimeout(() => {
        timer = null;
        setVersion((x) => x + 1);
      }, 500);
    };
    const offRaised = api.on('alarm.raised', ({ alarm }) => refresh(alarm.sensorId));
    const offUpdated = api.on('alarm.updated', ({ alarm }) => refresh(alarm.sensorId));
    return () => {
      offReadings();
      offRaised();
      offUpdated();
      if (timer) clearTimeout(timer);
    };
  }, [api, sensorId, windowMs]);

  const option = useMemo(() => {
    if (!series) return null;
    const to = Date.parse(series.to);
    return sensorChartOption(
      { t: series.t, v: series.v, min: series.min, max: series.max, unit: series.unit, rules: series.rules, alarms: series.alarms, from: to - windowMs, to },
      { warn: t('card.warn'), alarm: t('card.alarm'), critical: t('card.critical'), value: t('card.value') },
    );
  }, [series, t, windowMs]);

  if (missing) return <div className="mon-card mon-card-missing">{t('card.not_found')}</div>;
  if (!detail) return <div className="mon-card mon-card-loading">{t('card.loading')}</div>;
  const r = detail.rules;
  const levels = [
    ['card.warn', r.warn],
    ['card.alarm', r.alarm],
    ['card.critical', r.critical],
  ] as const;
  return (
    <div className={`mon-card${props.className ? ` ${props.className}` : ''}`} data-testid="sensor-card" data-sensor-id={detail.id} data-status={detail.status}>
      <header className="mon-card-head">
        <div>
          <div className="mon-card-name">{detail.name}</div>
          <div className="mon-card-sub">
            {t(`type.${detail.type}`)} · {detail.id} · {t('card.interval', { s: detail.intervalS })}
          </div>
        </div>
        {onClose && (
          <button type="button" className="mon-close" onClick={onClose} aria-label="close">
            ×
          </button>
        )}
      </header>
      <div className="mon-card-live">
        <span className="mon-card-value" style={{ color: STATUS_COLOURS[detail.status] }} data-testid="sensor-value">
          {fmtValue(detail.lastValue)}
          <small> {detail.unit}</small>
        </span>
        <span className="mon-badge" style={{ background: STATUS_COLOURS[detail.status] }}>
          {t(`status.${detail.status}`)}
        </span>
        <span className="mon-card-at">{detail.lastAt ? t('card.at', { t: formatShort(detail.lastAt) }) : t('card.never')}</span>
      </div>
      <dl className="mon-card-facts">
        <dt>{t('card.thresholds')}</dt>
        <dd>
          {t(`card.dir.${r.dir}`)}{' '}
          {levels
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${t(k)} ${fmtValue(v)}`)
            .join(' / ') || '—'}
        </dd>
        <dt>{t('card.department')}</dt>
        <dd>{detail.departmentName ?? '—'}</dd>
        <dt>{t('card.grid')}</dt>
        <dd>{detail.gridName ?? '—'}</dd>
      </dl>
      <div className="mon-card-chart-title">
        {t('card.chart')}
        {series && <small> · {t(`card.resolution.${series.resolution}`)}</small>}
      </div>
      {option ? <Chart option={option} /> : <div className="mon-chart mon-card-loading">{t('card.loading')}</div>}
      <div className="mon-card-chart-title">{t('card.history')}</div>
      <ul className="mon-card-history">
        {detail.recentAlarms.length === 0 && <li className="mon-muted">{t('card.no_history')}</li>}
        {detail.recentAlarms.map((a) => (
          <li key={a.id} data-alarm-id={a.id}>
            <span className="mon-badge" style={{ background: SEVERITY_COLOURS[a.severity] }}>
              {t(`severity.${a.severity}`)}
            </span>
            <span className="mon-hist-time">{formatShort(a.raisedAt)}</span>
            <span className="mon-hist-msg">{a.message}</span>
            <span className={`mon-state mon-state-${a.state}`}>{t(`state.${a.state}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
