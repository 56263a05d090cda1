/**
 * The profile of a Mexican place: the country, a state or a municipality. Homicide rates against its
 * state and the country, SESNSP victims with a traffic light per crime against the place's own
 * three-year average, anomalous months, the INEGI–SESNSP reconciliation, and the criminal groups the
 * network places in its state (named for readers the network's classification admits); the country's
 * profile lists its states.
 * @module
 */
import type { NetworkAccess } from '../../config.js';
import { formatNumber, formatPercent, translator } from '../../i18n/index.js';
import { placeStatistics } from '../../places/place-statistics.js';
import { memoInGeneration } from '../../stats/generation-memo.js';
import { querySeries, type SeriesQuery, type SeriesResult } from '../../stats/series.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { lineChart } from '../charts.js';
import { emptyStore, viewQuery } from '../explorer.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { placeName, searchBox, type Place } from '../places.js';
import type { Reader } from '../reader.js';
import { unlessRefused } from '../refused.js';
import { anomalyList } from './anomaly-list.js';
import { placeGroups } from '../networks/place-groups.js';
import { rateTakeaway } from '../takeaways/place-takeaway.js';

export { trafficLight } from '../../places/place-statistics.js';

/** A series, computed once per state of the store (the country's states' table). */
const series = (stats: StatsStore, query: SeriesQuery) =>
  memoInGeneration(stats, `series:${JSON.stringify(query)}`, () => querySeries(stats, query));

/** The profile of `place` (`MX`, a state or a municipality), from a store that knows it. */
export async function mexicoProfile(
  stats: StatsStore,
  reader: Reader,
  place: Place,
  networks: NetworkAccess,
): Promise<{ status: 200; body: string }> {
  const { locale } = reader;
  const t = translator(locale);
  const n = (v: number | null, digits = 1) =>
    v === null ? '—' : formatNumber(locale, v, { maximumFractionDigits: digits });
  const meta = await stats.metadata();
  const code = place.code;
  const title = placeName(t, code, place.name);
  if (meta.vintages.length === 0)
    return {
      status: 200,
      body: page({
        reader,
        title,
        section: 'places',
        body: html`<h1>${title}</h1>
          ${emptyStore(t)}`,
      }),
    };
  // The country's own figures stand where a state's would: SESNSP's national victims are the states'.
  const national = place.level === 'country';
  const facts = await placeStatistics(stats, place);
  const state = facts.state;
  const stateName = placeName(t, state, facts.stateName);
  const compare = [...new Set([code, state, 'MX'])];
  const rates = facts.rates;
  const rateChart = rates?.series.some((s) => s.points.length)
    ? html`<figure>
        ${lineChart(
          rates.series.map((s) => ({
            name: placeName(t, s.geo, s.name),
            points: s.points.map((p) => ({ start: p.start, value: p.rate })),
          })),
          {
            label: national
              ? t('web.profile.rateChartCountry', { place: title })
              : t('web.profile.rateChart', { place: title }),
            yLabel: t('web.explore.ratePer', { per: formatNumber(locale, 100_000) }),
            locale,
            by: 'year',
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
                <th scope="row">${placeName(t, s.geo, s.name)}</th>
                ${years.map((y) => {
                  const p = s.points.find((x) => x.period === y);
                  return html`<td class="n">
                    ${p ? html`${n(p.rate, 2)} <span class="muted small">(${n(p.value, 0)})</span>` : '—'}
                  </td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>`
    : '';

  // A traffic light per crime: its latest complete year against the average of the three before.
  const lights: Html[] = facts.lights.map(
    (light) =>
      html`<tr>
        <th scope="row">
          ${t(`web.crime.${light.measure}`)}${
            light.where !== code ? html` <span class="muted small">(${stateName})</span>` : ''
          }
        </th>
        <td class="n">${light.year ?? '—'}</td>
        <td class="n">${n(light.count, 0)}</td>
        <td class="n">${n(light.average, 1)}</td>
        <td><span class="s ${light.status}">${t(`web.light.${light.status}`)}</span></td>
        <td class="small muted">${light.source}</td>
      </tr>`,
  );
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

  const anomalies = facts.anomalies
    ? html`<h2>${t('web.profile.anomalies')}</h2>
        ${anomalyList(facts.anomalies, locale)}`
    : '';

  // INEGI homicides against SESNSP homicide and femicide victims, for the state.
  const rows = facts.reconciliation;
  const reconciliation = rows.length
    ? html`<h2>${t('web.profile.reconciliation', { state: stateName })}</h2>
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
        </table>`
    : '';

  const explore = viewQuery({
    measure: 'homicides',
    geo: compare.join(','),
    by: 'year',
    from: '2000',
    per: '100000',
  });
  const states = national ? await stateTable(stats, reader, rates) : '';
  // The criminal groups the network places in the state (a state's or a municipality's profile).
  const groups = national ? '' : await placeGroups(stats, reader, networks, state, stateName);
  const ratePoints = (geo: string) =>
    rates?.series.find((s) => s.geo === geo)?.points.map((p) => ({ ...p, value: p.rate })) ?? [];
  const takeaway = rateTakeaway(locale, {
    place: title,
    points: ratePoints(code),
    national: national ? undefined : ratePoints('MX'),
  });
  const body = html`${searchBox(t)}
    <h1>${title}</h1>
    <p class="muted">
      ${t(`web.profile.${place.level}`, { code, state: stateName })}${
        place.level === 'municipality' ? html` · <a href="/places/${state}">${stateName}</a>` : ''
      }
      · <a href="/explore?${explore}">${t('web.profile.openExplorer')}</a>
    </p>
    ${takeaway ? html`<p class="takeaway">${takeaway}</p>` : ''}
    <h2>${t('web.profile.homicides')}</h2>
    ${rateChart}${rateTable}
    <h2>${t('web.profile.crimes')}</h2>
    ${lightTable}${anomalies}${reconciliation}${groups}${states}`;
  return { status: 200, body: page({ reader, title, section: 'places', body }) };
}

/** The country's states, each with its homicide rate in the country's latest year, linked to its profile. */
async function stateTable(
  stats: StatsStore,
  reader: Reader,
  rates: SeriesResult | null,
): Promise<Html | string> {
  const { locale } = reader;
  const t = translator(locale);
  const meta = await stats.metadata();
  const year = rates?.series[0]?.points.filter((p) => !p.partial).at(-1)?.period;
  const codes = [...meta.places.values()]
    .filter((p) => p.level === 'state' && p.parent === 'MX')
    .map((p) => p.code)
    .sort();
  const result = year
    ? await series(stats, {
        measure: 'homicides',
        geo: codes,
        by: 'year',
        from: year,
        to: year,
        per: 100_000,
      }).catch(unlessRefused)
    : null;
  const byGeo = new Map((result?.series ?? []).map((s) => [s.geo, s.points[0]]));
  const n = (v: number | null | undefined, digits: number) =>
    v === null || v === undefined ? '—' : formatNumber(locale, v, { maximumFractionDigits: digits });
  return html`<h2>${t('web.profile.states')}</h2>
    <table>
      <caption>
        ${year ? t('web.profile.statesCaption', { year }) : t('web.profile.states')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('web.explore.place')}</th>
          <th scope="col" class="n">${t('web.explore.rate')}</th>
          <th scope="col" class="n">${t('web.profile.count')}</th>
        </tr>
      </thead>
      <tbody>
        ${codes.map((code) => {
          const p = byGeo.get(code);
          return html`<tr>
            <th scope="row"><a href="/places/${code}">${meta.places.get(code)?.name ?? code}</a></th>
            <td class="n">${n(p?.rate, 1)}</td>
            <td class="n">${n(p?.value, 0)}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}
