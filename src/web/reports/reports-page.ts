/**
 * `/reports`: where an official asks for a report and follows it. A form names a built-in template, a
 * period, a language and a format; below it, the official's own jobs (reports and evaluations), newest
 * first, with their status, progress and the step they are at, and for each what can be done: download
 * the output (with its size and SHA-256), cancel it while it is queued or running, retry it once it has
 * failed or was cancelled. Plain forms with the session's CSRF token and no script: the page does not
 * refresh by itself, and says so beside a link that checks again.
 * @module
 */
import type { JobView } from '../../jobs/job-requests.js';
import { formatBytes, formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import type { FieldState } from '../form-field.js';
import { field } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';

export interface ReportsView {
  /** The built-in templates: name and title in the reader's language. */
  templates: readonly (readonly [string, string])[];
  /** Period codes to suggest (those the records hold). */
  periods: readonly string[];
  jobs: readonly JobView[];
  /** Whether this server makes jobs at all (it runs a worker). */
  working: boolean;
}

export interface ReportsMessage {
  kind: 'done' | 'refused';
  text: string;
}

const csrf = (reader: Reader) => html`<input type="hidden" name="_csrf" value="${reader.session!.csrf}" />`;

function requestForm(t: Translate, reader: Reader, view: ReportsView, state?: FieldState): Html {
  const lang = state?.typed.lang ?? reader.locale;
  const format = state?.typed.format ?? 'pdf';
  return html`<form method="post" action="/reports" class="result-edit">
    ${csrf(reader)}
    ${field('template', t('web.reportsPage.template'), view.templates[0]?.[0] ?? '', state, {
      choices: view.templates,
    })}
    ${field('period', t('web.reportsPage.period'), '', state, {
      suggestions: view.periods.map((p) => [p, p] as const),
      hint: t('web.reportsPage.periodHint'),
    })}
    ${field('place', t('web.reportsPage.place'), '', state, { hint: t('web.reportsPage.placeHint') })}
    ${field('evaluation', t('web.reportsPage.evaluation'), '', state, {
      hint: t('web.reportsPage.evaluationHint'),
    })}
    <fieldset>
      <legend>${t('web.reportsPage.language')}</legend>
      ${(['en', 'es'] as const).map(
        (l) => html`<label class="inline"
          ><input type="radio" name="lang" value="${l}" ${lang === l ? html`checked` : ''} />
          ${t(`web.settings.languageName.${l}`)}</label
        >`,
      )}
    </fieldset>
    <fieldset>
      <legend>${t('web.reportsPage.format')}</legend>
      ${(['pdf', 'html'] as const).map(
        (f) => html`<label class="inline"
          ><input type="radio" name="format" value="${f}" ${format === f ? html`checked` : ''} />
          ${t(`web.reportsPage.formatName.${f}`)}</label
        >`,
      )}
    </fieldset>
    <p><button type="submit">${t('web.reportsPage.make')}</button></p>
  </form>`;
}

/** What a job is, in a few words: a report's title, period, language and format; an evaluation's title. */
function what(t: Translate, view: ReportsView, job: JobView): string {
  const p = job.params as Record<string, string | undefined>;
  if (job.kind === 'report') {
    const title = view.templates.find(([name]) => name === p.template)?.[1] ?? p.template ?? '';
    return t('web.reportsPage.reportWhat', {
      title,
      period: [p.period, p.place, p.evaluation ? `#${p.evaluation}` : undefined].filter(Boolean).join(' · '),
      language: t(`web.reportsPage.languageWord.${p.lang ?? 'en'}`),
      format: t(`web.reportsPage.formatShort.${p.format ?? 'pdf'}`),
    });
  }
  if (job.kind === 'evaluation') return t('web.reportsPage.evaluationWhat', { title: p.title ?? '' });
  if (job.kind === 'export') {
    const q = (job.params as { query?: Record<string, string> }).query ?? {};
    const where = q.geo ?? [q.level, q.within].filter(Boolean).join(' · ');
    return t('web.reportsPage.exportWhat', {
      measure: q.measure ?? '',
      where: where || 'MX',
      by: q.by ?? 'year',
      format: (p.format ?? 'csv').toUpperCase(),
    });
  }
  return job.kind;
}

function actions(t: Translate, reader: Reader, job: JobView): Html {
  const post = (action: 'cancel' | 'retry') =>
    html`<form method="post" action="/reports/jobs/${job.id}/${action}" class="decision">
      ${csrf(reader)}
      <button type="submit">${t(`web.reportsPage.${action}`, { id: job.id })}</button>
    </form>`;
  if (job.status === 'queued' || job.status === 'running')
    return job.cancel_requested
      ? html`<span class="muted">${t('web.reportsPage.cancelAsked')}</span>`
      : post('cancel');
  if (job.status === 'failed' || job.status === 'cancelled') return post('retry');
  if (job.output?.url)
    return html`<a href="/reports/jobs/${job.id}/output" download
        >${t('web.reportsPage.download', { id: job.id })}</a
      >
      <span class="small muted"
        >${formatBytes(reader.locale, job.output.bytes)} ·
        ${t('web.reportsPage.keptUntil', { date: formatDate(reader.locale, job.output.expires_at) })}</span
      >
      <br /><span class="small">SHA-256 <code>${job.output.sha256}</code></span>`;
  return html`<span class="muted">${t('web.reportsPage.expired')}</span>`;
}

function status(t: Translate, reader: Reader, job: JobView): Html {
  const percent = Math.round(job.progress * 100);
  const running = job.status === 'running';
  return html`${t(`jobs.status.${job.status}`)}${running && job.step_text ? html`: ${job.step_text}` : ''}
    ${
      running || job.status === 'queued'
        ? html`<br /><progress
              max="100"
              value="${percent}"
              aria-label="${t('web.reportsPage.progressOf', { id: job.id })}"
            >
              ${formatNumber(reader.locale, job.progress, { style: 'percent' })}</progress
            >
            ${formatNumber(reader.locale, job.progress, { style: 'percent' })}`
        : ''
    }
    ${job.error ? html`<br /><span class="small">${job.error.message}</span>` : ''}
    ${
      job.error?.issues
        ? html`<ul class="small">
            ${job.error.issues.map((i) => html`<li><code>${i.path || '(root)'}</code>: ${i.message}</li>`)}
          </ul>`
        : ''
    }`;
}

function jobTable(t: Translate, reader: Reader, view: ReportsView): Html {
  if (view.jobs.length === 0) return html`<p>${t('web.reportsPage.none')}</p>`;
  return html`<table>
    <caption>
      ${t('web.reportsPage.caption')}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('web.reportsPage.number')}</th>
        <th scope="col">${t('web.reportsPage.what')}</th>
        <th scope="col">${t('web.reportsPage.asked')}</th>
        <th scope="col">${t('web.reportsPage.status')}</th>
        <th scope="col">${t('web.reportsPage.output')}</th>
      </tr>
    </thead>
    <tbody>
      ${view.jobs.map(
        (job) => html`<tr id="job-${job.id}">
          <td>${job.id}</td>
          <td>${what(t, view, job)}</td>
          <td>${formatDate(reader.locale, job.created_at, { time: true })}</td>
          <td>${status(t, reader, job)}</td>
          <td>${actions(t, reader, job)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

export function renderReports(
  reader: Reader,
  view: ReportsView,
  message?: ReportsMessage,
  state?: FieldState,
): string {
  const t = translator(reader.locale);
  const title = t('web.reportsPage.title');
  const notice = message
    ? html`<p class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">${message.text}</p>`
    : '';
  const pending = view.jobs.some((j) => j.status === 'queued' || j.status === 'running');
  const body = html`<h1>${title}</h1>
    <p>${t('web.reportsPage.intro')}</p>
    ${notice}
    ${
      view.working
        ? requestForm(t, reader, view, state)
        : html`<p class="card warn" role="status">${t('web.reportsPage.noWorker')}</p>`
    }
    <h2>${t('web.reportsPage.yours')}</h2>
    ${
      pending
        ? html`<p>${t('web.reportsPage.noAutoRefresh')} <a href="/reports">${t('web.reportsPage.checkAgain')}</a></p>`
        : ''
    }
    ${jobTable(t, reader, view)}`;
  return page({ reader, title, section: 'reports', body });
}
