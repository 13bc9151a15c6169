import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws: bars and lines, axes, legend, tooltip; SVG (crisp at any zoom, real text).
// This module (and ECharts) is its own chunk, loaded while the tiles already show.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/**
 * One chart: an image for assistive technology (`role="img"` with a summary; the numbers are in the table beside it),
 * drawn by ECharts as SVG, resized with its container.
 */
export default function Chart(props: {
  option: ChartOption;
  label: string;
  height?: number;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  // ECharts lays its text out left to right itself (the mirroring for RTL is in the option): the page must not flip it.
  return (
    <div role="img" aria-label={props.label} data-testid={props.testId}>
      <div ref={ref} dir="ltr" style={{ width: '100%', height: props.height ?? 300, direction: 'ltr' }} />
    </div>
  );
}
