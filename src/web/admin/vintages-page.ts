/**
 * `/admin/vintages`: every import of official statistics, by source, newest first: the file, its
 * SHA-256, who imported it from where and when, the rows loaded and rejected, the months covered, and
 * whether it is in force, replaced or rolled back. A data steward rolls one back with a form that
 * needs a ticked confirmation: its rows are withdrawn and what it replaced comes back (audited).
 * Plain forms with the session's CSRF token; no script.
 * @module
 */
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import type { VintageRow } from '../../stats/catalogue.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { adminNav } from './admin-nav.js';

export interface VintagesView {
  sources: { id: string; title: string; vintages: VintageRow[] }[];
  /** False when the server has no statistics store. */
  available: boolean;
}

export interface VintagesMessage {
  kind: 'done' | 'refused';
  text: string;
  /** The vintage whose form the refusal concerns, for its field's error. */
  id?: number;
}

function state(t: Translate, reader: Reader, v: VintageRow, message?: VintagesMessage): Html {
  const date = (iso: string) => formatDate(reader.locale, iso, { time: true });
  if (v.withdrawn_at)
    return html`${t('web.admin.vintages.withdrawn', { user: v.withdrawn_by ?? '', date: date(v.withdrawn_at) })}`;
  const replaced = v.replaced_by
    ? html`<p class="small muted">${t('web.admin.vintages.replaced', { id: v.replaced_by })}</p>`
    : '';
  const error = message?.kind === 'refused' && message.id === v.id ? message.text : undefined;
  const id = `confirm-${v.id}`;
  return html`${replaced}<form method="post" action="/admin/vintages/${String(v.id)}/rollback" class="decision">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    <label class="inline"
      ><input type="checkbox" name="confirm" value="yes" id="${id}" ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ''} />
      ${t('web.admin.vintages.confirm', { id: v.id })}</label
    >
    ${error ? html`<span class="small warn" id="${id}-error">${error}</span>` : ''}
    <button type="submit">${t('web.admin.vintages.rollback', { id: v.id })}</button>
  </form>`;
}

export function renderVintages(reader: Reader, view: VintagesView, message?: VintagesMessage): string {
  const t = translator(reader.locale);
  const n = (v: number) => formatNumber(reader.locale, v, { maximumFractionDigits: 0 });
  const title = t('web.admin.vintages.title');
  const notice =
    message && message.id === undefined
      ? html`<p class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">${message.text}</p>`
      : '';
  const sources = view.sources.filter((s) => s.vintages.length > 0);
  const body = html`<h1>${title}</h1>
    ${adminNav(reader, 'vintages')}
    <p>${t('web.admin.vintages.intro')}</p>
    ${notice}
    ${
      !view.available
        ? html`<p class="muted">${t('web.admin.vintages.noStore')}</p>`
        : sources.length === 0
          ? html`<p class="muted">${t('web.admin.vintages.none')}</p>`
          : sources.map(
              (s) => html`<h2>${s.title} <span class="small muted">${s.id}</span></h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t('web.admin.vintages.colFile')}</th>
                    <th scope="col">${t('web.admin.vintages.colImported')}</th>
                    <th scope="col" class="n">${t('web.admin.vintages.colRows')}</th>
                    <th scope="col">${t('web.admin.vintages.colPeriods')}</th>
                    <th scope="col">${t('web.admin.vintages.colState')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${[...s.vintages].reverse().map(
                    (v) => html`<tr id="vintage-${String(v.id)}">
                      <th scope="row">
                        ${t('web.admin.vintages.vintage', { id: v.id })}: ${v.file_name}<br /><code class="small" title="SHA-256">${v.sha256.slice(0, 16)}…</code>
                      </th>
                      <td>
                        ${formatDate(reader.locale, v.imported_at, { time: true })} UTC<br /><span class="small muted"
                          >${v.imported_by ?? '—'}${v.origin ? html` · ${v.origin}` : ''}</span
                        >
                      </td>
                      <td class="n">${n(v.rows_loaded)}${v.rows_rejected ? html`<br /><span class="small muted">${t('web.admin.vintages.rejected', { count: n(v.rows_rejected) })}</span>` : ''}</td>
                      <td>${v.period_from ?? '—'} – ${v.period_to ?? '—'}</td>
                      <td>${state(t, reader, v, message)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`,
            )
    }`;
  return page({ reader, title, section: 'admin', body });
}
