/**
 * The sections of a place brief: the takeaway sentence and headline figures; the homicide-rate trend
 * against the place's own past, its state and the country (a vector chart and a table); the traffic
 * light of each crime against its own three-year average; the anomalous months; the INEGI–SESNSP
 * reconciliation of the state; and the programs active there that the reader may see. The figures are
 * those of the place's profile page (`places/place-statistics.ts`). A section without data says so.
 * @module
 */
import { formatNumber, formatPercent } from '../../i18n/index.js';
import type { PlaceBrief } from '../../reports/place-brief.js';
import { lineChart } from '../charts.js';
import { html, type Html } from '../html.js';
import { placeName } from '../places.js';
import { anomalyList } from '../profiles/anomaly-list.js';
import { rateTakeaway } from '../takeaways/place-takeaway.js';
import { inLang, none, num, section, th, type SectionContext } from './report-context.js';

type Ctx = SectionContext<PlaceBrief>;

/** The place's name in the reader's language (the country's is the catalog's). */
export const briefPlace = (ctx: Pick<Ctx, 't' | 'report'>) =>
  placeName(ctx.t, ctx.report.statistics.code, ctx.report.statistics.name);

/** "No data up to 2005" or "No data" for a section with nothing to show. */
const noData = ({ t, report }: Ctx, what: string) =>
  none(
    report.until
      ? t('web.report.place.noDataUntil', { what, year: report.until })
      : t('web.report.place.noData', { what }),
  );

const ratePoints = (r: PlaceBrief, geo: string) =>
  r.statistics.rates?.series.find((s) => s.geo === geo)?.points.map((p) => ({ ...p, value: p.rate })) ?? [];

/** The sentence the profile opens with, and the place's latest rate against its state's and the country's. */
export function takeawaySection(ctx: Ctx): Html {
  const { t, locale, report, heading, id } = ctx;
  const s = report.statistics;
  const place = briefPlace(ctx);
  const sentence = rateTakeaway(locale, {
    place,
    points: ratePoints(report, s.code),
    national: s.code === 'MX' ? undefined : ratePoints(report, 'MX'),
  });
  const where = t(`web.profile.${s.level}`, { code: s.code, state: placeName(t, s.state, s.stateName) });
  if (!sentence) return section(id, heading, html`<p>${where}</p>${noData(ctx, t('web.profile.homicides'))}`);
  return section(id, heading, html`<p>${where}</p><p class="takeaway">${sentence}</p>`);
}

/** The homicide rate by year: the place, its state and the country, as a chart and a table. */
export function trendsSection(ctx: Ctx): Html {
  const { t, locale, report, heading, id } = ctx;
  const rates = report.statistics.rates;
  if (!rates?.series.some((s) => s.points.length))
    return section(id, heading, noData(ctx, t('web.profile.homicides')));
  const place = briefPlace(ctx);
  const chart = lineChart(
    rates.series.map((s) => ({
      name: placeName(t, s.geo, s.name),
      points: s.points.map((p) => ({ start: p.start, value: p.rate, partial: p.partial })),
    })),
    {
      label:
        report.statistics.code === 'MX'
          ? t('web.profile.rateChartCountry', { place })
          : t('web.profile.rateChart', { place }),
      yLabel: t('web.explore.ratePer', { per: formatNumber(locale, 100_000) }),
      locale,
      by: 'year',
      width: 640,
      height: 300,
    },
  );
  const years = [...new Set(rates.series.flatMap((s) => s.points.map((p) => p.period)))].sort().slice(-8);
  // The place against its own past: its latest rate against the average of the three years before.
  const own = rates.series.find((s) => s.geo === report.statistics.code)?.points ?? [];
  const last = own.filter((p) => !p.partial).at(-1);
  const before = last ? own.filter((p) => !p.partial && p.period < last.period).slice(-3) : [];
  const average = before.length === 3 ? before.reduce((sum, p) => sum + (p.rate ?? 0), 0) / 3 : null;
  const change =
    last && average !== null && average > 0 && last.rate !== null
      ? t('web.report.place.ownPast', {
          year: last.period,
          rate: num(locale, last.rate, 1),
          average: num(locale, average, 1),
          from: before[0]!.period,
          to: before.at(-1)!.period,
          change: formatPercent(locale, last.rate / average - 1, { signed: true }),
        })
      : null;
  return section(
    id,
    heading,
    html`<figure>${chart}<figcaption class="small">${t('web.profile.rateCaption')}</figcaption></figure>
      ${change ? html`<p>${change}</p>` : ''}
      <table>
        <caption>${t('web.profile.rateTable')}</caption>
        <thead><tr>${th(t('web.explore.place'))}${years.map((y) => th(y, true))}</tr></thead>
        <tbody>
          ${rates.series.map(
            (s) => html`<tr>
              <th scope="row">${placeName(t, s.geo, s.name)}</th>
              ${years.map((y) => {
                const p = s.points.find((x) => x.period === y);
                return html`<td class="n">${p ? html`${num(locale, p.rate, 2)} <span class="small">(${num(locale, p.value, 0)})</span>` : '—'}</td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

/** A traffic light per crime: its latest complete year against the average of the three before. */
export function crimesSection(ctx: Ctx): Html {
  const { t, locale, report, heading, id } = ctx;
  const s = report.statistics;
  if (s.lights.every((l) => l.year === null))
    return section(id, heading, noData(ctx, t('web.profile.crimes')));
  return section(
    id,
    heading,
    html`<table>
        <thead><tr>${th(t('web.profile.crime'))}${th(t('web.profile.year'), true)}${th(t('web.profile.count'), true)}${th(t('web.profile.average'), true)}${th(t('web.profile.status'))}${th(t('web.profile.source'))}</tr></thead>
        <tbody>
          ${s.lights.map(
            (l) => html`<tr>
              <td>${t(`web.crime.${l.measure}`)}${l.where !== s.code ? html` <span class="small">(${placeName(t, s.state, s.stateName)})</span>` : ''}</td>
              <td class="n">${l.year ?? '—'}</td>
              <td class="n">${num(locale, l.count, 0)}</td>
              <td class="n">${num(locale, l.average, 1)}</td>
              <td><span class="status ${l.status}">${t(`web.light.${l.status}`)}</span></td>
              <td class="small">${l.source}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <p class="small">${t('web.profile.lightRule')}</p>`,
  );
}

/** Months whose homicides stand out from the months before them. */
export function anomaliesSection(ctx: Ctx): Html {
  const { t, locale, report, heading, id } = ctx;
  const found = report.statistics.anomalies;
  if (!found) return section(id, heading, noData(ctx, t('web.profile.anomalies')));
  return section(id, heading, anomalyList(found, locale));
}

/** INEGI homicides against SESNSP homicide and femicide victims, for the place's state. */
export function reconciliationSection(ctx: Ctx): Html {
  const { t, locale, report, heading, id } = ctx;
  const s = report.statistics;
  const rows = s.reconciliation;
  const state = placeName(t, s.state, s.stateName);
  if (rows.length === 0) return section(id, heading, noData(ctx, t('web.profile.reconciliation', { state })));
  return section(
    id,
    heading,
    html`<p>${t('web.report.place.reconciliationText', { state })}</p>
      <table>
        <thead><tr>${th(t('web.profile.year'))}${th('INEGI', true)}${th('SESNSP', true)}${th(t('web.profile.gap'), true)}</tr></thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr>
              <td class="k">${r.year}</td>
              <td class="n">${num(locale, r.inegiHomicides, 0)}</td>
              <td class="n">${num(locale, r.sesnspTotal, 0)}</td>
              <td class="n">${r.gap === null ? '—' : formatPercent(locale, r.gap, { signed: true })}</td>
            </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

/** The programs active in the place that the reader may see, nearest first. */
export function programsSection(ctx: Ctx): Html {
  const { t, locale, report, heading, id } = ctx;
  if (report.programs.length === 0)
    return section(id, heading, none(t('web.report.place.noPrograms', { place: briefPlace(ctx) })));
  return section(
    id,
    heading,
    html`<table>
      <thead><tr>${th(t('web.report.program'))}${th(t('web.report.place.reach'))}${th(t('web.program.status'))}${th(t('web.report.place.dates'))}</tr></thead>
      <tbody>
        ${report.programs.map(
          (p) => html`<tr>
            <td><span class="k">${p.code}</span><br />${inLang(locale, p.title)}</td>
            <td>${t(`web.report.place.reachOf.${p.reach}`, { places: p.locations.join(', ') })}</td>
            <td>${t(`web.program.state.${p.status}`)}</td>
            <td class="k">${p.start ?? '—'} – ${p.end ?? '…'}</td>
          </tr>`,
        )}
      </tbody>
    </table>`,
  );
}
