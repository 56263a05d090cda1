/**
 * `/indicators/{code}/versions`: two versions of an indicator's reference sheet side by side, the latest
 * two unless the reader chooses others; each field with both values, the changed ones marked (in words,
 * not by colour alone). Who changed each version and when is shown to signed-in officials.
 * @module
 */
import { compareSheets, SHEET_ORDER, type SheetRow } from '../../domain/pirs-diff.js';
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';

export interface SheetVersion {
  version: number;
  changed_at: string;
  changed_by: string;
  definition: Record<string, unknown>;
}

function shown(reader: Reader, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return formatNumber(reader.locale, value, { maximumFractionDigits: 6 });
  if (Array.isArray(value)) return value.join(', ') || '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A field's name in the reader's language; a field the sheet does not know keeps its own name. */
const label = (t: Translate, field: string) =>
  (SHEET_ORDER as readonly string[]).includes(field) ? t(`web.versions.field.${field}`) : field;

function picker(t: Translate, code: string, versions: SheetVersion[], a: number, b: number): Html {
  const options = (chosen: number) =>
    versions.map(
      (v) =>
        html`<option value="${String(v.version)}" ${v.version === chosen ? html`selected` : ''}>${String(v.version)}</option>`,
    );
  return html`<form method="get" action="/indicators/${encodeURIComponent(code)}/versions" class="filters">
    <fieldset>
      <legend>${t('web.versions.compare')}</legend>
      <label>${t('web.versions.from')} <select name="a">${options(a)}</select></label>
      <label>${t('web.versions.to')} <select name="b">${options(b)}</select></label>
      <button type="submit">${t('web.review.apply')}</button>
    </fieldset>
  </form>`;
}

function row(t: Translate, reader: Reader, r: SheetRow): Html {
  return html`<tr class="${r.changed ? 'changed' : ''}">
    <th scope="row">${label(t, r.field)}${r.changed ? html` <span class="small warn">(${t('web.versions.changed')})</span>` : ''}</th>
    <td>${shown(reader, r.before)}</td>
    <td>${shown(reader, r.after)}</td>
  </tr>`;
}

export function renderVersions(
  reader: Reader,
  indicator: { code: string; name: { en: string; es: string }; program: string },
  versions: SheetVersion[],
  a: number,
  b: number,
): string {
  const t = translator(reader.locale);
  const title = t('web.versions.title', { name: indicator.name[reader.locale] });
  const va = versions.find((v) => v.version === a);
  const vb = versions.find((v) => v.version === b);
  const official = reader.viewer !== null;
  const head = (v: SheetVersion) =>
    html`${t('web.versions.version', { version: v.version })}<br /><span class="small muted">${formatDate(reader.locale, v.changed_at)}${official ? ` · ${v.changed_by}` : ''}</span>`;
  const rows = va && vb ? compareSheets(va.definition, vb.definition) : [];
  const changed = rows.filter((r) => r.changed).length;
  const body = html`<p class="small"><a href="/programs/${indicator.program}">${indicator.program}</a> › <a href="/indicators/${indicator.code}">${indicator.code}</a></p>
    <h1>${title}</h1>
    ${
      versions.length < 2
        ? html`<p>${t('web.versions.single')}</p>`
        : html`${picker(t, indicator.code, versions, a, b)}
            <p>${t('web.versions.summary', { count: changed })}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">${t('web.versions.colField')}</th>
                  <th scope="col">${va ? head(va) : ''}</th>
                  <th scope="col">${vb ? head(vb) : ''}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((r) => row(t, reader, r))}
              </tbody>
            </table>`
    }`;
  return page({ reader, title, body });
}
