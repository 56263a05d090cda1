/**
 * The parts of an evaluation run that its page and its report both show: the panel's facts, the
 * event-study plot (vector SVG) with its pre-trend test and its table of estimates, and the overall and
 * by-cohort effects. On the log scale each effect is also read as a percentage (exp(β) − 1), first.
 * @module
 */
import type { EvaluationResult } from '../../eval/evaluate.js';
import { formatNumber, formatP, formatPValue, type Locale, type Translate } from '../../i18n/index.js';
import { measureById } from '../../stats/measures.js';
import { eventStudyChart, type EventStudyLine } from '../charts.js';
import { html, type Html } from '../html.js';
import { effectText } from '../takeaways/evaluation-takeaway.js';
import { doublyRobustText, poolText } from '../../eval/cs/cs-text.js';
import type { Randomization } from '../../eval/cs/randomization.js';

/** A saved run as the store gives it back. */
export type SavedRun = EvaluationResult & { id: number; created_at: string; created_by: string };

export const num = (locale: Locale, v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : formatNumber(locale, v, { maximumFractionDigits: digits });

function lines(t: Translate, r: EvaluationResult): EventStudyLine[] {
  const out: EventStudyLine[] = [];
  if (r.twfe)
    out.push({
      name: t('web.evaluations.estimator.twfe'),
      points: r.twfe.relative.map((event, i) => ({
        event,
        estimate: r.twfe!.coefficients[i]!,
        lower: r.twfe!.lower[i]!,
        upper: r.twfe!.upper[i]!,
      })),
    });
  if (r.cs)
    out.push({
      name: t('web.evaluations.estimator.cs'),
      points: r.cs.dynamic.map((d) => ({ event: d.event, estimate: d.att, lower: d.lower, upper: d.upper })),
    });
  return out;
}

/** The event-study plot: both estimators' estimates by event time, with their 95% intervals. */
export function eventChart(
  t: Translate,
  locale: Locale,
  r: EvaluationResult,
  o: { standalone?: boolean; width?: number; height?: number } = {},
): Html {
  return eventStudyChart(lines(t, r), {
    label: t('web.evaluations.chartLabel', { title: r.title }),
    xLabel: t('web.evaluations.eventTime', { by: t(`web.evaluations.by.${r.specification.panel.by}`) }),
    yLabel: t(`web.evaluations.scale.${r.specification.panel.outcome.scale}`),
    locale,
    ...o,
  });
}

/** Whether the run has an event study to show. */
export const hasEvents = (r: EvaluationResult) =>
  (r.twfe?.relative.length ?? 0) + (r.cs?.dynamic.length ?? 0) > 0;

/** An estimate with its interval, as a percentage first on the log scale. */
function intervalOf(locale: Locale, r: EvaluationResult) {
  const log = r.specification.panel.outcome.scale === 'log_rate';
  const pct = (v: number) => effectText(locale, 'log_rate', v);
  return (estimate: number, lower: number, upper: number) =>
    log && Number.isFinite(estimate)
      ? html`<span class="effect">${pct(estimate)} <span class="small">[${pct(lower)}, ${pct(upper)}]</span></span
          ><br /><span class="small muted">${num(locale, estimate)} [${num(locale, lower)}, ${num(locale, upper)}]</span>`
      : html`${num(locale, estimate)} <span class="small muted">[${num(locale, lower)}, ${num(locale, upper)}]</span>`;
}

/** The panel: outcome, design, treatment, cohorts, dropped units and vintages; `print` lists every dropped unit. */
export function panelFacts(
  t: Translate,
  locale: Locale,
  r: EvaluationResult,
  o: { print?: boolean } = {},
): Html {
  const spec = r.specification.panel;
  const print = o.print === true;
  const dropped = html`<ul class="small">
    ${r.panel.dropped.map((d) => html`<li>${d.unit}: ${d.text ? t(d.text.key, d.text.values) : d.reason}</li>`)}
  </ul>`;
  return html`<dl class="facts">
      <dt>${t('web.evaluations.outcome')}</dt>
      <dd>
        ${measureById(spec.outcome.measure)?.title[locale] ?? spec.outcome.measure} ·
        ${t(`web.evaluations.scale.${spec.outcome.scale}`)}${
          spec.outcome.scale !== 'count' && spec.outcome.population === 'interpolated'
            ? html` · ${t('web.evaluations.interpolated')}`
            : ''
        }
      </dd>
      <dt>${t('web.evaluations.design')}</dt>
      <dd>
        ${t('web.evaluations.designText', {
          level: t(`web.evaluations.level.${spec.level}`),
          by: t(`web.evaluations.by.${spec.by}`),
          from: spec.from,
          to: spec.to,
          units: r.panel.units,
          periods: r.panel.periods,
        })}
      </dd>
      <dt>${t('web.evaluations.treatment')}</dt>
      <dd>
        ${[
          ...(spec.treatment.types ?? []).map((type) => t('web.evaluations.eventType', { type })),
          ...(spec.treatment.events ?? []),
        ].join(', ')}
        ·
        ${t(`web.evaluations.rule.${spec.treatment.rule}`, { exclusion: spec.treatment.exclusion })}
      </dd>
      <dt>${t('web.evaluations.cohorts')}</dt>
      <dd>
        ${r.panel.cohorts.map((c) => `${c.period} (${c.units})`).join(', ') || '—'} ·
        ${t('web.evaluations.never', { count: r.panel.neverTreated })}
      </dd>
      <dt>${t('web.evaluations.dropped')}</dt>
      <dd>
        ${
          r.panel.dropped.length === 0
            ? '0'
            : print
              ? html`${num(locale, r.panel.dropped.length, 0)}${dropped}`
              : html`<details>
                  <summary>${num(locale, r.panel.dropped.length, 0)}</summary>
                  ${dropped}
                </details>`
        }
      </dd>
      <dt>${t('web.evaluations.vintages')}</dt>
      <dd class="small">${r.panel.vintages.map((v) => `${v.source}: ${v.file_name}`).join('; ')}</dd>
    </dl>`;
}

/** The event study: the plot, the pre-trend test and the estimates by event time. */
export function eventStudy(
  t: Translate,
  locale: Locale,
  r: EvaluationResult,
  o: { svgLink?: string; chart?: { width?: number; height?: number } } = {},
): Html {
  const events = [
    ...new Set([...(r.twfe?.relative ?? []), ...(r.cs?.dynamic.map((d) => d.event) ?? [])]),
  ].sort((a, b) => a - b);
  const twfeAt = new Map(r.twfe?.relative.map((e, i) => [e, i]) ?? []);
  const csAt = new Map(r.cs?.dynamic.map((d) => [d.event, d]) ?? []);
  const pAt = new Map(r.cs?.randomization?.dynamic.map((d) => [d.event, d.p]) ?? []);
  const interval = intervalOf(locale, r);
  return html`<figure>
            ${eventChart(t, locale, r, o.chart)}
            <figcaption>
              ${t('web.evaluations.chartCaption')}
              ${o.svgLink ? html`<a href="${o.svgLink}">${t('web.evaluations.svg')}</a>` : ''}
            </figcaption>
          </figure>
          ${
            r.twfe
              ? html`<p>
                ${
                  r.twfe.pretrend.f && r.twfe.critical
                    ? t('web.evaluations.pretrendF', {
                        f: num(locale, r.twfe.pretrend.f.statistic, 3),
                        df1: r.twfe.pretrend.f.df1,
                        df2: r.twfe.pretrend.f.df2,
                        p: formatP(locale, r.twfe.pretrend.f.p),
                        statistic: num(locale, r.twfe.pretrend.statistic, 2),
                        df: r.twfe.pretrend.df,
                        chiP: formatP(locale, r.twfe.pretrend.p),
                        t: num(locale, r.twfe.critical.t, 4),
                      })
                    : t('web.evaluations.pretrend', {
                        statistic: num(locale, r.twfe.pretrend.statistic, 2),
                        df: r.twfe.pretrend.df,
                        p: formatP(locale, r.twfe.pretrend.p),
                      })
                }
              </p>`
              : ''
          }
          <table>
            <caption>
              ${
                r.specification.estimators.twfe
                  ? t('web.evaluations.tableCaptionBins', {
                      lead: -r.specification.estimators.twfe.leads,
                      lag: r.specification.estimators.twfe.lags,
                    })
                  : t('web.evaluations.tableCaption')
              }
            </caption>
            <thead>
              <tr>
                <th scope="col" class="n">${t('web.evaluations.event')}</th>
                ${r.twfe ? html`<th scope="col" class="n">${t('web.evaluations.estimator.twfe')}</th>` : ''}
                ${
                  r.cs
                    ? html`<th scope="col" class="n">${t('web.evaluations.estimator.cs')}</th>
                      <th scope="col" class="n">${t('web.evaluations.uniform')}</th>
                      ${r.cs.randomization ? html`<th scope="col" class="n">${t('web.evaluations.p')}</th>` : ''}`
                    : ''
                }
              </tr>
            </thead>
            <tbody>
              ${events.map((e) => {
                const i = twfeAt.get(e);
                const d = csAt.get(e);
                return html`<tr>
                  <th scope="row" class="n">${num(locale, e, 0)}</th>
                  ${
                    r.twfe
                      ? html`<td class="n">
                        ${
                          i === undefined
                            ? e === r.specification.estimators.twfe?.reference
                              ? t('web.evaluations.reference')
                              : '—'
                            : interval(r.twfe.coefficients[i]!, r.twfe.lower[i]!, r.twfe.upper[i]!)
                        }
                      </td>`
                      : ''
                  }
                  ${
                    r.cs
                      ? html`<td class="n">${d ? interval(d.att, d.lower, d.upper) : '—'}</td>
                        <td class="n">
                          ${d ? `[${num(locale, d.uniformLower)}, ${num(locale, d.uniformUpper)}]` : '—'}
                        </td>
                        ${r.cs.randomization ? html`<td class="n">${formatPValue(locale, pAt.get(e))}</td>` : ''}`
                      : ''
                  }
                </tr>`;
              })}
            </tbody>
          </table>`;
}

/** The doubly robust estimator's covariates, when the run has them (nothing otherwise). */
function csMethod(t: Translate, cs: NonNullable<EvaluationResult['cs']>): Html | string {
  const text = doublyRobustText(t, cs);
  return text ? html`<p>${text}</p>` : '';
}

/** What restricted the placebo pool, and the reassignments that failed (nothing without either). */
export function randomizationPool(t: Translate, locale: Locale, ri: Randomization): Html | string {
  if (!ri.pool && !ri.failed) return '';
  return html`${ri.pool ? html`<p>${poolText(t, locale, ri.pool)}</p>` : ''}${
    ri.failed ? html`<p>${t('evaluate.randomizationFailed', { failed: ri.failed })}</p>` : ''
  }`;
}

/** Callaway–Sant'Anna's overall effect, its randomisation p-value, and the effects by cohort. */
export function overallEffects(t: Translate, locale: Locale, r: EvaluationResult): Html {
  if (!r.cs) return html``;
  const log = r.specification.panel.outcome.scale === 'log_rate';
  const pct = (v: number) => effectText(locale, 'log_rate', v);
  const interval = intervalOf(locale, r);
  return html`<p>
    ${t('web.evaluations.overallText', {
      att: log ? `${num(locale, r.cs.simple.att)} (${pct(r.cs.simple.att)})` : num(locale, r.cs.simple.att),
      lower: log
        ? `${num(locale, r.cs.simple.lower)} (${pct(r.cs.simple.lower)})`
        : num(locale, r.cs.simple.lower),
      upper: log
        ? `${num(locale, r.cs.simple.upper)} (${pct(r.cs.simple.upper)})`
        : num(locale, r.cs.simple.upper),
      draws: r.cs.draws,
      control: t(`web.evaluations.control.${r.cs.control}`),
    })}
          </p>${csMethod(t, r.cs)}
          ${
            r.cs.randomization
              ? html`<p>
                  ${t('web.evaluations.randomization', {
                    permutations: r.cs.randomization.permutations,
                    p: formatP(locale, r.cs.randomization.simple.p),
                  })}
                </p>${randomizationPool(t, locale, r.cs.randomization)}`
              : ''
          }
          ${log ? html`<p class="small muted">${t('web.takeaway.logNote')}</p>` : ''}
          <table>
            <caption>
              ${t('web.evaluations.byGroup')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('web.evaluations.cohort')}</th>
                <th scope="col" class="n">${t('web.evaluations.att')}</th>
              </tr>
            </thead>
            <tbody>
              ${r.cs.byGroup.map(
                (g) =>
                  html`<tr>
                    <th scope="row">${r.panel.labels[g.group] ?? g.group}</th>
                    <td class="n">${interval(g.att, g.lower, g.upper)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`;
}
