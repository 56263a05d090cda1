/**
 * Bar charts rendered on the server as SVG with Observable Plot, like the line charts (`charts.ts`):
 * bars grouped by a band (fiscal years), optionally side by side within it (stages), stacked by colour
 * (accounts), or normalised to shares of 100 %. Colours are Okabe–Ito; the chart is one image named by
 * its label, and every page that shows one also shows its data as a table.
 * @module
 */
import * as Plot from '@observablehq/plot';
import { formatNumber, formatPercent, type Locale } from '../i18n/index.js';
import { accessible, CATEGORICAL, frame, type ChartNode } from './charts.js';
import type { Html } from './html.js';

export interface Bar {
  /** The band: a fiscal year. */
  band: string;
  /** Bars side by side within the band (a stage); one bar per band when absent. */
  group?: string;
  /** The colour the bar's part is stacked by (an account, a side of the split). */
  fill: string;
  value: number;
}

export interface BarOptions {
  label: string;
  yLabel: string;
  locale: Locale;
  /** The order of the colours, which the legend follows. */
  fills: readonly string[];
  /** The order of the bars within a band. */
  groups?: readonly string[];
  /** Stack the parts as shares of each bar (100 %). */
  normalize?: boolean;
  /** Values are dollars: the axis abbreviates them ($12M). */
  money?: boolean;
  height?: number;
}

/** Dollars on an axis: $12M, $350K, as the reader's language writes them. */
const compactMoney = (locale: Locale) => (v: number) =>
  formatNumber(locale, v, {
    style: 'currency',
    currency: 'USD',
    notation: 'compact',
    maximumFractionDigits: 1,
  });

export function barChart(bars: readonly Bar[], o: BarOptions): Html {
  const grouped = o.groups !== undefined && o.groups.length > 0;
  const tickFormat = o.normalize
    ? (v: number) => formatPercent(o.locale, v)
    : o.money
      ? compactMoney(o.locale)
      : (v: number) => formatNumber(o.locale, v);
  const bands = [...new Set(bars.map((b) => b.band))].sort();
  const stack = { x: grouped ? 'group' : 'band', y: 'value', fill: 'fill', order: o.fills as string[] };
  const svg = Plot.plot({
    ...frame({ label: o.label }, o.height ?? 340),
    marginLeft: 95,
    ...(grouped ? { marginTop: 45 } : {}),
    marginBottom: grouped ? 95 : 30,
    ...(grouped
      ? {
          fx: { domain: bands, label: null, padding: 0.15 },
          x: { domain: o.groups as string[], label: null, tickRotate: -30 },
        }
      : { x: { domain: bands, label: null, padding: 0.2 } }),
    y: { label: o.yLabel, grid: true, tickFormat, ...(o.normalize ? { domain: [0, 1] } : {}) },
    color: { domain: o.fills as string[], range: CATEGORICAL, legend: true },
    marks: [
      Plot.barY(
        bars,
        o.normalize
          ? Plot.stackY(
              { offset: 'normalize', order: o.fills as string[] },
              {
                ...stack,
                ...(grouped ? { fx: 'band' } : {}),
              },
            )
          : { ...stack, ...(grouped ? { fx: 'band' } : {}) },
      ),
      Plot.ruleY([0]),
    ],
  }) as unknown as ChartNode;
  return accessible(svg);
}
