/**
 * The plots of synthetic control and synthetic DiD (server-side SVG with Observable Plot, as every chart
 * of Marco's): the treated units against their synthetic counterpart, period by period; and the gap
 * between them with the placebos' gaps behind it in grey, as Abadie, Diamond and Hainmueller draw them.
 * A dashed rule marks the first treated period. The data of each plot is in a table beside it.
 * @module
 */
import * as Plot from '@observablehq/plot';
import { formatNumber, type Locale } from '../../i18n/index.js';
import { accessible, CATEGORICAL, frame } from '../charts.js';
import type { Html } from '../html.js';

type ChartNode = Parameters<typeof accessible>[0];

interface Axis {
  label: string;
  yLabel: string;
  locale: Locale;
  /** The panel's period labels, one per column of the series. */
  periods: string[];
  /** The first treated period (an index into `periods`). */
  treatedFrom: number;
  width?: number;
  height?: number;
}

/** About eight ticks, counted from the first treated period both ways, labelled with the periods' names. */
function xAxis(o: Axis) {
  const n = o.periods.length;
  const every = Math.max(1, Math.ceil(n / 8));
  const ticks = [...o.periods.keys()].filter((i) => (i - o.treatedFrom) % every === 0);
  return { label: null, ticks, tickFormat: (i: number) => o.periods[i] ?? '' };
}

/** Treated units and their synthetic counterpart. */
export function synthPathChart(series: { name: string; values: number[] }[], o: Axis): Html {
  const rows = series.flatMap((s) => s.values.map((value, t) => ({ series: s.name, t, value })));
  const svg = Plot.plot({
    ...frame(o, 340),
    marginRight: 16,
    x: xAxis(o),
    y: { label: o.yLabel, grid: true, nice: true, tickFormat: (v: number) => formatNumber(o.locale, v) },
    color: { domain: series.map((s) => s.name), range: CATEGORICAL, legend: true },
    marks: [
      Plot.ruleX([o.treatedFrom - 0.5], { stroke: '#555', strokeDasharray: '4 3' }),
      Plot.lineY(rows, { x: 't', y: 'value', stroke: 'series', strokeWidth: 2 }),
    ],
  }) as unknown as ChartNode;
  return accessible(svg);
}

/** The treated units' gap, bold, over the placebos' gaps in grey. */
export function synthGapChart(gap: number[], placebos: number[][], o: Axis & { name: string }): Html {
  const grey = placebos.flatMap((g, p) => g.map((value, t) => ({ p, t, value })));
  const own = gap.map((value, t) => ({ t, value }));
  const svg = Plot.plot({
    ...frame(o, 340),
    x: xAxis(o),
    y: { label: o.yLabel, grid: true, nice: true, tickFormat: (v: number) => formatNumber(o.locale, v) },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([o.treatedFrom - 0.5], { stroke: '#555', strokeDasharray: '4 3' }),
      Plot.lineY(grey, { x: 't', y: 'value', z: 'p', stroke: '#bbbbbb', strokeWidth: 1 }),
      Plot.lineY(own, { x: 't', y: 'value', stroke: CATEGORICAL[0], strokeWidth: 2.5 }),
    ],
  }) as unknown as ChartNode;
  return accessible(svg);
}
