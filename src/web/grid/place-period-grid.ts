/**
 * The explorer's table as a place × period grid: one row per place (name first, code second), one
 * column per period, with sticky headers and sorting by any column through plain links (no script).
 * The long form, one row per place and period with population, method and source, stays in the CSV and
 * JSON downloads. A grid too large for a page shows its latest periods and says so.
 * @module
 */
import { textIssue, ValidationError } from '../../error.js';
import { formatMonths, formatNumber, type Locale, type Translate } from '../../i18n/index.js';
import { methodKey as methodKeyOf } from '../../stats/precedence/plan.js';
import type { SeriesPoint, SeriesResult } from '../../stats/series.js';
import { html, type Html } from '../html.js';
import { placeName } from '../places.js';

/** At most this many cells on a page; a larger view keeps its latest periods. */
export const GRID_MAX_CELLS = 40_000;
const SORT = /^(place|\d{4}(-\d{2}|-Q[1-4]|-H[12])?|FY\d{4})$/;

export interface GridSort {
  by: string;
  order: 'asc' | 'desc';
}

/** The sort a URL asks for (`sort`, `order`); a malformed one is refused with the parameter named. */
export function gridSort(url: URL): GridSort {
  const by = url.searchParams.get('sort') ?? 'place';
  const order = url.searchParams.get('order') ?? (by === 'place' ? 'asc' : 'desc');
  const issues = [
    ...(SORT.test(by) ? [] : [textIssue('sort', 'validation.grid.sort', { value: by })]),
    ...(order === 'asc' || order === 'desc'
      ? []
      : [textIssue('order', 'validation.grid.order', { value: order })]),
  ];
  if (issues.length) throw new ValidationError(issues, undefined, 'query');
  return { by, order: order as 'asc' | 'desc' };
}

/** The grid of `result`; `valueOf` picks the value or the rate, `title` is its caption. */
export function placePeriodGrid(
  result: SeriesResult,
  o: {
    t: Translate;
    locale: Locale;
    url: URL;
    title: string;
    sort: GridSort;
    valueOf: (p: SeriesPoint) => number | null;
  },
): Html {
  const { t, locale } = o;
  const allPeriods = [...new Set(result.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const fit = Math.max(1, Math.floor(GRID_MAX_CELLS / Math.max(1, result.series.length)));
  const periods = allPeriods.slice(-fit);
  const rows = result.series.map((s) => ({
    geo: s.geo,
    name: placeName(t, s.geo, s.name ?? ''),
    at: new Map(s.points.map((p) => [p.period, p])),
  }));
  const sortable = o.sort.by === 'place' || periods.includes(o.sort.by);
  const by = sortable ? o.sort.by : 'place';
  const sign = o.sort.order === 'asc' ? 1 : -1;
  const value = (r: (typeof rows)[number]) => {
    const p = r.at.get(by);
    return p ? o.valueOf(p) : null;
  };
  rows.sort((a, b) => {
    if (by === 'place') return sign * a.name.localeCompare(b.name, locale);
    const va = value(a);
    const vb = value(b);
    // Places without a value go last whichever the order.
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    return sign * (va - vb) || a.name.localeCompare(b.name, locale);
  });
  const n = (v: number | null) =>
    v === null ? '—' : formatNumber(locale, v, { maximumFractionDigits: Math.abs(v) < 100 ? 2 : 0 });

  const link = (column: string) => {
    const next = new URLSearchParams(o.url.searchParams);
    const order =
      by === column ? (o.sort.order === 'asc' ? 'desc' : 'asc') : column === 'place' ? 'asc' : 'desc';
    next.set('sort', column);
    next.set('order', order);
    next.delete('lang');
    return `/explore?${next.toString()}#grid`;
  };
  const head = (column: string, label: string, numeric: boolean) => {
    const current = by === column;
    const ariaSort = current ? (o.sort.order === 'asc' ? 'ascending' : 'descending') : undefined;
    return html`<th scope="col" class="${numeric ? 'n' : ''}" ${ariaSort ? html`aria-sort="${ariaSort}"` : ''}>
      <a href="${link(column)}">${label}${current ? (o.sort.order === 'asc' ? ' ▲' : ' ▼') : ''}</a>
    </th>`;
  };
  const cell = (p: SeriesPoint | undefined) => {
    if (!p) return html`<td class="n muted">—</td>`;
    const v = o.valueOf(p);
    const notes = [
      p.covers ? t('web.explore.partial', { months: formatMonths(locale, p.covers.from, p.covers.to) }) : '',
      p.rateGap ? t('web.explore.rateGap', { reason: p.rateGap }) : '',
      p.populationMethod === 'interpolated' ? t('web.explore.interpolated') : '',
    ].filter(Boolean);
    return html`<td class="n${p.partial ? ' partial' : ''}" data-period="${p.period}" ${
      notes.length ? html`title="${notes.join('; ')}"` : ''
    }>
      ${n(v)}${notes.length ? html`<span class="muted">*</span><span class="sr"> (${notes.join('; ')})</span>` : ''}
    </td>`;
  };
  // Each method and source once: a municipal grid holds a quarter of a million points.
  const pairs = new Map<string, { method: string; source: string }>();
  for (const s of result.series)
    for (const p of s.points)
      pairs.set(`${p.method}\u0000${p.source}`, { method: p.method, source: p.source });
  const methods = [...pairs.values()].map(
    (m) => `${t(`stats.method.${methodKeyOf(m.method)}`)}, ${m.source}`,
  );
  return html`<div class="grid-wrap" id="grid" tabindex="0" role="region" aria-label="${o.title}">
      <table class="grid-table">
        <caption>
          ${o.title}
        </caption>
        <thead>
          <tr>
            ${head('place', t('web.explore.place'), false)}${periods.map((p) => head(p, p, true))}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr data-geo="${r.geo}">
                <th scope="row">
                  <a href="/places/${r.geo}">${r.name}</a> <span class="code small muted">${r.geo}</span>
                </th>
                ${periods.map((p) => cell(r.at.get(p)))}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <p class="small muted">
      ${
        periods.length < allPeriods.length
          ? html`${t('web.grid.latestPeriods', { shown: periods.length, total: allPeriods.length })} `
          : ''
      }${t('web.grid.note')} ${t('web.grid.methods', { methods: methods.join('; ') })}
    </p>`;
}
