/**
 * The profile of the United States or one of its states: synthetic opioid overdose deaths (CDC VSRR,
 * 12 months ending each month), by year against the country, and, for the country, CBP drug seizures
 * by fiscal year and its states. CBP publishes seizures by field office and Border Patrol sector, not by
 * state, so a state's profile says so and links to the country's. No U.S. population is imported, so
 * there are counts, not rates.
 * @module
 */
import { formatMonths, formatNumber, formatPercent, translator, type Locale } from '../../i18n/index.js';
import { querySeries, type SeriesResult } from '../../stats/series.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { lineChart } from '../charts.js';
import { emptyStore, viewQuery } from '../explorer.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { placeName, searchBox, type Place } from '../places.js';
import type { Reader } from '../reader.js';
import { unlessRefused } from '../refused.js';
import { deathsTakeaway } from '../takeaways/place-takeaway.js';

const DEATHS = 'synthetic_opioid_deaths_12m';
/** The drugs CBP seizes most by weight, in the order the table shows them. */
const DRUGS = ['Fentanyl', 'Methamphetamine', 'Cocaine', 'Heroin', 'Marijuana'] as const;

/** The profile of `place` (`US` or a state), from a store that knows it. */
export async function unitedStatesProfile(
  stats: StatsStore,
  reader: Reader,
  place: Place,
): Promise<{ status: 200; body: string }> {
  const { locale } = reader;
  const t = translator(locale);
  const meta = await stats.metadata();
  const code = place.code;
  const national = code === 'US';
  const title = placeName(t, code, place.name);
  const shell = (body: Html) => ({
    status: 200 as const,
    body: page({ reader, title, section: 'places', body }),
  });
  const heading = html`${searchBox(t)}
    <h1>${title}</h1>
    <p class="muted">
      ${national ? t('web.profile.usCountry') : t('web.profile.usState', { code })}${
        national ? '' : html` · <a href="/places/US">${placeName(t, 'US')}</a>`
      }
      ·
      <a href="/explore?${viewQuery({ measure: DEATHS, geo: [...new Set([code, 'US'])].join(','), by: 'year' })}"
        >${t('web.profile.openExplorer')}</a
      >
    </p>`;
  if (meta.vintages.length === 0) return shell(html`${heading}${emptyStore(t)}`);

  const has = new Set(meta.coverage.map((c) => c.measure));
  const deaths = has.has(DEATHS) ? await deathsSection(stats, locale, code, title) : undefined;
  const seizures = national
    ? has.has('drug_seizures_lbs')
      ? await seizuresSection(stats, locale)
      : ''
    : html`<h2>${t('web.profile.seizures')}</h2>
        <p>${t('web.profile.seizuresNational')} <a href="/places/US">${placeName(t, 'US')}</a></p>`;
  const states = national && has.has(DEATHS) ? await stateTable(stats, locale) : '';
  const none =
    has.has(DEATHS) || has.has('drug_seizures_lbs') ? '' : html`<p>${t('web.profile.usNoData')}</p>`;
  return shell(html`${heading}${deaths?.takeaway ?? ''}${none}${deaths?.body ?? ''}${seizures}${states}`);
}

/** Deaths in the 12 months ending each month, charted, and by year (December) against the country. */
async function deathsSection(
  stats: StatsStore,
  locale: Locale,
  code: string,
  title: string,
): Promise<{ takeaway: Html | string; body: Html }> {
  const t = translator(locale);
  const n = (v: number | null | undefined, digits = 0) =>
    v === null || v === undefined ? '—' : formatNumber(locale, v, { maximumFractionDigits: digits });
  const monthly = await querySeries(stats, { measure: DEATHS, geo: [code], by: 'month' }).catch(
    unlessRefused,
  );
  const geos = [...new Set([code, 'US'])];
  const yearly = await querySeries(stats, { measure: DEATHS, geo: geos, by: 'year' }).catch(unlessRefused);
  const own = monthly?.series[0];
  if (!own || own.points.length === 0)
    return {
      takeaway: '',
      body: html`<h2>${t('web.profile.deaths')}</h2>
        <p class="muted">${t('web.profile.noDeaths')}</p>`,
    };
  const countryMonthly =
    code === 'US'
      ? undefined
      : (await querySeries(stats, { measure: DEATHS, geo: ['US'], by: 'month' }).catch(unlessRefused))
          ?.series[0]?.points;
  const takeaway = deathsTakeaway(locale, { place: title, points: own.points, national: countryMonthly });
  const mine = yearly?.series.find((s) => s.geo === code);
  const country = yearly?.series.find((s) => s.geo === 'US');
  const latest = own.points.at(-1)!;
  const missing = own.missing?.length ?? 0;
  const chart = lineChart(
    [{ name: title, points: own.points.map((p) => ({ start: p.start, value: p.value })) }],
    {
      label: t('web.profile.deathsChart', { place: title }),
      yLabel: t('web.profile.deathsAxis'),
      locale,
    },
  );
  const body = html`<h2>${t('web.profile.deaths')}</h2>
    <p>
      ${t('web.profile.deathsLatest', {
        count: latest.value,
        month: formatMonths(locale, latest.period, latest.period),
      })}
    </p>
    <figure>
      ${chart}
      <figcaption>${t('web.profile.deathsCaption')}</figcaption>
    </figure>
    ${missing ? html`<p class="small muted">${t('web.profile.deathsMissing', { count: missing })}</p>` : ''}
    <table>
      <caption>
        ${t('web.profile.deathsTable')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('web.profile.year')}</th>
          <th scope="col" class="n">${title}</th>
          ${
            code === 'US'
              ? ''
              : html`<th scope="col" class="n">${placeName(t, 'US')}</th>
              <th scope="col" class="n">${t('web.profile.share')}</th>`
          }
        </tr>
      </thead>
      <tbody>
        ${(mine?.points ?? []).map((p) => {
          const us = country?.points.find((x) => x.period === p.period);
          return html`<tr>
            <th scope="row">
              ${p.period}${
                p.partial && p.covers
                  ? html` <span class="small muted"
                      >${t('web.profile.endingIn', { month: formatMonths(locale, p.covers.to, p.covers.to) })}</span
                    >`
                  : ''
              }
            </th>
            <td class="n">${n(p.value)}</td>
            ${
              code === 'US'
                ? ''
                : html`<td class="n">${n(us?.value)}</td>
                  <td class="n">${us && us.value > 0 ? formatPercent(locale, p.value / us.value) : '—'}</td>`
            }
          </tr>`;
        })}
      </tbody>
    </table>`;
  return { takeaway: takeaway ? html`<p class="takeaway">${takeaway}</p>` : '', body };
}

/** CBP seizures by weight and fiscal year, for the drugs seized most, the fiscal year in progress flagged. */
async function seizuresSection(stats: StatsStore, locale: Locale): Promise<Html> {
  const t = translator(locale);
  const n = (v: number | undefined) =>
    v === undefined ? '—' : formatNumber(locale, v, { maximumFractionDigits: 0 });
  const byDrug = new Map<string, SeriesResult | null>();
  for (const drug of DRUGS)
    byDrug.set(
      drug,
      await querySeries(stats, {
        measure: 'drug_seizures_lbs',
        geo: ['US'],
        by: 'fiscal_year',
        filters: { drug },
      }).catch(unlessRefused),
    );
  const points = [...byDrug.values()].flatMap((r) => r?.series[0]?.points ?? []);
  const years = [...new Map(points.map((p) => [p.period, p])).values()].sort((a, b) =>
    a.start.localeCompare(b.start),
  );
  return html`<h2>${t('web.profile.seizures')}</h2>
    <table>
      <caption>
        ${t('web.profile.seizuresTable')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('web.profile.fiscalYear')}</th>
          ${DRUGS.map((d) => html`<th scope="col" class="n">${t(`web.drug.${d}`)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${years.map(
          (y) =>
            html`<tr>
              <th scope="row">
                ${y.period}${
                  y.partial && y.covers
                    ? html` <span class="small muted"
                        >${t('web.explore.partial', { months: formatMonths(locale, y.covers.from, y.covers.to) })}</span
                      >`
                    : ''
                }
              </th>
              ${DRUGS.map(
                (d) =>
                  html`<td class="n">${n(byDrug.get(d)?.series[0]?.points.find((p) => p.period === y.period)?.value)}</td>`,
              )}
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="small muted">${t('web.profile.seizuresNote')}</p>`;
}

/** Every state (with DC and Puerto Rico) and its latest 12-month count, linked to its profile. */
async function stateTable(stats: StatsStore, locale: Locale): Promise<Html> {
  const t = translator(locale);
  const meta = await stats.metadata();
  const states = [...meta.places.values()]
    .filter((p) => p.level === 'state' && p.parent === 'US')
    .sort((a, b) => a.name.localeCompare(b.name, locale));
  const result = await querySeries(stats, {
    measure: DEATHS,
    geo: states.map((s) => s.code),
    by: 'month',
  }).catch(unlessRefused);
  const latest = new Map((result?.series ?? []).map((s) => [s.geo, s.points.at(-1)]));
  return html`<h2>${t('web.profile.usStates')}</h2>
    <table>
      <caption>
        ${t('web.profile.usStatesCaption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('web.explore.place')}</th>
          <th scope="col" class="n">${t('web.profile.deathsShort')}</th>
          <th scope="col">${t('web.profile.monthEnding')}</th>
        </tr>
      </thead>
      <tbody>
        ${states.map((s) => {
          const p = latest.get(s.code);
          return html`<tr>
            <th scope="row"><a href="/places/${s.code}">${s.name}</a></th>
            <td class="n">${p ? formatNumber(locale, p.value) : '—'}</td>
            <td>${p ? formatMonths(locale, p.period, p.period) : '—'}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}
