/**
 * The statistics explorer: a form whose fields are the URL (so a link reproduces the view), and the
 * answer as a line chart, a choropleth map of the latest period, a table, and CSV / JSON downloads of
 * exactly the same query (`/explore.csv`, `/api/v1/series`).
 * @module
 */
import { MarcoError, textIn, ValidationError } from '../error.js';
import { formatNumber, translator, type Locale } from '../i18n/index.js';
import { mapFeatures } from '../stats/boundary-maps.js';
import { statesWithMunicipalBoundaries } from '../stats/boundary-coverage.js';
import { MEASURES, measureById } from '../stats/measures.js';
import { methodKey } from '../stats/precedence/plan.js';
import { querySeries, type SeriesResult } from '../stats/series.js';
import { boundedSeries } from '../stats/series-size.js';

const PAGE_MAX_POINTS = 250_000;
import type { StatsStore } from '../stats/stats-store.js';
import { seriesQueryFromText } from '../stats/series-query.js';
import { groupMissing } from '../stats/discover/missing.js';
import { choropleth, lineChart } from './charts.js';
import { html, type Html } from './html.js';
import type { Reader } from './reader.js';
import { page } from './layout.js';
import { placeName } from './places.js';
import { gridSort, placePeriodGrid, type GridSort } from './grid/place-period-grid.js';
import { explorerTakeaway } from './takeaways/explorer-takeaway.js';

/** The parameters of a view; unset ones take the defaults below. */
export const EXPLORE_PARAMS = [
  'measure',
  'geo',
  'level',
  'within',
  'by',
  'from',
  'to',
  'per',
  'filter',
  'source',
  'population',
] as const;
const DEFAULTS: Record<string, string> = {
  measure: 'homicides',
  level: 'state',
  by: 'year',
  per: '100000',
  from: '2010',
};

/** The view's parameters: the request's, or the defaults when it gives none. */
export function viewParams(url: URL): Record<string, string> {
  const given = Object.fromEntries(
    EXPLORE_PARAMS.map((k) => [k, url.searchParams.get(k) ?? '']).filter(([, v]) => v !== ''),
  );
  return Object.keys(given).length ? given : { ...DEFAULTS };
}

/** The query string of a view, for links and downloads. */
export function viewQuery(params: Record<string, string>): string {
  return new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
}

export async function renderExplorer(
  stats: StatsStore | undefined,
  reader: Reader,
): Promise<{ status: 200 | 400 | 404; body: string }> {
  const { locale, url } = reader;
  const t = translator(locale);
  const params = viewParams(url);
  const option = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}" ${current === value ? html`selected` : ''}>${label}</option>`;
  const form = html`<form class="explore" method="get" action="/explore">
    <label
      >${t('web.explore.measure')}<select name="measure">
        ${MEASURES.map((m) => option(m.id, m.title[locale], params.measure))}
      </select></label
    >
    <label
      >${t('web.explore.geo')}<input name="geo" value="${params.geo ?? ''}" placeholder="MX, 08, 08037"
    /></label>
    <label
      >${t('web.explore.level')}<select name="level">
        ${option('', '—', params.level)}${option('state', t('web.explore.states'), params.level)}${option('municipality', t('web.explore.municipalities'), params.level)}
      </select></label
    >
    <label
      >${t('web.explore.within')}<input name="within" value="${params.within ?? ''}" placeholder="MX, US, 08"
    /></label>
    <label
      >${t('web.explore.by')}<select name="by">
        ${(['year', 'quarter', 'month', 'fiscal_year'] as const).map((b) => option(b, t(`stats.by.${b}`), params.by ?? 'year'))}
      </select></label
    >
    <label
      >${t('web.explore.from')}<input name="from" value="${params.from ?? ''}" placeholder="2015"
    /></label>
    <label>${t('web.explore.to')}<input name="to" value="${params.to ?? ''}" placeholder="2022" /></label>
    <label
      >${t('web.explore.per')}<select name="per">
        ${option('', t('web.explore.counts'), params.per)}${option('100000', t('web.explore.per100k'), params.per)}
      </select></label
    >
    <label
      >${t('web.explore.population')}<select name="population">
        ${option('', t('web.explore.populationPublished'), params.population)}${option('interpolated', t('web.explore.populationInterpolated'), params.population)}
      </select></label
    >
    <label
      >${t('web.explore.filter')}<input
        name="filter"
        value="${params.filter ?? ''}"
        placeholder="crime_subtype:Feminicidio"
    /></label>
    <button type="submit">${t('web.explore.show')}</button>
  </form>`;
  const shell = (status: 200 | 400 | 404, body: Html) => ({
    status,
    body: page({
      reader,
      title: t('web.explore.title'),
      section: 'explore',
      body: html`<h1>${t('web.explore.title')}</h1>
        ${form}${body}`,
    }),
  });
  if (!stats) return shell(200, html`<p>${t('web.noStats')}</p>`);
  const meta = await stats.metadata();
  if (meta.vintages.length === 0) return shell(200, emptyStore(t));

  let result: SeriesResult;
  let sort: GridSort;
  try {
    sort = gridSort(url);
    const input = seriesQueryFromText(params, 'url');
    // The page holds as much as the API answers; larger views are for the CSV download.
    result = await boundedSeries(stats, input, PAGE_MAX_POINTS, () => querySeries(stats, input));
  } catch (error) {
    if (error instanceof MarcoError)
      return shell(error.status === 404 ? 404 : 400, queryRefusal(t, locale, error));
    throw error;
  }
  const measure = measureById(result.measure.id)!;
  const rated = params.per !== undefined && params.per !== '';
  const valueOf = (p: { value: number; rate: number | null }) => (rated ? p.rate : p.value);
  const takeaway = explorerTakeaway(
    locale,
    result.series.map((s) => ({
      name: placeName(t, s.geo, s.name ?? ''),
      points: s.points.map((p) => ({ period: p.period, value: valueOf(p), partial: p.partial })),
    })),
  );
  const points = result.series.reduce((s, x) => s + x.points.length, 0);
  const yLabel = rated
    ? t('web.explore.ratePer', { per: formatNumber(locale, Number(params.per)) })
    : result.measure.unit[locale];
  const title = `${measure.title[locale]} (${yLabel})`;
  if (points === 0)
    return shell(
      200,
      html`<h2>${title}</h2>
        <p class="card">${t('web.explore.nothing')}</p>`,
    );

  const methodText = (m: string) => t(`stats.method.${methodKey(m)}`);
  const partials = result.series.some((s) => s.points.some((p) => p.partial));
  // The series of one level share their breaks; each is listed once.
  const breaks = [
    ...new Map(
      result.series.flatMap((s) =>
        s.breaks.map((b) => [`${b.period}|${b.to.source}|${b.to.method}`, b] as const),
      ),
    ).values(),
  ];
  // Names first; a name two places share (Juárez, Chihuahua and Juárez, Nuevo León) gets its code.
  const named = result.series.map((s) => [s.geo, placeName(t, s.geo, s.name ?? '')] as const);
  const uses = new Map<string, number>();
  for (const [, name] of named) uses.set(name, (uses.get(name) ?? 0) + 1);
  const names = new Map(named.map(([geo, name]) => [geo, uses.get(name)! > 1 ? `${name} (${geo})` : name]));
  const chart =
    result.series.length <= 8
      ? html`<figure>
          ${lineChart(
            result.series.map((s) => ({
              name: names.get(s.geo)!,
              points: s.points.map((p) => ({ start: p.start, value: valueOf(p), partial: p.partial })),
            })),
            {
              label: title,
              yLabel,
              locale,
              by: result.query.by,
              breaks: breaks.map((b) => ({
                start: b.start,
                label: t('web.explore.breakMark', { source: b.to.source }),
              })),
            },
          )}
          <figcaption>
            ${t('web.explore.chartCaption', { count: result.series.length })}
            ${partials ? t('web.explore.partialCaption') : ''}
            ${breaks.map(
              (b) =>
                html` ${t('web.explore.breakCaption', {
                  period: b.period,
                  from: `${b.from.source} (${methodText(b.from.method)})`,
                  to: `${b.to.source} (${methodText(b.to.method)})`,
                })}`,
            )}
          </figcaption>
        </figure>`
      : '';

  // The map shows the latest complete period that has values, for a whole level of places: a partial
  // period (half a year) would read as a fall everywhere.
  let map: Html | string = '';
  if (params.level) {
    const within = params.within ?? (params.level === 'state' ? 'MX' : '');
    const periods = result.series.flatMap((s) => s.points.filter((p) => !p.partial).map((p) => p.period));
    const latest = (periods.length ? periods : result.series.flatMap((s) => s.points.map((p) => p.period)))
      .sort()
      .at(-1)!;
    const features = within
      ? await mapFeatures(stats, params.level as 'state' | 'municipality', within)
      : null;
    if (features) {
      const values = new Map<string, number>();
      for (const s of result.series) {
        const p = s.points.find((x) => x.period === latest);
        const v = p ? valueOf(p) : null;
        if (v !== null && v !== undefined) values.set(s.geo, v);
      }
      map = html`<figure>
        ${choropleth(features.features, values, {
          country: within === 'US' ? 'US' : 'MX',
          label: `${title}, ${latest}`,
          locale,
          noData: t('web.noData'),
          href: (code) => `/places/${code}`,
        })}
        <figcaption>
          ${t('web.explore.mapCaption', { period: latest, source: t(`web.boundaries.${features.source}`) })}
        </figcaption>
      </figure>`;
    } else if (params.level === 'municipality') {
      // Municipal maps are drawn one state at a time: every municipality at once is thousands of shapes.
      const states = await statesWithMunicipalBoundaries(stats);
      const places = (await stats.metadata()).places;
      map =
        states.length && !/^\d{2}$/.test(within)
          ? html`<p class="card">
              ${t('web.explore.pickState')}
              ${states.map(
                (code, i) =>
                  html`${i ? ', ' : ''}<a href="/explore?${viewQuery({ ...params, within: code })}"
                      >${places.get(code)?.name ?? code}</a
                    >`,
              )}
            </p>`
          : html`<p class="card">
              ${t('web.explore.noBoundaries')} <code>npx marco import inegi-boundaries municipios.shp</code>
            </p>`;
    }
  }

  const table = html`${placePeriodGrid(result, { t, locale, url, title, sort, valueOf })}${missingNotes(result, t)}`;
  const q = viewQuery(params);
  const sources = html`<p class="small muted">
    ${t('web.explore.sources')}:
    ${result.vintages.map(
      (v, i) => html`${i ? '; ' : ''}${v.source} (${v.file_name}, sha256 ${v.sha256.slice(0, 12)}…)`,
    )}${result.populationSource ? html`. ${t('stats.populationSource', { source: result.populationSource })}` : ''}
  </p>`;
  const downloads = html`<p>
    <a href="/explore.csv?${q}" download>${t('web.explore.csv')}</a> ·
    <a href="/explore.csv?${q}&amp;excel=true" download>${t('web.explore.csvExcel')}</a> ·
    <a href="/api/v1/series?${q}">${t('web.explore.json')}</a> ·
    <a href="/api/v1/series/datapackage.json?${q}">${t('web.explore.dataPackage')}</a> ·
    <a href="/explore?${q}">${t('web.explore.link')}</a>
  </p>`;
  return shell(
    200,
    html`<h2>${title}</h2>
      ${takeaway ? html`<p class="takeaway">${takeaway}</p>` : ''}${chart}${map}${downloads}${table}${sources}`,
  );
}

/** What a new user sees before importing anything: the commands that load the data. */
/** A refused series query as a page shows it: its count, then each problem once, in the reader's language. */
export function queryRefusal(t: ReturnType<typeof translator>, locale: Locale, error: MarcoError): Html {
  return html`<div class="card" role="alert">
    <strong>${t('web.explore.invalid')}</strong>
    ${
      error instanceof ValidationError
        ? html`${error.messageIn(locale).split('\n')[0]}${error.issues.map(
            (i) => html`<br /><code>${i.path}</code>: ${i.text ? textIn(t, i.text) : i.message}`,
          )}`
        : error.messageIn(locale)
    }
  </div>`;
}

export function emptyStore(t: ReturnType<typeof translator>): Html {
  return html`<div class="card">
    <h2>${t('web.empty.title')}</h2>
    <p>${t('web.empty.text')}</p>
    <pre><code>npx marco fetch --all
npx marco import-dir ../shared/data
npx marco import inegi-homicides-state mexico-state-month-homicide-rates-2000-2022.csv</code></pre>
    <p>
      ${t('web.empty.server')}
      <code>marco import SOURCE FILE --server http://127.0.0.1:8080 --token TOKEN</code>
    </p>
  </div>`;
}

/** Why periods inside a series have no value, one line per place, reason and source (at most 50). */
function missingNotes(result: SeriesResult, t: (key: string, values?: Record<string, unknown>) => string) {
  const lines = result.series.flatMap((s) =>
    groupMissing(s.missing).map((g) =>
      t('web.explore.missing', {
        geo: s.geo,
        periods: g.periods.join(', '),
        reason: g.reason,
        source: g.source,
      }),
    ),
  );
  if (lines.length === 0) return '';
  return html`<ul class="small muted missing">
    ${lines.slice(0, 50).map((line) => html`<li>${line}</li>`)}
  </ul>`;
}
