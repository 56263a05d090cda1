/**
 * Evaluation pages: the saved runs, and one run with its warnings, its panel, an event-study plot of the
 * TWFE and Callaway–Sant'Anna estimates (with the same numbers as a table), the overall and by-cohort
 * effects, and its specification, data vintages and hash. The plot is also served as a standalone SVG.
 * @module
 */
import { NotFoundError } from '../../error.js';
import type { EvaluationResult } from '../../eval/evaluate.js';
import { warningText } from '../../eval/evaluation-warnings.js';
import { controlSection, sdidSection, type Places } from './synth-parts.js';
import { mapFeatures } from '../../stats/boundary-maps.js';
import { unlessRefused } from '../refused.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { formatDate, translator, type Locale } from '../../i18n/index.js';
import type { RecordsStore } from '../../records/database.js';
import { getEvaluation, listEvaluations } from '../../records/evaluation-repository.js';
import { html } from '../html.js';
import type { Reader } from '../reader.js';
import { page } from '../layout.js';
import { notFoundPage } from '../places.js';
import { evaluationTakeaway } from '../takeaways/evaluation-takeaway.js';
import { eventChart, eventStudy, hasEvents, num, overallEffects, panelFacts } from './run-parts.js';

type Rendered = { status: 200 | 404; body: string };

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

/** The event-study plot alone, as an SVG document (for reports). */
export async function renderEvaluationSvg(
  store: RecordsStore,
  locale: Locale,
  id: string,
): Promise<string | undefined> {
  const r = await find(store, id);
  if (!r || (!r.twfe && !r.cs)) return undefined;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${eventChart(translator(locale), locale, r, { standalone: true }).text}`;
}

/** One saved run. */
export async function renderEvaluation(
  store: RecordsStore,
  reader: Reader,
  id: string,
  places?: Places,
  stats?: StatsStore,
): Promise<Rendered> {
  const { locale } = reader;
  const t = translator(locale);
  const r = await find(store, id);
  if (!r) return notFoundPage(reader);
  const takeaway = evaluationTakeaway(locale, r);
  // The donors on a map: a state panel's (built-in boundaries), or a municipal one within a state.
  const spec = r.specification.panel;
  const within = spec.level === 'state' ? 'MX' : spec.within;
  const geo =
    stats && (r.synth || r.sdid) && within
      ? await mapFeatures(stats, spec.level, within).catch(unlessRefused)
      : null;
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
    ${panelFacts(t, locale, r)}
    ${
      hasEvents(r)
        ? html`<h2>${t('web.evaluations.eventStudy')}</h2>
            ${eventStudy(t, locale, r, { svgLink: `/evaluations/${r.id}/event-study.svg?lang=${locale}` })}`
        : ''
    }
    ${r.cs ? html`<h2>${t('web.evaluations.overall')}</h2>${overallEffects(t, locale, r)}` : ''}
    ${r.sdid ? sdidSection(t, locale, { ...r, sdid: r.sdid }, places, 2, geo) : ''}
    ${r.synth ? controlSection(t, locale, { ...r, synth: r.synth }, places, 2, geo) : ''}
    <h2>${t('web.evaluations.specification')}</h2>
    <p class="small">
      ${t('web.evaluations.reproduce')}
      <a href="/api/v1/evaluations/${r.id}">JSON</a>
    </p>
    <pre>${JSON.stringify(r.specification, null, 2)}</pre>`;
  return { status: 200, body: page({ reader, title: r.title, section: 'evaluations', body }) };
}
