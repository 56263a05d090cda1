/**
 * `/results/{id}/history`: every step of a result, read from the audit log, oldest first: who did what
 * and when (entered, submitted, returned with a comment, approved, changed, locked, a file attached), and
 * which fields changed, from what to what. Each step names its audit entry, which `marco audit verify`
 * checks.
 * @module
 */
import { fieldChanges, stepOf, type FieldChange } from '../../domain/history-diff.js';
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import type { HistoryEntry } from '../../records/result-history.js';
import type { ResultView } from '../../records/result-repository.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { named, type PlaceNames } from '../review/queue-page.js';

function shown(t: Translate, reader: Reader, change: FieldChange, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return formatNumber(reader.locale, value, { maximumFractionDigits: 6 });
  if (change.field === 'status') return t(`web.resultStatus.${String(value)}`);
  return String(value);
}

function changes(t: Translate, reader: Reader, list: FieldChange[]): Html {
  if (list.length === 0) return html``;
  return html`<dl class="facts">
    ${list.map(
      (c) =>
        html`<dt>${t(`web.history.field.${c.field}`)}</dt>
          <dd>${shown(t, reader, c, c.from)} → ${shown(t, reader, c, c.to)}</dd>`,
    )}
  </dl>`;
}

function step(t: Translate, reader: Reader, e: HistoryEntry): Html {
  const kind = stepOf(e.entity, e.action, e.before, e.after);
  const when = formatDate(reader.locale, e.at, { time: true });
  const detail =
    kind === 'attached' || kind === 'removed'
      ? html`<p>${String(e.after?.filename ?? '')} <span class="small muted">SHA-256 ${String(e.after?.sha256 ?? '').slice(0, 16)}…</span></p>${
          kind === 'removed'
            ? html`<p>${t('web.history.reason')}: ${String(e.after?.removal_reason ?? '')}</p>`
            : ''
        }`
      : changes(t, reader, fieldChanges(e.action === 'create' ? null : e.before, e.after));
  return html`<li>
    <p>
      <strong>${t(`web.history.step.${kind}`)}</strong> · ${e.actor} · <time datetime="${e.at}">${when}</time>
      <span class="small muted">${t('web.history.entry', { entry: e.entry })}</span>
    </p>
    ${detail}
  </li>`;
}

export function renderHistory(
  reader: Reader,
  result: ResultView,
  entries: HistoryEntry[],
  places: PlaceNames,
): string {
  const t = translator(reader.locale);
  const title = t('web.history.title', { id: result.id });
  const body = html`<h1>${title}</h1>
    <p>${named(reader, result, places)}</p>
    <p>${t('web.history.intro')}</p>
    <ol class="history">
      ${entries.map((e) => step(t, reader, e))}
    </ol>
    <p><a href="/review">${t('web.resultEdit.back')}</a></p>`;
  return page({ reader, title, section: 'review', body });
}
