/**
 * Place pages: a search that finds any state or municipality by name, with or without accents, and a
 * profile of each place: homicides against its state and the country, SESNSP victims, a traffic light
 * per crime against the place's own three-year average, anomaly flags and the INEGI–SESNSP
 * reconciliation.
 * @module
 */
import { unlessRefused } from './refused.js';
import { formatNumber, formatPercent, translator, type Translate } from '../i18n/index.js';
import { findAnomalies } from '../stats/anomalies.js';
import { reconcile } from '../stats/reconcile.js';
import { querySeries, type SeriesResult } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';
import { emptyStore, viewQuery } from './explorer.js';
import { lineChart } from './charts.js';
import { html, type Html } from './html.js';
import type { Reader } from './reader.js';
import { page } from './layout.js';

/** Lower case without accents: `Juárez` and `juarez` match. */
export const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();

type Place = { code: string; level: string; name: string; parent: string | null };

export async function renderSearch(stats: StatsStore | undefined, reader: Reader): Promise<string> {
  const { locale, url } = reader;
  const t = translator(locale);
  const q = (url.searchParams.get('q') ?? '').slice(0, 100);
  const places = stats ? [...(await stats.metadata()).places.values()] : [];
  const mx = places.filter((p) => /^\d+$/.test(p.code));
  const wanted = fold(q);
  const found = wanted
    ? mx
        .filter((p) => fold(p.name).includes(wanted) || p.code === q.trim())
        .sort(
          (a, b) =>
            Number(!fold(a.name).startsWith(wanted)) - Number(!fold(b.name).startsWith(wanted)) ||
            a.code.localeCompare(b.code),
        )
        .slice(0, 200)
    : mx.filter((p) => p.level === 'state');
  const byCode = new Map(places.map((p) => [p.code, p]));
  const list = found.length
    ? html`<ul>
        ${found.map(
          (p) =>
            html`<li>
              <a href="/places/${p.code}">${p.name}</a>
              <span class="muted small"
                >${p.code}${
                  p.level === 'municipality' && p.parent ? `, ${byCode.get(p.parent)?.name ?? p.parent}` : ''
                }</span
              >
            </li>`,
        )}
      </ul>`
    : html`<p>${t('web.places.none', { query: q })}</p>`;
  const body = html`<h1>${t('web.places.title')}</h1>
    ${searchBox(t, q)}
    <h2>${wanted ? t('web.places.results', { count: found.length, query: q }) : t('web.places.states')}</h2>
    ${list}`;
  return page({ reader, title: t('web.places.title'), section: 'places', body });
}

function searchBox(t: Translate, q = ''): Html {
  return html`<form method="get" action="/places" role="search">
    <label
      >${t('web.places.search')}
      <input name="q" type="search" value="${q}" placeholder="Juárez, Culiacán, Oaxaca…"
    /></label>
    <button type="submit">${t('web.places.find')}</button>
  </form>`;
}

/** Status of a crime against its own three-year average; see docs/web.md. */
export function trafficLight(latest: number, previous: number[]): 'green' | 'amber' | 'red' | 'no_data' {
  if (previous.length < 3) return 'no_data';
  const average = previous.reduce((s, v) => s + v, 0) / previous.length;
  if (latest <= 0.75 * average) return 'green';
  return latest > average ? 'red' : 'amber';
}

/** Complete calendar years of a monthly series (all twelve months present), summed. */
function fullYears(result: SeriesResult): Map<number, number> {
  const byYear = new Map<number, { sum: number; months: number }>();
  for (const p of result.series[0]?.points ?? []) {
    const y = Number(p.period.slice(0, 4));
    const e = byYear.get(y) ?? { sum: 0, months: 0 };
    e.sum += p.value;
    e.months++;
    byYear.set(y, e);
  }
  return new Map([...byYear].filter(([, e]) => e.months === 12).map(([y, e]) => [y, e.sum]));
}

const CRIMES = [
  { measure: 'homicides', source: 'INEGI' },
  { measure: 'homicide_victims', source: 'SESNSP' },
  { measure: 'femicide_victims', source: 'SESNSP' },
  { measure: 'kidnapping_victims', source: 'SESNSP' },
  { measure: 'extortion_victims', source: 'SESNSP' },
] as const;

export async function renderProfile(
  stats: StatsStore | undefined,
  reader: Reader,
  code: string,
): Promise<{ status: 200 | 404; body: string }> {
  const { locale } = reader;
  const t = translator(locale);
  const n = (v: number | null, digits = 1) =>
    v === null ? '—' : formatNumber(locale, v, { maximumFractionDigits: digits });
  const meta = stats ? await stats.metadata() : undefined;
  const place = meta?.places.get(code) as Place | undefined;
  if (!stats || !meta || !place || !/^\d{2}(\d{3})?$/.test(code))
    return notFoundPage(reader, t('web.places.unknown', { code }));
  if (meta.vintages.length === 0)
    return {
      status: 200,
      body: page({
        reader,
        title: place.name,
        section: 'places',
        body: html`<h1>${place.name}</h1>
          ${emptyStore(t)}`,
      }),
    };
  const state = place.level === 'municipality' ? place.parent! : code;
  const stateName = meta.places.get(state)?.name ?? state;
  const measures = new Set(meta.coverage.map((c) => c.measure));

  // Homicide rates: the place, its state and the country.
  const compare = [...new Set([code, state, 'MX'])];
  const rates = await querySeries(stats, {
    measure: 'homicides',
    geo: compare,
    by: 'year',
    from: '2000',
    per: 100_000,
  }).catch(unlessRefused);
  const rateChart = rates?.series.some((s) => s.points.length)
    ? html`<figure>
        ${lineChart(
          rates.series.map((s) => ({
            name: s.name ?? s.geo,
            points: s.points.map((p) => ({ start: p.start, value: p.rate })),
          })),
          {
            label: t('web.profile.rateChart', { place: place.name }),
            yLabel: t('web.explore.ratePer', { per: formatNumber(locale, 100_000) }),
            locale,
          },
        )}
        <figcaption>${t('web.profile.rateCaption')}</figcaption>
      </figure>`
    : html`<p class="muted">${t('web.profile.noRates')}</p>`;
  const years = [...new Set(rates?.series.flatMap((s) => s.points.map((p) => p.period)) ?? [])]
    .sort()
    .slice(-6);
  const rateTable = rates
    ? html`<table>
        <caption>
          ${t('web.profile.rateTable')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('web.explore.place')}</th>
            ${years.map((y) => html`<th scope="col" class="n">${y}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rates.series.map(
            (s) =>
              html`<tr>
                <th scope="row">${s.name ?? s.geo}</th>
                ${years.map((y) => {
                  const p = s.points.find((x) => x.period === y);
                  return html`<td class="n">
                    ${p ? html`${n(p.rate)} <span class="muted small">(${n(p.value, 0)})</span>` : '—'}
                  </td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>`
    : '';

  // A traffic light per crime: its latest complete year against the average of the three before.
  const lights: Html[] = [];
  for (const crime of CRIMES) {
    if (!measures.has(crime.measure)) continue;
    const where = crime.source === 'SESNSP' ? state : code;
    const monthly = await querySeries(stats, { measure: crime.measure, geo: [where], by: 'month' }).catch(
      () => null,
    );
    const years = monthly ? fullYears(monthly) : new Map<number, number>();
    const last = [...years.keys()].sort().at(-1);
    const previous =
      last === undefined
        ? []
        : [last - 3, last - 2, last - 1].filter((y) => years.has(y)).map((y) => years.get(y)!);
    const status = last === undefined ? 'no_data' : trafficLight(years.get(last)!, previous);
    const average = previous.length === 3 ? previous.reduce((s, v) => s + v, 0) / 3 : null;
    const title = t(`web.crime.${crime.measure}`);
    lights.push(
      html`<tr>
        <th scope="row">
          ${title}${where !== code ? html` <span class="muted small">(${stateName})</span>` : ''}
        </th>
        <td class="n">${last ?? '—'}</td>
        <td class="n">${last === undefined ? '—' : n(years.get(last)!, 0)}</td>
        <td class="n">${n(average, 1)}</td>
        <td><span class="s ${status}">${t(`web.light.${status}`)}</span></td>
        <td class="small muted">${crime.source}</td>
      </tr>`,
    );
  }
  const lightTable = lights.length
    ? html`<table>
          <caption>
            ${t('web.profile.lights')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('web.profile.crime')}</th>
              <th scope="col" class="n">${t('web.profile.year')}</th>
              <th scope="col" class="n">${t('web.profile.count')}</th>
              <th scope="col" class="n">${t('web.profile.average')}</th>
              <th scope="col">${t('web.profile.status')}</th>
              <th scope="col">${t('web.profile.source')}</th>
            </tr>
          </thead>
          <tbody>
            ${lights}
          </tbody>
        </table>
        <p class="small muted">${t('web.profile.lightRule')}</p>`
    : '';

  // Anomalous months of homicides over the last three years of data.
  let anomalies: Html | string = '';
  const lastYear = rates?.series[0]?.points.at(-1)?.period;
  if (lastYear) {
    const found = await findAnomalies(stats, {
      measure: 'homicides',
      geo: [code],
      from: String(Number(lastYear) - 2),
      to: lastYear,
    }).catch(unlessRefused);
    anomalies = found
      ? html`<h2>${t('web.profile.anomalies')}</h2>
          ${
            found.anomalies.length
              ? html`<ul>
                  ${found.anomalies.map(
                    (a) =>
                      html`<li>
                        ${a.period}: ${n(a.value, 0)}
                        (${t('web.profile.expected', { expected: n(a.expected, 1) })}, z = ${n(a.z, 1)},
                        ${t(`web.profile.${a.direction}`)})
                      </li>`,
                  )}
                </ul>`
              : html`<p>${t('web.profile.noAnomalies', { months: found.examined.months })}</p>`
          }`
      : '';
  }

  // INEGI homicides against SESNSP homicide and femicide victims, for the state.
  let reconciliation: Html | string = '';
  if (measures.has('homicide_victims') && measures.has('homicides')) {
    const rec = await reconcile(stats, { geo: [state] }).catch(unlessRefused);
    const rows = (rec ?? []).filter((r) => r.geo === state).slice(-6);
    if (rows.length)
      reconciliation = html`<h2>${t('web.profile.reconciliation', { state: stateName })}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">${t('web.profile.year')}</th>
              <th scope="col" class="n">INEGI</th>
              <th scope="col" class="n">SESNSP</th>
              <th scope="col" class="n">${t('web.profile.gap')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td>${r.year}</td>
                  <td class="n">${n(r.inegiHomicides, 0)}</td>
                  <td class="n">${n(r.sesnspTotal, 0)}</td>
                  <td class="n">${r.gap === null ? '—' : formatPercent(locale, r.gap, { signed: true })}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  }

  const explore = viewQuery({
    measure: 'homicides',
    geo: compare.join(','),
    by: 'year',
    from: '2000',
    per: '100000',
  });
  const body = html`${searchBox(t)}
    <h1>${place.name}</h1>
    <p class="muted">
      ${t(`web.profile.${place.level}`, { code, state: stateName })}${
        place.level === 'municipality' ? html` · <a href="/places/${state}">${stateName}</a>` : ''
      }
      · <a href="/explore?${explore}">${t('web.profile.openExplorer')}</a>
    </p>
    <h2>${t('web.profile.homicides')}</h2>
    ${rateChart}${rateTable}
    <h2>${t('web.profile.crimes')}</h2>
    ${lightTable}${anomalies}${reconciliation}`;
  return { status: 200, body: page({ reader, title: place.name, section: 'places', body }) };
}

/** The 404 page, in the reader's language. */
export function notFoundPage(reader: Reader, message?: string): { status: 404; body: string } {
  const { locale, url } = reader;
  const t = translator(locale);
  return {
    status: 404,
    body: page({
      reader,
      title: t('web.notFound.title'),
      body: html`<h1>${t('web.notFound.title')}</h1>
        <p>${message ?? t('web.notFound.text', { path: url.pathname })}</p>
        ${searchBox(t)}
        <p><a href="/">${t('web.notFound.home')}</a></p>`,
    }),
  };
}
