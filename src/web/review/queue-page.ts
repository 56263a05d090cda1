/**
 * `/review`: an official's work in the monitoring cycle on one page. Approvers see the other country's
 * submitted results and approve each, or return it with a comment they must write; reporters see their
 * results returned to them, with the comment and a link to correct them, and those still awaiting the
 * other country. Filters by program, period and owning country are a plain GET form; every decision is
 * a plain POST form with the session's CSRF token: no script.
 * @module
 */
import type { Country } from '../../domain/common-schema.js';
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import type { QueueChoices, QueueFilter, Queues } from '../../monitoring/queues.js';
import type { ResultView } from '../../records/result-repository.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { placeLabel } from '../places.js';
import { evidenceList } from '../evidence/evidence-list.js';
import type { AttachmentView } from '../../records/evidence-repository.js';
import type { Reader } from '../reader.js';

/** What the page says above the lists: a decision done, or one refused, in the reader's language. */
export interface QueueMessage {
  kind: 'done' | 'refused';
  text: string;
  /** The result the message is about: its row keeps what the reader typed. */
  id?: number;
  /** The comment the reader wrote, kept when the decision was refused. */
  comment?: string;
}

const COUNTRIES: Country[] = ['US', 'MX'];

function filters(t: Translate, reader: Reader, filter: QueueFilter, choices: QueueChoices): Html {
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html`selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/review" class="filters">
    <fieldset>
      <legend>${t('web.review.filters')}</legend>
      <input type="hidden" name="lang" value="${reader.locale}" />
      <label>${t('web.review.program')}
        <select name="program">
          ${option('', t('web.review.any'), !filter.program)}
          ${choices.programs.map((p) =>
            option(p.code, `${p.title[reader.locale]} (${p.code})`, p.code === filter.program),
          )}
        </select>
      </label>
      <label>${t('web.review.period')}
        <select name="period">
          ${option('', t('web.review.any'), !filter.period)}
          ${choices.periods.map((p) => option(p, p, p === filter.period))}
        </select>
      </label>
      <label>${t('web.review.country')}
        <select name="country">
          ${option('', t('web.review.any'), !filter.country)}
          ${COUNTRIES.map((c) => option(c, t(`web.session.country.${c}`), c === filter.country))}
        </select>
      </label>
      <button type="submit">${t('web.review.apply')}</button>
    </fieldset>
  </form>`;
}

/** Place names by code (the statistics store's catalogue), when there is one. */
export type PlaceNames = ReadonlyMap<string, { name: string }> | undefined;

/** The result's name first, its codes second. */
export function named(reader: Reader, r: ResultView, places: PlaceNames): Html {
  const t = translator(reader.locale);
  return html`<strong>${r.indicatorName[reader.locale]}</strong><br /><span class="small muted"
      >${r.indicator} · ${r.programTitle[reader.locale]} · ${r.period} · ${placeLabel(t, r.place, places)}${
        r.disaggregation && Object.keys(r.disaggregation).length > 0
          ? ` · ${Object.entries(r.disaggregation as Record<string, string>)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')}`
          : ''
      }</span
    >`;
}

function value(reader: Reader, r: ResultView): string {
  return r.value === null ? '…' : formatNumber(reader.locale, r.value);
}

function changed(t: Translate, reader: Reader, r: ResultView): string {
  return t('web.review.changedBy', {
    user: r.updated_by,
    date: formatDate(reader.locale, r.updated_at, { time: true }),
  });
}

function decision(t: Translate, reader: Reader, r: ResultView, message?: QueueMessage): Html {
  const csrf = reader.session!.csrf;
  const mine = message?.id === r.id && message.kind === 'refused';
  const errorId = `refused-${r.id}`;
  return html`<form method="post" action="/review/${String(r.id)}" class="decision">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="version" value="${String(r.version)}" />
      <button type="submit" name="decision" value="approve">${t('web.review.approve')}</button>
    </form>
    <form method="post" action="/review/${String(r.id)}" class="decision">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="version" value="${String(r.version)}" />
      <label for="comment-${String(r.id)}">${t('web.review.returnComment')}</label>
      <textarea id="comment-${String(r.id)}" name="comment" rows="2" maxlength="2000"
        ${mine ? html`aria-invalid="true" aria-describedby="${errorId}"` : ''}>${mine ? (message?.comment ?? '') : ''}</textarea>
      ${mine ? html`<p class="small warn" id="${errorId}">${message!.text}</p>` : ''}
      <button type="submit" name="decision" value="return">${t('web.review.return')}</button>
    </form>`;
}

function table(t: Translate, rows: Html[], last: string): Html {
  return html`<table>
    <thead>
      <tr>
        <th scope="col">${t('web.review.colResult')}</th>
        <th scope="col" class="n">${t('web.review.colValue')}</th>
        <th scope="col">${t('web.review.colEvidence')}</th>
        <th scope="col">${t('web.review.colChange')}</th>
        <th scope="col">${last}</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** The most rows a list shows: its title gives the full count, and the filters narrow it. */
export const QUEUE_ROWS = 100;

function section(
  title: string,
  none: string,
  rows: Html[],
  last: string,
  t: Translate,
  id: string,
  total: number,
): Html {
  return html`<section aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${rows.length === 0 ? html`<p class="muted">${none}</p>` : table(t, rows, last)}
    ${total > rows.length ? html`<p class="small muted">${t('web.review.more', { shown: rows.length, total })}</p>` : ''}
  </section>`;
}

export function renderQueue(
  reader: Reader,
  queues: Queues & { choices: QueueChoices },
  filter: QueueFilter,
  places: PlaceNames,
  files: ReadonlyMap<number, readonly AttachmentView[]>,
  message?: QueueMessage,
): string {
  const t = translator(reader.locale);
  const row = (r: ResultView, last: Html) =>
    html`<tr id="result-${String(r.id)}">
      <td>${named(reader, r, places)}</td>
      <td class="n">${value(reader, r)}</td>
      <td>${r.evidence ?? ''} ${evidenceList(reader, r.id, files.get(r.id) ?? [], true)}</td>
      <td>${changed(t, reader, r)}<br /><a class="small" href="/results/${String(r.id)}/history">${t('web.history.link')}</a></td>
      <td>${last}</td>
    </tr>`;
  const awaiting = queues.awaiting.slice(0, QUEUE_ROWS).map((r) => row(r, decision(t, reader, r, message)));
  const returned = queues.returned.slice(0, QUEUE_ROWS).map((r) =>
    row(
      r,
      html`<p>${r.review?.comment ?? ''}</p>
        <p class="small muted">${r.review?.by ?? ''}</p>
        <a href="/results/${String(r.id)}/edit">${t('web.review.edit')}</a>`,
    ),
  );
  const submitted = queues.submitted
    .slice(0, QUEUE_ROWS)
    .map((r) => row(r, html`${t('web.resultStatus.submitted')}`));
  const drafts = queues.drafts
    .slice(0, QUEUE_ROWS)
    .map((r) => row(r, html`<a href="/results/${String(r.id)}/edit">${t('web.review.continue')}</a>`));
  const notice = message
    ? html`<p class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">${message.text}</p>`
    : '';
  // Each list for the role that acts on it: approvers approve, reporters correct and follow.
  const roles = reader.session?.roles ?? [];
  const approves = roles.includes('approver');
  const reports = roles.includes('reporter');
  const body = html`<h1>${t('web.review.title')}</h1>
    <p>${t('web.review.intro')}</p>
    ${reports ? html`<p><a class="button" href="/results/new">${t('web.review.enter')}</a></p>` : ''}
    ${notice} ${filters(t, reader, filter, queues.choices)}
    ${
      approves && filter.program && filter.period && queues.awaiting.length > 0
        ? html`<p>
            <a class="button" href="/review/approve-all?program=${encodeURIComponent(filter.program)}&period=${encodeURIComponent(filter.period)}"
              >${t('web.bulk.offer', { count: queues.awaiting.length })}</a
            >
          </p>`
        : ''
    }
    ${
      approves
        ? section(
            t('web.review.awaitingTitle', { count: queues.awaiting.length }),
            t('web.review.awaitingNone'),
            awaiting,
            t('web.review.colDecision'),
            t,
            'awaiting',
            queues.awaiting.length,
          )
        : ''
    }
    ${
      reports
        ? section(
            t('web.review.returnedTitle', { count: queues.returned.length }),
            t('web.review.returnedNone'),
            returned,
            t('web.review.colComment'),
            t,
            'returned',
            queues.returned.length,
          )
        : ''
    }
    ${
      reports
        ? section(
            t('web.review.submittedTitle', { count: queues.submitted.length }),
            t('web.review.submittedNone'),
            submitted,
            t('web.resultEdit.status'),
            t,
            'submitted',
            queues.submitted.length,
          )
        : ''
    }
    ${
      reports
        ? section(
            t('web.review.draftsTitle', { count: queues.drafts.length }),
            t('web.review.draftsNone'),
            drafts,
            t('web.resultEdit.status'),
            t,
            'drafts',
            queues.drafts.length,
          )
        : ''
    }`;
  return page({ reader, title: t('web.review.title'), section: 'review', body });
}
