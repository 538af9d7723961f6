/**
 * Pure logic of the monitoring components (no DOM, no React): ordering and merging alarms for
 * the strip and the list, the sensor chart's ECharts option with threshold and alarm bands.
 */
import type { Alarm } from '../../../shared/api/monitoring';
import { severityRank, thresholdBands, type AlarmSeverity, type EffectiveRules } from '../../../shared/domain/monitoring';

export const SEVERITY_COLOURS: Readonly<Record<AlarmSeverity, string>> = {
  warning: '#fbbf24',
  alarm: '#fb7a24',
  critical: '#ff3b3b',
};

/** Strip order: most severe first, unacknowledged before acknowledged, newest first. */
export function compareForStrip(a: Alarm, b: Alarm): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(a.state !== 'raised') - Number(b.state !== 'raised') ||
    b.raisedAt.localeCompare(a.raisedAt) ||
    a.id.localeCompare(b.id)
  );
}

/** Merge a pushed alarm into the open set: cleared ones leave, others are replaced or added (newer version wins). */
export function mergeOpen(list: readonly Alarm[], alarm: Alarm): Alarm[] {
  const i = list.findIndex((a) => a.id === alarm.id);
  if (i >= 0 && list[i]!.version > alarm.version) return [...list];
  const rest = i >= 0 ? [...list.slice(0, i), ...list.slice(i + 1)] : [...list];
  if (alarm.state !== 'cleared') rest.push(alarm);
  return rest.sort(compareForStrip);
}

export function countBySeverity(list: readonly Alarm[]): Record<AlarmSeverity, number> {
  const out: Record<AlarmSeverity, number> = { warning: 0, alarm: 0, critical: 0 };
  for (const a of list) out[a.severity]++;
  return out;
}

/** Which sound an event calls for (none for acknowledgements, clearing, case filing). */
export function soundFor(event: 'raised' | 'severity' | 'escalated' | 'acknowledged' | 'cleared' | 'case', alarm: Alarm): AlarmSeverity | null {
  if (event === 'raised' || event === 'severity' || event === 'escalated') return alarm.state === 'cleared' ? null : alarm.severity;
  return null;
}

export interface SeriesInput {
  t: readonly number[];
  v: readonly number[];
  min: readonly number[] | null;
  max: readonly number[] | null;
  unit: string;
  rules: EffectiveRules;
  alarms: ReadonlyArray<{ severity: AlarmSeverity; raisedAt: string; clearedAt: string | null }>;
  from: number;
  to: number;
}

const BAND_COLOURS: Record<1 | 2 | 3, string> = { 1: 'rgba(251, 191, 36, 0.16)', 2: 'rgba(251, 122, 36, 0.22)', 3: 'rgba(255, 59, 59, 0.26)' };
const LINE_COLOURS: Record<1 | 2 | 3, string> = { 1: '#fbbf24', 2: '#fb7a24', 3: '#ff3b3b' };

/** Round axis bounds around [lo, hi] with some room: steps of 1, 2 or 5 × a power of ten. */
export function niceBounds(lo: number, hi: number): [number, number] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const round = (v: number): number => Number(v.toPrecision(12));
  return [round(Math.floor((lo - span * 0.05) / step) * step), round(Math.ceil((hi + span * 0.05) / step) * step)];
}

/** Plain data for an ECharts option (kept free of ECharts types so it can be tested in Node). */
export interface SensorChartOption {
  animation: false;
  grid: { left: number; right: number; top: number; bottom: number; containLabel: true };
  tooltip: { trigger: 'axis' };
  xAxis: { type: 'time'; min: number; max: number; axisLabel: { color: string; hideOverlap: true }; axisLine: { lineStyle: { color: string } } };
  yAxis: { type: 'value'; scale: true; name: string; nameTextStyle: { color: string }; axisLabel: { color: string }; splitLine: { lineStyle: { color: string } }; min?: number; max?: number };
  series: Array<Record<string, unknown>>;
}

/**
 * The 24 h chart: the readings, min/max as faint lines when roll-ups are shown, threshold bands
 * (warning/alarm/critical, translucent) with their lines, and the periods the sensor was in
 * alarm shaded along the time axis.
 */
export function sensorChartOption(s: SeriesInput, labels: { warn: string; alarm: string; critical: string; value: string }): SensorChartOption {
  const levelName = { 1: labels.warn, 2: labels.alarm, 3: labels.critical } as const;
  const bands = thresholdBands(s.rules);
  const values = [...s.v, ...(s.max ?? []), ...(s.min ?? [])];
  const limits = bands.flatMap((b) => [b.from, b.to]).filter((x): x is number => x !== null);
  const lo = Math.min(...values, ...limits);
  const hi = Math.max(...values, ...limits);
  const [yMin, yMax] = Number.isFinite(lo) && Number.isFinite(hi) ? niceBounds(lo, hi) : [undefined, undefined];
  const points = s.t.map((t, i) => [t, s.v[i]!]);
  const series: Array<Record<string, unknown>> = [
    {
      type: 'line',
      name: labels.value,
      data: points,
      showSymbol: points.length < 60,
      symbolSize: 4,
      lineStyle: { width: 2, color: '#22e4ff' },
      itemStyle: { color: '#22e4ff' },
      z: 3,
      markArea: {
        silent: true,
        data: bands.map((b) => [
          { yAxis: b.from ?? yMin ?? 'min', itemStyle: { color: BAND_COLOURS[b.level] } },
          { yAxis: b.to ?? yMax ?? 'max' },
        ]),
      },
      markLine: {
        silent: true,
        symbol: 'none',
        data: bands
          .map((b) => ({ yAxis: s.rules.dir === 'above' ? b.from : b.to, level: b.level }))
          .filter((l): l is { yAxis: number; level: 1 | 2 | 3 } => l.yAxis !== null)
          .map((l) => ({
            yAxis: l.yAxis,
            lineStyle: { color: LINE_COLOURS[l.level], type: 'dashed' },
            label: { formatter: `${levelName[l.level]} ${l.yAxis}`, color: LINE_COLOURS[l.level], position: 'insideEndTop' },
          })),
      },
    },
    {
      // alarm periods along the time axis (an empty series that only carries the mark areas)
      type: 'line',
      name: 'alarms',
      data: [],
      markArea: {
        silent: true,
        data: s.alarms.map((a) => [
          { xAxis: Math.max(s.from, Date.parse(a.raisedAt)), itemStyle: { color: a.severity === 'warning' ? 'rgba(251, 191, 36, 0.1)' : 'rgba(255, 59, 59, 0.14)' } },
          { xAxis: a.clearedAt ? Math.min(s.to, Date.parse(a.clearedAt)) : s.to },
        ]),
      },
    },
  ];
  if (s.min && s.max) {
    const faint = { width: 1, color: 'rgba(34, 228, 255, 0.35)' };
    series.push({ type: 'line', name: 'max', data: s.t.map((t, i) => [t, s.max![i]!]), showSymbol: false, lineStyle: faint, itemStyle: { color: faint.color }, z: 2 });
    series.push({ type: 'line', name: 'min', data: s.t.map((t, i) => [t, s.min![i]!]), showSymbol: false, lineStyle: faint, itemStyle: { color: faint.color }, z: 2 });
  }
  const yAxis: SensorChartOption['yAxis'] = {
    type: 'value',
    scale: true,
    name: s.unit,
    nameTextStyle: { color: '#8fb1d1' },
    axisLabel: { color: '#8fb1d1' },
    splitLine: { lineStyle: { color: 'rgba(56, 189, 248, 0.12)' } },
  };
  if (yMin !== undefined) yAxis.min = yMin;
  if (yMax !== undefined) yAxis.max = yMax;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time', min: s.from, max: s.to, axisLabel: { color: '#8fb1d1', hideOverlap: true }, axisLine: { lineStyle: { color: 'rgba(56, 189, 248, 0.4)' } } },
    yAxis,
    series,
  };
}

/** Append a live reading to a raw series (kept sorted, older than the window dropped). */
export function appendReading(series: { t: number[]; v: number[] }, t: number, v: number, windowMs: number): { t: number[]; v: number[] } {
  if (series.t.length > 0 && t <= series.t[series.t.length - 1]!) return series;
  const from = t - windowMs;
  let start = 0;
  while (start < series.t.length && series.t[start]! < from) start++;
  return { t: [...series.t.slice(start), t], v: [...series.v.slice(start), v] };
}

/** Per-seat mute, remembered in the browser (wall seats cannot mute: see AlarmStrip). */
export function muteKey(seatId: string): string {
  return `cityops.monitoring.mute.${seatId}`;
}
