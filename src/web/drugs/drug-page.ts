/**
 * `/drug-supply`: CBP's fentanyl and methamphetamine seizures by month, and fentanyl seized over twelve
 * months beside the CDC's 12-month-ending synthetic-opioid deaths, with the correlation at each lag and
 * the caveat that it shows association, not cause (`src/drugs/drug-supply.ts`).
 * @module
 */
import { byState, DRUGS, drugSupply, type MonthValue } from '../../drugs/drug-supply.js';
import { formatNumber, translator } from '../../i18n/index.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { lineChart } from '../charts.js';
import { emptyStore } from '../explorer.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { stateTileMap } from './state-tiles.js';

const points = (values: readonly MonthValue[]) =>
  values.map((p) => ({ start: `${p.period}-01`, value: p.value }));

export async function renderDrugSupply(stats: StatsStore | undefined, reader: Reader): Promise<string> {
  const { locale } = reader;
  const t = translator(locale);
  const title = t('web.drugs.title');
  if (!stats)
    return page({ reader, title, section: 'networks', body: html`<h1>${title}</h1>${emptyStore(t)}` });
  const supply = await drugSupply(stats);
  const n = (v: number, digits = 0) => formatNumber(locale, v, { maximumFractionDigits: digits });
  const seized = DRUGS.some((d) => supply.seizures[d].length > 0);
  const trend = seized
    ? html`<figure>
        ${lineChart(
          DRUGS.map((drug) => ({ name: t(`web.drugs.drug.${drug}`), points: points(supply.seizures[drug]) })),
          { label: t('web.drugs.trendLabel'), yLabel: t('web.drugs.pounds'), locale, by: 'month' },
        )}
        <figcaption>${t('web.drugs.trendCaption')}</figcaption>
      </figure>`
    : html`<p class="card">${t('web.drugs.noSeizures')}</p>`;
  const compared =
    supply.fentanyl12m.length && supply.deaths12m.length
      ? html`<figure>
            ${lineChart(
              [
                { name: t('web.drugs.fentanyl12m'), points: points(supply.fentanyl12m) },
                { name: t('web.drugs.deaths12m'), points: points(supply.deaths12m) },
              ],
              {
                label: t('web.drugs.compareLabel'),
                yLabel: t('web.drugs.twelveMonths'),
                locale,
                by: 'month',
              },
            )}
            <figcaption>${t('web.drugs.compareCaption')}</figcaption>
          </figure>
          <table>
            <caption>
              ${t('web.drugs.lagCaption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('web.drugs.col.lag')}</th>
                <th scope="col" class="n">${t('web.drugs.col.r')}</th>
                <th scope="col" class="n">${t('web.drugs.col.months')}</th>
                <th scope="col">${t('web.drugs.col.window')}</th>
              </tr>
            </thead>
            <tbody>
              ${supply.lags.map(
                (l) => html`<tr>
                  <th scope="row">${t('web.drugs.lag', { months: l.lag })}</th>
                  <td class="n">${l.r === null ? '—' : n(l.r, 2)}</td>
                  <td class="n">${n(l.months)}</td>
                  <td>${l.from && l.to ? `${l.from} – ${l.to}` : '—'}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
      : html`<p class="card">${t('web.drugs.noComparison')}</p>`;
  const states = supply.areas ? byState(supply.areas.rows) : [];
  const map = supply.areas
    ? html`<figure>
        ${stateTileMap(new Map(states.map((s) => [s.state, s.pounds.Fentanyl])), {
          label: t('web.drugs.mapLabel', { year: supply.areas.fiscalYear }),
          locale,
          noData: t('web.drugs.mapNone'),
          describe: (state, value) =>
            value === null
              ? t('web.drugs.tileNone', { state })
              : t('web.drugs.tile', {
                  state,
                  pounds: n(value),
                  areas: states.find((s) => s.state === state)!.areas.join(', '),
                }),
        })}
        <figcaption>${t('web.drugs.mapCaption', { year: supply.areas.fiscalYear })}</figcaption>
      </figure>`
    : '';
  const areas = supply.areas
    ? html`<h2>${t('web.drugs.areasTitle', { year: supply.areas.fiscalYear })}</h2>
        ${map}
        <table>
          <caption>
            ${t('web.drugs.areasCaption', { year: supply.areas.fiscalYear })}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('web.drugs.col.area')}</th>
              <th scope="col">${t('web.drugs.col.state')}</th>
              ${DRUGS.map((d) => html`<th scope="col" class="n">${t(`web.drugs.drug.${d}`)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${supply.areas.rows.map(
              (r) => html`<tr>
                <th scope="row">${r.area}</th>
                <td>${r.state ? html`<a href="/places/${r.state}?lang=${locale}">${r.state}</a>` : '—'}</td>
                ${DRUGS.map((d) => html`<td class="n">${n(r.pounds[d])}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>`
    : '';
  return page({
    reader,
    title,
    section: 'networks',
    body: html`<h1>${title}</h1>
      <p class="lead">${t('web.drugs.lead')}</p>
      <p class="card warn" role="note">${t('web.drugs.caveat')}</p>
      <h2>${t('web.drugs.trendTitle')}</h2>
      ${trend}
      ${areas}
      <h2>${t('web.drugs.compareTitle')}</h2>
      ${compared}`,
  });
}
