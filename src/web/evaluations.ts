/**
 * Evaluation pages: the saved runs, and one run with its warnings, its panel, an event-study plot of the
 * TWFE and Callaway–Sant'Anna estimates (with the same numbers as a table), the overall and by-cohort
 * effects, and its specification, data vintages and hash. The plot is also served as a standalone SVG.
 * @module
 */
import { NotFoundError } from '../error.js';
import { warningText, type EvaluationResult } from '../eval/evaluate.js';
import {
  formatDate,
  formatNumber,
  formatP,
  formatPValue,
  translator,
  type Locale,
  type Translate,
} from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import { getEvaluation, listEvaluations } from '../records/evaluation-repository.js';
import { eventStudyChart, type EventStudyLine } from './charts.js';
import { measureById } from '../stats/measures.js';
import { html, type Html } from './html.js';
import type { Reader } from './reader.js';
import { page } from './layout.js';
import { notFoundPage } from './places.js';
import { effectText, evaluationTakeaway } from './takeaways/evaluation-takeaway.js';

type Rendered = { status: 200 | 404; body: string };

const num = (locale: Locale, v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : formatNumber(locale, v, { maximumFractionDigits: digits });

/** The list of saved runs. */
export async function renderEvaluations(store: RecordsStore, reader: Reader): Promise<string> {
  const { locale } = reader;
  const t = translator(locale);
  const runs = await listEvaluations(store);
  const title = t('web.evaluations.title');
  const body = html`<h1>${title}</h1>
    <p>${t('web.evaluations.intro')}</p>
    ${
      runs.length === 0
        ? html`<p class="muted">${t('web.evaluations.none')}</p>`
        : html`<table>
          <caption>
            ${t('web.evaluations.caption', { count: runs.length })}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('web.evaluations.run')}</th>
              <th scope="col">${t('web.evaluations.saved')}</th>
              <th scope="col" class="n">${t('web.evaluations.units')}</th>
              <th scope="col">${t('web.evaluations.estimators')}</th>
              <th scope="col" class="n">${t('web.evaluations.att')}</th>
            </tr>
          </thead>
          <tbody>
            ${runs.map(
              (r) =>
                html`<tr>
                  <td><a href="/evaluations/${r.id}">${r.title}</a></td>
                  <td>${formatDate(locale, r.created_at)}</td>
                  <td class="n">${num(locale, r.units, 0)} × ${num(locale, r.periods, 0)}</td>
                  <td>${r.estimators.map((e) => t(`web.evaluations.estimator.${e}`)).join(', ')}</td>
                  <td class="n">
                    ${r.att ? html`${num(locale, r.att.att)}<br /><span class="small muted">[${num(locale, r.att.lower)}, ${num(locale, r.att.upper)}]</span>` : '—'}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
    }`;
  return page({ reader, title, section: 'evaluations', body });
}

async function find(store: RecordsStore, id: string) {
  if (!/^[1-9]\d{0,9}$/.test(id)) return undefined;
  return getEvaluation<EvaluationResult>(store, Number(id)).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
}

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

function chart(t: Translate, locale: Locale, r: EvaluationResult, o: { standalone?: boolean } = {}): Html {
  return eventStudyChart(lines(t, r), {
    label: t('web.evaluations.chartLabel', { title: r.title }),
    xLabel: t('web.evaluations.eventTime', { by: t(`web.evaluations.by.${r.specification.panel.by}`) }),
    yLabel: t(`web.evaluations.scale.${r.specification.panel.outcome.scale}`),
    locale,
    ...o,
  });
}

/** The event-study plot alone, as an SVG document (for reports). */
export async function renderEvaluationSvg(
  store: RecordsStore,
  locale: Locale,
  id: string,
): Promise<string | undefined> {
  const r = await find(store, id);
  if (!r || (!r.twfe && !r.cs)) return undefined;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${chart(translator(locale), locale, r, { standalone: true }).text}`;
}

/** One saved run. */
export async function renderEvaluation(store: RecordsStore, reader: Reader, id: string): Promise<Rendered> {
  const { locale } = reader;
  const t = translator(locale);
  const r = await find(store, id);
  if (!r) return notFoundPage(reader);
  const spec = r.specification.panel;
  const events = [
    ...new Set([...(r.twfe?.relative ?? []), ...(r.cs?.dynamic.map((d) => d.event) ?? [])]),
  ].sort((a, b) => a - b);
  const twfeAt = new Map(r.twfe?.relative.map((e, i) => [e, i]) ?? []);
  const csAt = new Map(r.cs?.dynamic.map((d) => [d.event, d]) ?? []);
  const pAt = new Map(r.cs?.randomization?.dynamic.map((d) => [d.event, d.p]) ?? []);
  // On the log scale each effect is also read as a percentage (exp(β) − 1), first.
  const log = spec.outcome.scale === 'log_rate';
  const pct = (v: number) => effectText(locale, 'log_rate', v);
  const interval = (estimate: number, lower: number, upper: number) =>
    log && Number.isFinite(estimate)
      ? html`<span class="effect">${pct(estimate)} <span class="small">[${pct(lower)}, ${pct(upper)}]</span></span
          ><br /><span class="small muted">${num(locale, estimate)} [${num(locale, lower)}, ${num(locale, upper)}]</span>`
      : html`${num(locale, estimate)} <span class="small muted">[${num(locale, lower)}, ${num(locale, upper)}]</span>`;
  const takeaway = evaluationTakeaway(locale, r);
  const body = html`<h1>${r.title}</h1>
    <p class="small muted">
      ${t('web.evaluations.meta', {
        date: formatDate(locale, r.created_at),
        version: r.marco,
      })}
      <br />${t('web.evaluations.hash')} <code>${r.hash}</code>
    </p>
    ${takeaway ? html`<p class="takeaway">${takeaway}</p>` : ''}
    ${
      r.warnings.length
        ? html`<ul class="warnings">
          ${r.warnings.map((w) => html`<li>${warningText(t, locale, w)}</li>`)}
        </ul>`
        : ''
    }
    <h2>${t('web.evaluations.panel')}</h2>
    <dl class="facts">
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
            : html`<details>
              <summary>${num(locale, r.panel.dropped.length, 0)}</summary>
              <ul class="small">
                ${r.panel.dropped.map((d) => html`<li>${d.unit}: ${d.text ? t(d.text.key, d.text.values) : d.reason}</li>`)}
              </ul>
            </details>`
        }
      </dd>
      <dt>${t('web.evaluations.vintages')}</dt>
      <dd class="small">${r.panel.vintages.map((v) => `${v.source}: ${v.file_name}`).join('; ')}</dd>
    </dl>
    ${
      events.length
        ? html`<h2>${t('web.evaluations.eventStudy')}</h2>
          <figure>
            ${chart(t, locale, r)}
            <figcaption>
              ${t('web.evaluations.chartCaption')}
              <a href="/evaluations/${r.id}/event-study.svg?lang=${locale}">${t('web.evaluations.svg')}</a>
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
          </table>`
        : ''
    }
    ${
      r.cs
        ? html`<h2>${t('web.evaluations.overall')}</h2>
          <p>
            ${t('web.evaluations.overallText', {
              att: log
                ? `${num(locale, r.cs.simple.att)} (${pct(r.cs.simple.att)})`
                : num(locale, r.cs.simple.att),
              lower: log
                ? `${num(locale, r.cs.simple.lower)} (${pct(r.cs.simple.lower)})`
                : num(locale, r.cs.simple.lower),
              upper: log
                ? `${num(locale, r.cs.simple.upper)} (${pct(r.cs.simple.upper)})`
                : num(locale, r.cs.simple.upper),
              draws: r.cs.draws,
              control: t(`web.evaluations.control.${r.cs.control}`),
            })}
          </p>
          ${
            r.cs.randomization
              ? html`<p>
                  ${t('web.evaluations.randomization', {
                    permutations: r.cs.randomization.permutations,
                    p: formatP(locale, r.cs.randomization.simple.p),
                  })}
                </p>`
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
          </table>`
        : ''
    }
    <h2>${t('web.evaluations.specification')}</h2>
    <p class="small">
      ${t('web.evaluations.reproduce')}
      <a href="/api/v1/evaluations/${r.id}">JSON</a>
    </p>
    <pre>${JSON.stringify(r.specification, null, 2)}</pre>`;
  return { status: 200, body: page({ reader, title: r.title, section: 'evaluations', body }) };
}
