import type { ChartOption } from './Chart.tsx';

/** Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by shape and dash too. */
export const colours = {
  blue: '#1864ab',
  orange: '#c2410c',
  green: '#2b8a3e',
  red: '#c92a2a',
  grey: '#495057',
  violet: '#6741d9',
};
const font =
  "system-ui, -apple-system, 'Segoe UI', Tahoma, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif";

export interface Ctx {
  /** Right to left: time runs from right to left, the value axis on the right, the legend from the right. */
  rtl: boolean;
  number: (n: number) => string;
  percent: (n: number) => string;
}

export interface Series {
  name: string;
  kind: 'line' | 'bar';
  data: Array<number | null>;
  colour: string;
  /** The second value axis (percentages beside counts). */
  secondAxis?: boolean;
  dashed?: boolean;
  step?: boolean;
  symbol?: string;
  stack?: string;
}

/** Bars and lines over a category axis (periods, categories), one or two value axes, mirrored for RTL. */
export function xyChart(
  ctx: Ctx,
  categories: string[],
  series: Series[],
  opts: {
    secondAxisPercent?: boolean;
    firstAxisPercent?: boolean;
    min?: number;
    max?: number;
    rotate?: boolean;
  } = {},
): ChartOption {
  const two = series.some((s) => s.secondAxis);
  const axisFormat = (percent: boolean | undefined) => (v: number) =>
    percent ? ctx.percent(v / 100) : ctx.number(v);
  // Slanted labels when they would not fit side by side (many periods, or long category names).
  const many = opts.rotate ?? (categories.length > 6 || categories.join('').length > 48);
  const legendNames = series.map((s) => s.name);
  return {
    animation: false,
    textStyle: { fontFamily: font, color: '#212529' },
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v) => (typeof v === 'number' ? ctx.number(v) : '—'),
    },
    legend: {
      data: ctx.rtl ? [...legendNames].reverse() : legendNames,
      top: 0,
      ...(ctx.rtl ? { right: 0 } : { left: 0 }),
      textStyle: { color: '#212529' },
    },
    grid: { top: 40, bottom: 8, left: 8, right: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: categories,
      inverse: ctx.rtl,
      axisLabel: {
        color: '#343a40',
        // Every label while they fit (twelve months, a handful of categories); beyond that, those that do not overlap.
        ...(categories.length <= 14 ? { interval: 0 } : { hideOverlap: true }),
        ...(many ? { rotate: 35, width: 120, overflow: 'truncate' as const } : {}),
      },
      axisLine: { lineStyle: { color: '#868e96' } },
    },
    yAxis: [
      {
        type: 'value',
        position: ctx.rtl ? 'right' : 'left',
        minInterval: opts.firstAxisPercent ? undefined : 1,
        min: opts.min,
        max: opts.max,
        axisLabel: { color: '#343a40', formatter: axisFormat(opts.firstAxisPercent) },
        splitLine: { lineStyle: { color: '#dee2e6' } },
      },
      ...(two
        ? [
            {
              type: 'value' as const,
              position: ctx.rtl ? ('left' as const) : ('right' as const),
              min: 0,
              max: opts.secondAxisPercent ? 100 : undefined,
              axisLabel: { color: '#343a40', formatter: axisFormat(opts.secondAxisPercent) },
              splitLine: { show: false },
            },
          ]
        : []),
    ],
    series: series.map((s) =>
      s.kind === 'bar'
        ? {
            type: 'bar' as const,
            name: s.name,
            data: s.data,
            stack: s.stack,
            yAxisIndex: s.secondAxis ? 1 : 0,
            itemStyle: { color: s.colour },
            barMaxWidth: 48,
          }
        : {
            type: 'line' as const,
            name: s.name,
            data: s.data,
            yAxisIndex: s.secondAxis ? 1 : 0,
            connectNulls: false,
            step: s.step ? ('middle' as const) : false,
            symbol: s.symbol ?? 'circle',
            symbolSize: s.symbol === 'none' ? 0 : 7,
            showSymbol: s.symbol !== 'none',
            itemStyle: { color: s.colour },
            lineStyle: {
              color: s.colour,
              width: 2,
              type: s.dashed ? ('dashed' as const) : ('solid' as const),
            },
            tooltip: {
              valueFormatter: (v: unknown) =>
                typeof v === 'number'
                  ? axisFormat(s.secondAxis ? opts.secondAxisPercent : opts.firstAxisPercent)(v)
                  : '—',
            },
          },
    ),
  };
}
