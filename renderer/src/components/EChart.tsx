/** A small ECharts host: canvas renderer, only the chart kinds we use, resized with its box. */
import { useEffect, useRef, type RefObject } from 'react';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, MarkLineComponent, type GridComponentOption, type MarkLineComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption | MarkLineComponentOption>;

/**
 * Mount an ECharts instance (canvas) on the returned element ref, resized with its box; `option`
 * replaces the chart's option whenever it changes. The chart kinds it draws must be registered
 * with `use` by the caller's module.
 */
export function useEChart(option: EChartsCoreOption): RefObject<HTMLDivElement | null> {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const c = init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: false });
  }, [option]);

  return box;
}

export function EChart({ option, className, testId }: { option: ChartOption; className?: string; testId?: string }) {
  const box = useEChart(option);
  return <div ref={box} className={className ?? 'echart'} data-testid={testId} />;
}
