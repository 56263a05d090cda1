/**
 * `/funding/lines`: an official's funding work on one page. A reporter enters a funding line (fiscal
 * year, account, stage, program or framework node, amount, currency, source document, note) and saves
 * it as a draft or submits it; their drafts wait below with a button to submit each. An approver sees
 * the other country's submitted lines and approves each, or returns it with a comment. Plain forms with
 * the session's CSRF token, no script; each refusal is shown beside its field in the reader's language.
 * @module
 */
import type { Account } from '../../domain/funding/accounts.js';
import { FUNDING_STAGES } from '../../domain/funding/stages.js';
import { FUNDING_COLUMNS } from '../../funding/funding-csv.js';
import { formatNumber, translator, type Translate } from '../../i18n/index.js';
import type { StoredFundingLine } from '../../records/funding-repository.js';
import { field, type FieldState } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';

/** The form's fields, whose issues are shown beside them. */
export const LINE_FIELDS: readonly string[] = FUNDING_COLUMNS.filter(
  (c) => c !== 'country' && c !== 'agency' && c !== 'classification',
);

export interface LinesPage {
  accounts: Account[];
  programs: { code: string; title: { en: string; es: string } }[];
  nodes: { ref: string; title: { en: string; es: string } }[];
  /** The reporter's own drafts, to submit. */
  drafts: StoredFundingLine[];
  /** The other country's submitted lines, for an approver. */
  toApprove: StoredFundingLine[];
  reporter: boolean;
  approver: boolean;
}

/** What the page says on top, and what a refused post keeps. */
export interface LinesState extends Partial<FieldState> {
  notice?: { kind: 'done' | 'refused'; text: string };
  /** The line a refused decision was about, and its comment. */
  id?: number;
  comment?: string;
}

const csrf = (reader: Reader) => html`<input type="hidden" name="_csrf" value="${reader.session!.csrf}" />`;

function entryForm(t: Translate, reader: Reader, data: LinesPage, state: LinesState): Html {
  const { locale } = reader;
  const fs = state.typed ? { typed: state.typed, errors: state.errors ?? {} } : undefined;
  return html`<form method="post" action="/funding/lines?lang=${locale}" class="entry">
    ${csrf(reader)}
    <fieldset>
      <legend>${t('web.fundingLines.enter')}</legend>
      ${field('fiscal_year', t('web.funding.col.fiscalYear'), '', fs, { required: true, hint: t('web.fundingLines.fiscalYearHint') })}
      ${field('account', t('web.funding.col.account'), '', fs, {
        choices: [['', '—'], ...data.accounts.map((a) => [a.code, `${a.code}: ${a.name[locale]}`] as const)],
      })}
      ${field('stage', t('web.funding.col.stage'), '', fs, {
        choices: [['', '—'], ...FUNDING_STAGES.map((s) => [s, t(`web.funding.stage.${s}`)] as const)],
      })}
      ${field('program', t('web.funding.col.program'), '', fs, {
        choices: [
          ['', '—'],
          ...data.programs.map((p) => [p.code, `${p.title[locale]} (${p.code})`] as const),
        ],
        hint: t('web.fundingLines.targetHint'),
      })}
      ${field('node', t('web.funding.col.node'), '', fs, {
        choices: [['', '—'], ...data.nodes.map((n) => [n.ref, `${n.ref}: ${n.title[locale]}`] as const)],
      })}
      ${field('amount', t('web.funding.col.amount'), '', fs, { numeric: true, required: true, hint: t('web.fundingLines.amountHint') })}
      ${field('currency', t('web.fundingLines.currency'), 'USD', fs)}
      ${field('source', t('web.fundingLines.source'), '', fs, { required: true, hint: t('web.fundingLines.sourceHint') })}
      ${field('note', t('web.fundingLines.note'), '', fs, { multiline: true })}
      <p>
        <button type="submit" name="decision" value="draft">${t('web.fundingLines.saveDraft')}</button>
        <button type="submit" name="decision" value="submit">${t('web.fundingLines.saveSubmit')}</button>
      </p>
    </fieldset>
  </form>`;
}

function lineText(t: Translate, reader: Reader, l: StoredFundingLine): string {
  const amount = formatNumber(reader.locale, l.amount, {
    style: 'currency',
    currency: l.currency,
    maximumFractionDigits: 2,
  });
  return t('web.fundingLines.line', {
    year: l.fiscal_year,
    account: l.account,
    stage: t(`web.funding.stageIn.${l.stage}`),
    target: l.program ?? l.node ?? '',
    amount,
  });
}

function decisionRow(
  t: Translate,
  reader: Reader,
  l: StoredFundingLine,
  state: LinesState,
  approve: boolean,
): Html {
  const kept = state.id === l.id ? (state.comment ?? '') : '';
  const id = `comment-${l.id}`;
  return html`<li id="line-${l.id}">
    <p><strong>${lineText(t, reader, l)}</strong><br /><span class="small muted">${l.source}${l.note ? html` · ${l.note}` : ''} · ${l.country}, ${l.agency}</span></p>
    <form method="post" action="/funding/lines/${l.id}/${approve ? 'decide' : 'submit'}?lang=${reader.locale}">
      ${csrf(reader)}
      <input type="hidden" name="version" value="${l.version}" />
      ${
        approve
          ? html`<label for="${id}">${t('web.fundingLines.comment')}</label>
              <textarea id="${id}" name="comment" rows="2" maxlength="2000">${kept}</textarea>
              <button type="submit" name="decision" value="approve">${t('web.fundingLines.approve', { line: `${l.fiscal_year} ${l.account}` })}</button>
              <button type="submit" name="decision" value="return">${t('web.fundingLines.return', { line: `${l.fiscal_year} ${l.account}` })}</button>`
          : html`<button type="submit">${t('web.fundingLines.submit', { line: `${l.fiscal_year} ${l.account}` })}</button>`
      }
    </form>
  </li>`;
}

export function renderLines(reader: Reader, data: LinesPage, state: LinesState = {}): string {
  const t = translator(reader.locale);
  const body = html`<p class="small"><a href="/">${t('web.nav.home')}</a> › <a href="/funding">${t('web.funding.countryTitle')}</a></p>
    <h1>${t('web.fundingLines.title')}</h1>
    ${state.notice ? html`<p class="card ${state.notice.kind === 'refused' ? 'warn' : ''}" role="${state.notice.kind === 'refused' ? 'alert' : 'status'}">${state.notice.text}</p>` : ''}
    <p>${t('web.fundingLines.lead')}</p>
    ${data.reporter ? entryForm(t, reader, data, state) : ''}
    ${
      data.reporter
        ? html`<section aria-labelledby="drafts"><h2 id="drafts">${t('web.fundingLines.drafts')}</h2>
            ${data.drafts.length ? html`<ul class="queue">${data.drafts.map((l) => decisionRow(t, reader, l, state, false))}</ul>` : html`<p class="muted">${t('web.fundingLines.noDrafts')}</p>`}</section>`
        : ''
    }
    ${
      data.approver
        ? html`<section aria-labelledby="approve"><h2 id="approve">${t('web.fundingLines.toApprove')}</h2>
            ${data.toApprove.length ? html`<ul class="queue">${data.toApprove.map((l) => decisionRow(t, reader, l, state, true))}</ul>` : html`<p class="muted">${t('web.fundingLines.nothingToApprove')}</p>`}</section>`
        : ''
    }`;
  return page({ reader, title: t('web.fundingLines.title'), section: 'funding', body });
}
