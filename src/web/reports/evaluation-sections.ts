/**
 * The sections of an evaluation report, from one saved run as it was computed: its specification (the
 * question in words, and the file that reproduces it), its panel, its estimates (the event-study plot as
 * vector SVG, the table by event time, the overall and by-cohort effects), its warnings with the pre-trend
 * test and the randomisation p-values, and its provenance: the data vintages it used and its run hash.
 * The parts are those of the run's page (`evaluations/run-parts.ts`).
 * @module
 */
import { warningText } from '../../eval/evaluation-warnings.js';
import { formatDate, formatP } from '../../i18n/index.js';
import type { EvaluationReport } from '../../reports/evaluation-report.js';
import { html, type Html } from '../html.js';
import {
  eventStudy,
  hasEvents,
  num,
  overallEffects,
  panelFacts,
  randomizationPool,
} from '../evaluations/run-parts.js';
import { evaluationTakeaway } from '../takeaways/evaluation-takeaway.js';
import { controlSection, sdidSection } from '../evaluations/synth-parts.js';
import { none, section, th, type SectionContext } from './report-context.js';

type Ctx = SectionContext<EvaluationReport>;

/** The run's question in words, the estimators' settings, and its specification as a file. */
export function specificationSection({ t, locale, report, heading, id }: Ctx): Html {
  const r = report.run;
  const takeaway = evaluationTakeaway(locale, r);
  return section(
    id,
    heading,
    html`${takeaway ? html`<p class="takeaway">${takeaway}</p>` : ''}
      <p>${t('web.report.evaluation.saved', { title: r.title, id: r.id, date: formatDate(locale, r.created_at), by: r.created_by })}</p>
      <p class="small">${t('web.report.evaluation.reproduce')}</p>
      <pre class="spec">${JSON.stringify(r.specification, null, 2)}</pre>`,
  );
}

/** The panel the estimators ran on. */
export function panelSection({ t, locale, report, heading, id }: Ctx): Html {
  return section(id, heading, panelFacts(t, locale, report.run, { print: true }));
}

/** The estimates: the event study, the overall effects, synthetic DiD and synthetic control. */
export function estimatesSection({ t, locale, report, heading, id }: Ctx): Html {
  const r = report.run;
  if (!hasEvents(r) && !r.cs && !r.sdid && !r.synth)
    return section(id, heading, none(t('web.report.evaluation.noEstimates')));
  return section(
    id,
    heading,
    html`${hasEvents(r) ? eventStudy(t, locale, r, { chart: { width: 640, height: 320 } }) : ''}
      ${r.cs ? html`<h3>${t('web.evaluations.overall')}</h3>${overallEffects(t, locale, r)}` : ''}${[
        // Nothing between these: an estimator a run lacks leaves no trace in the page.
        r.sdid ? sdidSection(t, locale, { ...r, sdid: r.sdid }, undefined, 3) : '',
        r.synth ? controlSection(t, locale, { ...r, synth: r.synth }, undefined, 3) : '',
      ]}`,
  );
}

/** What a reader must know before trusting the estimates, and the tests that say how far to. */
export function inferenceSection({ t, locale, report, heading, id }: Ctx): Html {
  const r = report.run;
  const ri = r.cs?.randomization;
  const pre = r.twfe?.pretrend;
  return section(
    id,
    heading,
    html`${
      r.warnings.length
        ? html`<ul class="warnings">${r.warnings.map((w) => html`<li>${warningText(t, locale, w)}</li>`)}</ul>`
        : html`<p>${t('web.report.evaluation.noWarnings')}</p>`
    }
      ${
        pre
          ? html`<p>${t('web.report.evaluation.pretrend', {
              statistic: num(locale, pre.f?.statistic ?? pre.statistic, 3),
              test: pre.f ? 'F' : 'χ²',
              p: formatP(locale, pre.f?.p ?? pre.p),
            })}</p>`
          : ''
      }
      ${
        ri
          ? html`<p>
              ${t('web.evaluations.randomization', { permutations: ri.permutations, p: formatP(locale, ri.simple.p) })}
              ${t('web.report.evaluation.byEventP')}
            </p>${randomizationPool(t, locale, ri)}`
          : html`<p>${t('web.report.evaluation.noRandomization')}</p>`
      }`,
  );
}

/** The data the run used, with checksums, and the run's own hash and Marco version. */
export function provenanceSection({ t, report, heading, id }: Ctx): Html {
  const r = report.run;
  return section(
    id,
    heading,
    html`<p>${t('web.report.evaluation.hashText', { version: r.marco })}</p>
      <p class="small"><code>${r.hash}</code></p>
      <table>
        <thead><tr>${th(t('web.report.data.source'))}${th(t('web.report.data.fileName'))}${th('SHA-256')}</tr></thead>
        <tbody>${r.panel.vintages.map((v) => html`<tr><td class="k">${v.source}</td><td>${v.file_name}</td><td class="small"><code>${v.sha256}</code></td></tr>`)}</tbody>
      </table>`,
  );
}
