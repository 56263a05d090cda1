/**
 * The synthetic control and synthetic DiD parts of an evaluation run, for its page: the split, the
 * estimates and their inference, the plots (treated against synthetic; the gap with the placebos' gaps)
 * and, as tables, the plots' data, the donor weights, the predictors' balance and the leave-one-out fits.
 * @module
 */
import type { EvaluationResult } from '../../eval/evaluate.js';
import { predictorName } from '../../eval/synth/predictors.js';
import { formatP, type Locale, type Translate } from '../../i18n/index.js';
import type { FeatureCollection } from 'geojson';
import { choropleth } from '../charts.js';
import { html, type Html } from '../html.js';
import { placeLabel } from '../places.js';
import { num } from './run-parts.js';
import { synthGapChart, synthPathChart } from './synth-charts.js';

/** Names of places by code (from the statistics store), to name units. */
export type Places = ReadonlyMap<string, { name: string }> | undefined;

/** The boundaries of the panel's places, when the store has them: the donor weights are mapped too. */
export type Geo = { features: FeatureCollection; source: string } | null | undefined;

/** The donor weights on a map (the treated units and donors without weight left blank). */
function weightsMap(
  t: Translate,
  locale: Locale,
  geo: Geo,
  weights: { unit: string; weight: number }[],
  title: string,
) {
  if (!geo) return '';
  return html`<figure>
    ${choropleth(geo.features, new Map(weights.map((w) => [w.unit, w.weight])), {
      country: 'MX',
      label: t('web.evaluations.synth.mapLabel', { title }),
      locale,
      noData: t('web.evaluations.synth.noWeight'),
      width: 640,
      height: 400,
    })}
    <figcaption class="small muted">
      ${t('web.evaluations.synth.mapCaption', { source: t(`web.boundaries.${geo.source}`) })}
    </figcaption>
  </figure>`;
}

/** A section's heading: a page's second level, or a report's third (under the report section's own). */
const heading = (text: string, level: 2 | 3) =>
  level === 2 ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`;

type Control = NonNullable<EvaluationResult['synth']>;
type Sdid = NonNullable<EvaluationResult['sdid']>;

/** The cohort, its treated units and the donors. */
function split(
  t: Translate,
  s: { cohort: string; treated: string[]; donors: number; pre: number; post: number },
  places: Places,
) {
  return html`<p>
    ${t('web.evaluations.synth.split', {
      cohort: s.cohort,
      treated: s.treated.length,
      units:
        s.treated
          .slice(0, 8)
          .map((u) => placeLabel(t, u, places))
          .join(', ') + (s.treated.length > 8 ? ', …' : ''),
      donors: s.donors,
      pre: s.pre,
      post: s.post,
    })}
  </p>`;
}

/** A table of rows named in their first cell, with numbers in the others. */
function numberTable(
  locale: Locale,
  caption: string,
  head: string[],
  rows: { name: string; values: (number | undefined)[] }[],
): Html {
  return html`<table class="data">
    <caption>${caption}</caption>
    <thead>
      <tr>
        <th scope="col">${head[0]}</th>
        ${head.slice(1).map((h) => html`<th scope="col" class="num">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr><th scope="row">${r.name}</th>${r.values.map((v) => html`<td class="num">${num(locale, v)}</td>`)}</tr>`,
      )}
    </tbody>
  </table>`;
}

/** Donors and their weights, largest first. */
function weightsTable(
  t: Translate,
  locale: Locale,
  weights: { unit: string; weight: number }[],
  caption: string,
  places: Places,
) {
  return numberTable(
    locale,
    caption,
    [t('web.evaluations.synth.donor'), t('web.evaluations.synth.weight')],
    weights.map((w) => ({ name: placeLabel(t, w.unit, places), values: [w.weight] })),
  );
}

/** The series behind the plots, by period: folded on a page, open in a report (a printed page cannot unfold). */
function seriesTable(
  t: Translate,
  locale: Locale,
  periods: string[],
  columns: { name: string; values: number[] }[],
  open: boolean,
) {
  const body = html`<summary>${t('web.evaluations.synth.tableCaption')}</summary>
    <table class="data">
      <thead>
        <tr>
          <th scope="col">${t('web.evaluations.synth.period')}</th>
          ${columns.map((c) => html`<th scope="col" class="num">${c.name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${periods.map(
          (p, i) =>
            html`<tr><th scope="row">${p}</th>${columns.map((c) => html`<td class="num">${num(locale, c.values[i])}</td>`)}</tr>`,
        )}
      </tbody>
    </table>`;
  return open ? html`<details open>${body}</details>` : html`<details>${body}</details>`;
}

/** Synthetic control (`estimators.synth`). */
export function controlSection(
  t: Translate,
  locale: Locale,
  r: EvaluationResult & { synth: Control },
  places: Places,
  level: 2 | 3 = 2,
  geo?: Geo,
): Html {
  const s = r.synth;
  const periods = r.panel.labels;
  const yLabel = t(`web.evaluations.scale.${r.specification.panel.outcome.scale}`);
  const treatedName = t('web.evaluations.synth.treated');
  const syntheticName = t('web.evaluations.synth.synthetic');
  const placeboGaps = (s.placebos?.runs ?? []).flatMap((p) => (p.gap ? [p.gap] : []));
  const axis = { locale, periods, treatedFrom: s.pre, yLabel };
  return html`${heading(t('web.evaluations.synth.controlTitle'), level)}
    ${split(t, s, places)}
    <dl class="facts">
      <dt>${t('web.evaluations.synth.estimate')}</dt>
      <dd class="effect">${num(locale, s.estimate)}</dd>
      <dt>${t('web.evaluations.synth.rmspe')}</dt>
      <dd>${num(locale, s.preRmspe)} · ${num(locale, s.postRmspe)} (${t('web.evaluations.synth.ratio')} ${num(locale, s.ratio, 2)})</dd>
      ${
        s.placebos
          ? html`<dt>${t('web.evaluations.synth.placebosTitle')}</dt>
              <dd>
                ${t('web.evaluations.synth.placebos', {
                  placebos: s.placebos.runs.length,
                  rank: s.placebos.rank,
                  p: formatP(locale, s.placebos.p),
                })}
              </dd>`
          : ''
      }
    </dl>
    <figure>
      ${synthPathChart(
        [
          { name: treatedName, values: s.treatedSeries },
          { name: syntheticName, values: s.synthetic },
        ],
        { ...axis, label: t('web.evaluations.synth.pathLabel', { title: r.title }) },
      )}
      <figcaption class="small muted">${t('web.evaluations.synth.pathCaption')}</figcaption>
    </figure>
    <figure>
      ${synthGapChart(s.gap, placeboGaps, {
        ...axis,
        name: treatedName,
        label: t('web.evaluations.synth.gapLabel', { title: r.title }),
      })}
      <figcaption class="small muted">
        ${t('web.evaluations.synth.gapCaption', { placebos: placeboGaps.length, times: r.specification.estimators.synth?.keep_gaps ?? 5 })}
      </figcaption>
    </figure>
    ${seriesTable(
      t,
      locale,
      periods,
      [
        { name: treatedName, values: s.treatedSeries },
        { name: syntheticName, values: s.synthetic },
        { name: t('web.evaluations.synth.gap'), values: s.gap },
      ],
      level === 3,
    )}
    ${weightsTable(t, locale, s.weights, t('web.evaluations.synth.weights'), places)}
    ${weightsMap(t, locale, geo, s.weights, r.title)}
    ${
      s.predictors.length
        ? numberTable(
            locale,
            t('web.evaluations.synth.predictors'),
            [
              t('web.evaluations.synth.predictor'),
              'V',
              treatedName,
              syntheticName,
              t('web.evaluations.synth.donorsMean'),
            ],
            s.predictors.map((p, i) => ({
              name: predictorName(t, s.predictorLabels[i]!),
              values: [p.v, p.treated, p.synthetic, p.donors],
            })),
          )
        : ''
    }
    ${
      s.leaveOneOut?.length
        ? numberTable(
            locale,
            t('web.evaluations.synth.leaveOneOut'),
            [
              t('web.evaluations.synth.left'),
              t('web.evaluations.synth.estimate'),
              t('web.evaluations.synth.preRmspe'),
            ],
            s.leaveOneOut.map((l) => ({
              name: placeLabel(t, l.unit, places),
              values: [l.estimate, l.preRmspe],
            })),
          )
        : ''
    }`;
}

/** Synthetic DiD and its special cases (`estimators.sdid`). */
export function sdidSection(
  t: Translate,
  locale: Locale,
  r: EvaluationResult & { sdid: Sdid },
  places: Places,
  level: 2 | 3 = 2,
  geo?: Geo,
): Html {
  const s = r.sdid;
  const name = (m: string) => t(`evaluate.synth.method.${m}`);
  return html`${heading(t('web.evaluations.synth.sdidTitle'), level)}
    ${split(t, s, places)}
    ${numberTable(
      locale,
      t('web.evaluations.synth.methods'),
      [
        t('web.evaluations.synth.method'),
        t('web.evaluations.synth.estimate'),
        t('web.evaluations.synth.se'),
        t('web.evaluations.synth.preRmspe'),
      ],
      s.methods.map((m) => ({ name: name(m.method), values: [m.estimate, m.se, m.preRmspe] })),
    )}
    ${s.cohorts ? cohortTable(t, locale, s.cohorts, places) : gapsAndWeights(t, locale, r, places, level)}
    ${s.cohorts ? '' : weightsMap(t, locale, geo, s.methods.find((m) => m.method === 'sdid')?.weights ?? [], r.title)}`;
}

/** With every cohort: each cohort's share and estimate by method. */
function cohortTable(
  t: Translate,
  locale: Locale,
  cohorts: NonNullable<Sdid['cohorts']>,
  places: Places,
): Html {
  const methods = cohorts[0]?.estimates.map((e) => e.method) ?? [];
  return html`<table class="data">
    <caption>${t('web.evaluations.synth.cohorts')}</caption>
    <thead>
      <tr>
        <th scope="col">${t('web.evaluations.synth.cohort')}</th>
        <th scope="col" class="num">${t('web.evaluations.synth.share')}</th>
        ${methods.map((m) => html`<th scope="col" class="num">${t(`evaluate.synth.method.${m}`)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${cohorts.map(
        (c) =>
          html`<tr>
            <th scope="row">${c.cohort}: ${c.treated.map((u) => placeLabel(t, u, places)).join(', ')}</th>
            <td class="num">${num(locale, c.weight)}</td>
            ${c.estimates.map((e) => html`<td class="num">${num(locale, e.estimate)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** One cohort: each method's gap by period, and the donor weights. */
function gapsAndWeights(
  t: Translate,
  locale: Locale,
  r: EvaluationResult & { sdid: Sdid },
  places: Places,
  level: 2 | 3,
): Html {
  const s = r.sdid;
  const periods = r.panel.labels;
  const yLabel = t(`web.evaluations.scale.${r.specification.panel.outcome.scale}`);
  const name = (m: string) => t(`evaluate.synth.method.${m}`);
  return html`<figure>
      ${synthPathChart(
        s.methods.map((m) => ({ name: name(m.method), values: m.gap })),
        {
          locale,
          periods,
          treatedFrom: s.pre,
          yLabel,
          label: t('web.evaluations.synth.sdidGapLabel', { title: r.title }),
        },
      )}
      <figcaption class="small muted">${t('web.evaluations.synth.sdidGapCaption')}</figcaption>
    </figure>
    ${seriesTable(
      t,
      locale,
      periods,
      s.methods.map((m) => ({ name: name(m.method), values: m.gap })),
      level === 3,
    )}
    ${s.methods
      .filter((m) => m.method !== 'did')
      .map((m) =>
        weightsTable(
          t,
          locale,
          m.weights.slice(0, 20),
          t('web.evaluations.synth.methodWeights', { method: name(m.method) }),
          places,
        ),
      )}`;
}
