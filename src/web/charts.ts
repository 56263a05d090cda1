/**
 * Charts and maps rendered on the server as SVG: line charts with Observable Plot (on a linkedom
 * document, no browser needed) and choropleth maps with d3-geo. Colours are safe for colour-blind
 * readers (Okabe–Ito for lines, viridis classes for maps); every chart has an accessible name, and every
 * page that shows one also shows its data as a table.
 * @module
 */
import { scaleQuantile } from 'd3-scale';
import * as Plot from '@observablehq/plot';
import { geoAlbersUsa, geoConicConformal, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection } from 'geojson';
import { parseHTML } from 'linkedom';
import { formatNumber, type Locale } from '../i18n/index.js';
import { html, trustedHtml, type Html } from './html.js';

/** Okabe–Ito: eight colours distinguishable with the common colour-vision deficiencies. */
export const CATEGORICAL = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];
/** Five viridis classes, light to dark reversed so that more is darker. */
export const SEQUENTIAL = ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'];
export const NO_DATA = '#d9d9d9';

export interface LineSeries {
  name: string;
  /** `partial`: the period is not covered whole by its source; drawn as a hollow dot. */
  points: { start: string; value: number | null; partial?: boolean }[];
}

/** A change of source along the series: a dashed rule at the first period the new source serves. */
export interface ChartBreak {
  start: string;
  label: string;
}

/** A dated event drawn over a chart: a solid rule at its date, numbered at the top to match a list. */
export interface ChartEvent {
  date: string;
  /** The number or short mark that the list beside the chart explains. */
  label: string;
  kind: 'incident' | 'intervention';
}

/** Incidents in vermilion, interventions in blue: the Okabe–Ito pair that colour-blind readers tell apart. */
const EVENT_COLOURS = { incident: '#D55E00', intervention: '#0072B2' } as const;

/**
 * What every chart shares: a server-side document, its size, margin, accessible name and style. The
 * default width is the pages' content width: the stylesheet scales a chart to its column
 * (`svg.chart{width:100%}`), so its text keeps about the page's size.
 */
export function frame(o: { label: string; width?: number; height?: number }, height: number) {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return {
    document: document as never,
    width: o.width ?? 1140,
    height: o.height ?? height,
    marginLeft: 60,
    ariaLabel: o.label,
  };
}

/** A line chart of one or more series over time. */
export function lineChart(
  series: LineSeries[],
  o: {
    label: string;
    yLabel: string;
    locale: Locale;
    width?: number;
    height?: number;
    breaks?: ChartBreak[];
    /** Incidents and interventions to mark on the time axis (`/timeline`). */
    events?: ChartEvent[];
    /** The series' periods: yearly ones are drawn on a year axis, never between month ticks. */
    by?: 'month' | 'quarter' | 'year' | 'fiscal_year';
  },
): Html {
  // A fiscal year starts in October of the year before the one it is named after: it is drawn at the
  // start of that named year, so the axis's years are the fiscal years' names.
  const at = (start: string) => {
    const date = new Date(`${start}T00:00:00Z`);
    if (o.by === 'fiscal_year') date.setUTCMonth(date.getUTCMonth() + 3);
    return date;
  };
  // Missing values stay in as nulls, so a line breaks where the data has a gap instead of bridging it.
  const rows = series.flatMap((s) =>
    s.points.map((p) => ({
      series: s.name,
      date: at(p.start),
      value: p.value,
      partial: p.partial === true,
    })),
  );
  const breaks = (o.breaks ?? []).map((b) => ({ date: at(b.start), label: b.label }));
  const events = staggered(
    (o.events ?? []).map((e) => ({
      date: new Date(`${e.date}T00:00:00Z`),
      label: e.label,
      colour: EVENT_COLOURS[e.kind],
    })),
    rows.map((r) => r.date),
  );
  // Several series are named at their last value, in their colour, as well as in the legend.
  const direct = series.length > 1;
  const longest = Math.max(0, ...series.map((s) => s.name.length));
  const svg = Plot.plot({
    ...frame(o, 360),
    ...(direct ? { marginRight: Math.min(220, 16 + longest * 7.5) } : {}),
    x: {
      type: 'utc',
      label: null,
      ...yearAxis(
        rows.map((r) => r.date),
        o.by,
      ),
    },
    y: { label: o.yLabel, grid: true, zero: true, tickFormat: (v: number) => formatNumber(o.locale, v) },
    color: { domain: series.map((s) => s.name), range: CATEGORICAL, legend: series.length > 1 },
    marks: [
      Plot.ruleY([0]),
      // Segments to a partial period are dashed: the solid line, drawn over the dashed one, leaves them out.
      Plot.lineY(rows, { x: 'date', y: 'value', stroke: 'series', strokeWidth: 1.5, strokeDasharray: '4,3' }),
      Plot.lineY(
        rows.map((r) => (r.partial ? { ...r, value: null } : r)),
        { x: 'date', y: 'value', stroke: 'series', strokeWidth: 2 },
      ),
      Plot.dot(
        rows.filter((r) => r.value !== null && !r.partial),
        { x: 'date', y: 'value', fill: 'series', r: rows.length > 120 ? 0 : 2.5 },
      ),
      // A partial period is hollow, whatever the number of points: it is not comparable to the others.
      Plot.dot(
        rows.filter((r) => r.value !== null && r.partial),
        { x: 'date', y: 'value', stroke: 'series', fill: 'white', r: 3.5, strokeWidth: 1.5 },
      ),
      direct
        ? Plot.text(
            rows.filter((r) => r.value !== null),
            Plot.selectLast({
              x: 'date',
              y: 'value',
              z: 'series',
              text: 'series',
              fill: 'series',
              dx: 7,
              textAnchor: 'start',
              fontWeight: 600,
            }),
          )
        : null,
      Plot.ruleX(breaks, { x: 'date', stroke: '#555', strokeDasharray: '4,3' }),
      Plot.ruleX(events, { x: 'date', stroke: 'colour', strokeWidth: 1.5, strokeOpacity: 0.8 }),
      // Plot's offsets are constants, not channels: one text mark for each line of numbers.
      ...[...new Set(events.map((e) => e.dy))].map((dy) =>
        Plot.text(
          events.filter((e) => e.dy === dy),
          {
            x: 'date',
            text: 'label',
            fill: 'colour',
            frameAnchor: 'top',
            dy,
            fontWeight: 700,
            lineAnchor: 'top',
          },
        ),
      ),
      Plot.text(breaks, { x: 'date', text: 'label', frameAnchor: 'top', textAnchor: 'start', dx: 4, dy: 2 }),
    ],
  }) as unknown as ChartNode;
  return accessible(svg);
}

/**
 * Events with the vertical offset of their number: an event closer than 3% of the axis to the one
 * before it goes one line lower (up to four lines), so that close numbers do not print over each other.
 */
function staggered<E extends { date: Date }>(events: E[], dates: Date[]): (E & { dy: number })[] {
  const times = [...dates, ...events.map((e) => e.date)].map((d) => d.getTime());
  const span = Math.max(1, Math.max(...times) - Math.min(...times));
  const sorted = [...events].sort((a, b) => a.date.getTime() - b.date.getTime());
  const lastAt: number[] = [];
  return sorted.map((e) => {
    const t = e.date.getTime();
    let line = lastAt.findIndex((last) => t - last >= span * 0.03);
    if (line === -1) line = lastAt.length < 4 ? lastAt.length : 0;
    lastAt[line] = t;
    return { ...e, dy: 2 + line * 13 };
  });
}

/**
 * For yearly periods, ticks on whole years only (every year, or every second, fifth… so that there are
 * at most ten), labelled `2019` or `FY2019`: Plot's own ticks fall on months inside a short span.
 */
function yearAxis(
  dates: Date[],
  by: string | undefined,
): { ticks?: Date[]; tickFormat?: (d: Date) => string } {
  if ((by !== 'year' && by !== 'fiscal_year') || dates.length === 0) return {};
  const years = dates.map((d) => d.getUTCFullYear());
  const first = Math.min(...years);
  const last = Math.max(...years);
  const step = [1, 2, 5, 10, 20, 50].find((k) => (last - first) / k < 10) ?? 100;
  const ticks: Date[] = [];
  for (let y = Math.ceil(first / step) * step; y <= last; y += step) ticks.push(new Date(Date.UTC(y, 0, 1)));
  const prefix = by === 'fiscal_year' ? 'FY' : '';
  return { ticks, tickFormat: (d: Date) => `${prefix}${d.getUTCFullYear()}` };
}

/** The parts of a server-side (linkedom) element that `accessible` uses. */
export interface ChartNode {
  tagName: string;
  outerHTML: string;
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<ChartNode>;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  remove(): void;
}

/**
 * The chart is one image named by its label: inner groups keep no names of their own (ARIA forbids a
 * name on a plain group), and the data is in the table beside it. The legend's colour swatches are
 * decoration (their text is beside them). Plot's own `<style>` elements and `style` attributes are
 * removed, because the pages' Content-Security-Policy allows styles from Marco's stylesheet only; their
 * rules are in that stylesheet ({@link chartStylesheet}). The attributes are set on the document before
 * it is serialised, never by rewriting its markup: a label holding markup stays text inside its
 * attribute.
 */
export function accessible(root: ChartNode, o: { standalone?: boolean } = {}): Html {
  for (const g of root.querySelectorAll('g')) {
    g.removeAttribute('aria-label');
    g.removeAttribute('aria-description');
  }
  for (const style of [...root.querySelectorAll('style')]) style.remove();
  const self = root.tagName.toLowerCase() === 'svg' ? [root] : [];
  for (const node of [root, ...root.querySelectorAll('[style]')]) node.removeAttribute('style');
  for (const svg of [...self, ...root.querySelectorAll('svg')]) {
    if (svg.hasAttribute('aria-label')) {
      if (!svg.hasAttribute('role')) svg.setAttribute('role', 'img');
      // The chart itself (not a legend swatch) takes the column's width from the stylesheet.
      if (!/\bchart\b/.test(svg.getAttribute('class') ?? ''))
        svg.setAttribute('class', `${svg.getAttribute('class') ?? ''} chart`.trim());
    } else if (!svg.hasAttribute('aria-hidden')) svg.setAttribute('aria-hidden', 'true');
  }
  if (o.standalone) root.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return trustedHtml(root.outerHTML, 'serialised by linkedom from a document whose text was set as text');
}

let plotCss: string | undefined;

/**
 * The rules of Plot's own `<style>` elements (they depend on Plot's version), read once from a sample
 * chart with a legend, for the stylesheet that replaces them.
 */
export function chartStylesheet(): string {
  if (plotCss !== undefined) return plotCss;
  const sample = Plot.plot({
    ...frame({ label: 'sample' }, 100),
    color: { domain: ['a', 'b'], legend: true },
    marks: [Plot.dot([{ x: 1, y: 1, c: 'a' }], { x: 'x', y: 'y', fill: 'c' })],
  }) as unknown as ChartNode;
  const rules = [...sample.querySelectorAll('style')].map((s) => s.textContent ?? '');
  plotCss = rules.join('\n');
  return plotCss;
}

export interface EventStudyLine {
  name: string;
  points: { event: number; estimate: number; lower: number; upper: number }[];
}

/**
 * An event-study plot: estimates by event time with their 95% intervals, one colour per estimator
 * (side by side), a zero line and a dashed line just before treatment.
 */
export function eventStudyChart(
  lines: EventStudyLine[],
  o: {
    label: string;
    xLabel: string;
    yLabel: string;
    locale: Locale;
    width?: number;
    height?: number;
    /** One SVG document, for a file: the estimators are named in the plot, not in an HTML legend. */
    standalone?: boolean;
  },
): Html {
  const offset = (i: number) => (lines.length > 1 ? (i - (lines.length - 1) / 2) * 0.25 : 0);
  const rows = lines.flatMap((l, i) =>
    l.points
      .filter((p) => Number.isFinite(p.estimate))
      .map((p) => ({ ...p, x: p.event + offset(i), series: l.name })),
  );
  const svg = Plot.plot({
    ...frame(o, 400),
    // The axis title sits centred under the ticks, never on them; the y domain holds every interval
    // whole, with room above and below.
    marginBottom: 48,
    x: {
      label: o.xLabel,
      labelAnchor: 'center',
      labelArrow: 'none',
      labelOffset: 40,
      tickFormat: (v: number) => formatNumber(o.locale, v),
    },
    y: {
      label: o.yLabel,
      grid: true,
      nice: true,
      domain: intervalDomain(rows),
      tickFormat: (v: number) => formatNumber(o.locale, v),
    },
    color: {
      domain: lines.map((l) => l.name),
      range: CATEGORICAL,
      legend: lines.length > 1 && !o.standalone,
    },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([-0.5], { stroke: '#555', strokeDasharray: '4 3' }),
      Plot.ruleX(rows, { x: 'x', y1: 'lower', y2: 'upper', stroke: 'series', strokeWidth: 1.5 }),
      Plot.dot(rows, { x: 'x', y: 'estimate', fill: 'series', r: rows.length > 150 ? 1.8 : 3 }),
      // In a file there is no HTML legend: each estimator's name is written in its colour, top left.
      o.standalone && lines.length > 1
        ? Plot.text(lines, {
            text: 'name',
            fill: (l: EventStudyLine) => l.name,
            frameAnchor: 'top-left',
            dx: 6,
            dy: (_: unknown, i: number) => 4 + i * 14,
            textAnchor: 'start',
          } as never)
        : null,
    ],
  }) as unknown as ChartNode;
  return accessible(svg, { standalone: o.standalone === true });
}

/** The y extent of every estimate and interval bound, and zero, so that no interval is clipped. */
function intervalDomain(rows: { estimate: number; lower: number; upper: number }[]): [number, number] {
  const values = rows.flatMap((r) => [r.estimate, r.lower, r.upper]).filter(Number.isFinite);
  return [Math.min(0, ...values), Math.max(0, ...values)];
}

/**
 * Class breaks: the quintiles of the values (d3-scale's quantile scale, R's type 7), at most five
 * classes; equal quintiles (many places at 0) merge.
 */
export function classBreaks(values: number[]): number[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  return [...new Set(scaleQuantile().domain(finite).range([0, 1, 2, 3, 4]).quantiles())];
}

/**
 * The fraction digits a map legend needs so that no two class edges print alike (one at least, four at
 * most): breaks of 0.21 and 0.24 would both print "0.2", and a class "0.2 – 0.2" says nothing.
 */
export function legendDigits(breaks: number[]): number {
  for (let digits = 1; digits < 4; digits++) {
    const shown = breaks.map((b) => b.toFixed(digits));
    if (new Set(shown).size === shown.length) return digits;
  }
  return 4;
}

/** The projection for a set of places: Mexico's conformal conic, or Albers for the United States. */
function projectionFor(country: 'MX' | 'US'): GeoProjection {
  return country === 'US' ? geoAlbersUsa() : geoConicConformal().parallels([17.5, 29.5]).rotate([102, 0]);
}

export interface ChoroplethOptions {
  country: 'MX' | 'US';
  label: string;
  locale: Locale;
  /** Text for a place without a value. */
  noData: string;
  /** Link for a place's code, if places link somewhere. */
  href?: (code: string) => string;
  width?: number;
  height?: number;
}

/** A choropleth of `values` (by place code) over `features` (ids are place codes). */
export function choropleth(
  features: FeatureCollection,
  values: Map<string, number>,
  o: ChoroplethOptions,
): Html {
  const width = o.width ?? 760;
  const height = o.height ?? (o.country === 'US' ? 470 : 480);
  const projection = projectionFor(o.country).fitExtent(
    [
      [8, 8],
      [width - 8, height - 8],
    ],
    features,
  );
  // One decimal of a pixel is plenty, and keeps a state map a few dozen kilobytes.
  const path = geoPath(projection).digits(1);
  const breaks = classBreaks([...values.values()]);
  // Fill colours are classes of the stylesheet (`.seq0`…`.seq4`, `.nodata`), not inline styles.
  const classOf = (v: number | undefined) => {
    if (v === undefined || !Number.isFinite(v)) return 'nodata';
    let i = 0;
    while (i < breaks.length && v > breaks[i]!) i++;
    return `seq${Math.min(i, SEQUENTIAL.length - 1)}`;
  };
  const shapes = features.features.map((f: Feature) => {
    const code = String(f.id);
    const d = path(f);
    if (!d) return '';
    const v = values.get(code);
    const name = (f.properties as { name?: string } | null)?.name ?? code;
    const title = `${name}: ${v === undefined ? o.noData : formatNumber(o.locale, v, { maximumFractionDigits: 2 })}`;
    const shape = html`<path d="${d}" class="${classOf(v)}" data-code="${code}"><title>${title}</title></path>`;
    return o.href ? html`<a href="${o.href(code)}" aria-label="${title}">${shape}</a>` : shape;
  });
  const digits = legendDigits(breaks);
  const fmt = (v: number) => formatNumber(o.locale, v, { maximumFractionDigits: digits });
  const edges = [Number.NEGATIVE_INFINITY, ...breaks, Number.POSITIVE_INFINITY];
  const legend = edges.slice(0, -1).map((lo, i) => {
    const hi = edges[i + 1]!;
    const text =
      lo === Number.NEGATIVE_INFINITY
        ? `≤ ${fmt(hi)}`
        : hi === Number.POSITIVE_INFINITY
          ? `> ${fmt(lo)}`
          : `${fmt(lo)} – ${fmt(hi)}`;
    return html`<span
      ><span class="box seq${Math.min(i, SEQUENTIAL.length - 1)}"></span>
      ${breaks.length ? text : ''}</span
    >`;
  });
  // With links to each place the map is a group of links, not a single image.
  return html`<svg
      role="${o.href ? 'group' : 'img'}"
      aria-label="${o.label}"
      viewBox="0 0 ${width} ${height}"
      width="${width}"
      height="${height}"
      xmlns="http://www.w3.org/2000/svg"
    >
      ${shapes}
    </svg>
    <div class="legend">
      ${breaks.length ? legend : ''}
      <span><span class="box nodata"></span> ${o.noData}</span>
    </div>`;
}
