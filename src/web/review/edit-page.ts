/**
 * `/results/{id}/edit`: a reporter corrects a result (its value, or its numerator and denominator, its
 * comment and evidence) and saves it as a draft or submits it. A result the counterpart returned shows
 * the returning comment above the form. Each field's error, from the API's own schema, is shown beside
 * it in the reader's language, with what was typed kept. A plain form: no script.
 * @module
 */
import { formatDate, translator } from '../../i18n/index.js';
import type { ResultView } from '../../records/result-repository.js';
import { field } from '../form-field.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { evidenceField, evidenceList } from '../evidence/evidence-list.js';
import type { AttachmentView } from '../../records/evidence-repository.js';
import { named, type PlaceNames } from './queue-page.js';
import type { Reader } from '../reader.js';

/** Fields as typed, and each field's error, when a post is refused. */
export interface EditState {
  typed: Record<string, string>;
  errors: Record<string, string>;
  /** A refusal that is not one field's (a locked period, a stale version), already translated. */
  alert?: string;
}

const EDITABLE = ['draft', 'submitted', 'approved'];

const text = (n: number | null) => (n === null ? '' : String(n));

export function renderEdit(
  reader: Reader,
  r: ResultView,
  places: PlaceNames,
  files: readonly AttachmentView[],
  state?: EditState,
): string {
  const t = translator(reader.locale);
  const title = t('web.resultEdit.title', { id: r.id });
  const components = r.numerator !== null;
  const returned = r.status === 'draft' && r.review;
  const form = EDITABLE.includes(r.status)
    ? html`<form method="post" action="/results/${String(r.id)}" class="result-edit" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
        <input type="hidden" name="version" value="${String(r.version)}" />
        ${
          components
            ? [
                field('numerator', t('web.resultEdit.numerator'), text(r.numerator), state, {
                  numeric: true,
                }),
                field('denominator', t('web.resultEdit.denominator'), text(r.denominator), state, {
                  numeric: true,
                }),
              ]
            : field('value', t('web.resultEdit.value'), text(r.value), state, { numeric: true })
        }
        ${field('comment', t('web.resultEdit.comment'), r.comment ?? '', state, { multiline: true })}
        ${field('evidence', t('web.resultEdit.evidence'), r.evidence ?? '', state)} ${evidenceField(t, state)}
        <p>
          <button type="submit" name="decision" value="draft">${t('web.resultEdit.saveDraft')}</button>
          <button type="submit" name="decision" value="submit">${t('web.resultEdit.submit')}</button>
        </p>
      </form>`
    : html`<p class="card">${t('web.resultEdit.notEditable', { status: t(`web.resultStatus.${r.status}`) })}</p>`;
  const body = html`<h1>${title}</h1>
    <p>${named(reader, r, places)}</p>
    <p>
      ${t('web.resultEdit.status')}: ${t(`web.resultStatus.${r.status}`)} ·
      <a href="/results/${String(r.id)}/history">${t('web.history.link')}</a>
    </p>
    ${
      returned
        ? html`<div class="card warn" role="note">
          <p>${t('web.resultEdit.returnedBy', {
            user: r.review!.by,
            date: r.review!.at ? formatDate(reader.locale, r.review!.at, { time: true }) : '',
          })}</p>
          <p>${r.review!.comment ?? ''}</p>
        </div>`
        : ''
    }
    <h2>${t('web.evidence.title')}</h2>
    ${evidenceList(reader, r.id, files, false, EDITABLE.includes(r.status) ? { csrf: reader.session!.csrf } : undefined)}
    ${state?.alert ? html`<p class="card warn" role="alert">${state.alert}</p>` : ''} ${form}
    <p><a href="/review">${t('web.resultEdit.back')}</a></p>`;
  return page({ reader, title, section: 'review', body });
}
