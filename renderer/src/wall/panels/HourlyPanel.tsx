import { useMemo, type CSSProperties } from 'react';
import { DAY_MS, shanghaiDay, shanghaiHour } from '../../../../shared/time';
import { useApiQuery } from '../../api/useApiQuery';
import { EChart, type ChartOption } from '../../components/EChart';
import { Panel, PanelLoading } from '../../components/Panel';
import { useNow } from '../../hooks/useNow';
import { useViewportUnit } from '../../hooks/useViewportUnit';
import { useT } from '../../i18n/I18nProvider';
import { ACCENT } from '../../theme/colours';
import type { OverviewPanelProps } from './types';

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";
const YESTERDAY_COLOUR = '#8b9bb4';

export interface HourlySeries {
  today: readonly number[];
  yesterday: readonly number[] | null;
  currentHour: number;
  names: { today: string; yesterday: string };
}

/** Today's reports per hour (up to the current hour) over yesterday's, as a faint reference. */
export function hourlyOption(s: HourlySeries, u: number): ChartOption {
  const today = s.today.map((v, h) => (h <= s.currentHour ? v : null));
  const axisLabel = { color: '#8fb6d9', fontSize: u * 1.35, fontFamily: FONT };
  return {
    animation: false,
    grid: { left: u * 4.5, right: u * 1.5, top: u * 2.2, bottom: u * 3 },
    xAxis: {
      type: 'category',
      data: s.today.map((_, h) => String(h).padStart(2, '0')),
      boundaryGap: false,
      axisLine: { lineStyle: { color: 'rgba(120, 200, 255, 0.35)' } },
      axisTick: { show: false },
      axisLabel: { ...axisLabel, interval: 2 },
    },
    yAxis: {
      type: 'value',
      min: 0,
      minInterval: 1,
      splitNumber: 4,
      splitLine: { lineStyle: { color: 'rgba(120, 200, 255, 0.1)' } },
      axisLabel,
    },
    series: [
      ...(s.yesterday
        ? [
            {
              type: 'line' as const,
              name: s.names.yesterday,
              data: [...s.yesterday],
              smooth: true,
              smoothMonotone: 'x' as const,
              showSymbol: false,
              lineStyle: { color: YESTERDAY_COLOUR, width: Math.max(1, u * 0.2), type: 'dashed' as const },
              z: 1,
            },
          ]
        : []),
      {
        type: 'line',
        name: s.names.today,
        data: today,
        smooth: true,
        smoothMonotone: 'x',
        showSymbol: false,
        lineStyle: { color: ACCENT, width: Math.max(2, u * 0.3), shadowColor: 'rgba(34, 228, 255, 0.6)', shadowBlur: u },
        itemStyle: { color: ACCENT },
        areaStyle: {
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: 'rgba(34, 228, 255, 0.45)' },
              { offset: 1, color: 'rgba(34, 228, 255, 0.02)' },
            ],
          },
        },
        markLine: {
          silent: true,
          symbol: 'none',
          label: { show: false },
          lineStyle: { color: 'rgba(255, 255, 255, 0.35)', type: 'dashed' },
          data: [{ xAxis: s.currentHour }],
        },
        z: 2,
      },
    ],
  };
}

export function HourlyPanel({ data, stale }: OverviewPanelProps) {
  const t = useT();
  const u = useViewportUnit();
  const now = useNow(60_000);
  const hour = shanghaiHour(now);
  const yesterdayDay = shanghaiDay(now - DAY_MS);
  const yesterday = useApiQuery('stats.overview', { day: yesterdayDay }, { refreshMs: 10 * 60_000 });
  const names = useMemo(() => ({ today: t('wall.hourly.today'), yesterday: t('wall.hourly.yesterday') }), [t]);
  const option = useMemo(
    () => (data ? hourlyOption({ today: data.hourly, yesterday: yesterday.data?.hourly ?? null, currentHour: hour, names }, u) : null),
    [data, yesterday.data, hour, u, names],
  );
  const legend = (
    <span className="chart-legend">
      <span style={{ '--c': ACCENT } as CSSProperties}>{names.today}</span>
      <span className="dashed" style={{ '--c': YESTERDAY_COLOUR } as CSSProperties}>
        {names.yesterday}
      </span>
    </span>
  );
  return (
    <Panel id="hourly" title={t('wall.hourly.title')} stale={stale} extra={legend}>
      {option === null ? <PanelLoading /> : <EChart option={option} className="echart" testId="hourly-chart" />}
    </Panel>
  );
}
