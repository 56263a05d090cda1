/**
 * `/admin/organisations`: the organisations (agencies) of the admin's country (the operator's: both),
 * names first, with kind, parent, owner and version; a form that adds one or, opened from a row's edit
 * link, changes it (the version read is sent back, so a change made meanwhile is refused, not lost).
 * Plain forms with the session's CSRF token; no script.
 * @module
 */
import { translator, type Translate } from '../../i18n/index.js';
import type { OrganisationInfo } from '../../records/organisation-repository.js';
import { field, type FieldState } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { adminNav } from './admin-nav.js';

export const ORGANISATION_KINDS = ['government', 'implementer', 'multilateral', 'other'] as const;

export interface OrganisationsMessage {
  kind: 'done' | 'refused';
  text: string;
}

/** The organisation being changed (from `?edit=`), or none for a new one. */
export type Editing = OrganisationInfo | undefined;

function orgForm(
  t: Translate,
  reader: Reader,
  orgs: OrganisationInfo[],
  editing: Editing,
  typed?: FieldState,
): Html {
  const parents = orgs.filter((o) => o.code !== editing?.code);
  return html`<form method="post" action="/admin/organisations" class="result-edit">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    ${editing ? html`<input type="hidden" name="version" value="${String(editing.version)}" />` : ''}
    ${
      editing
        ? html`<input type="hidden" name="code" value="${editing.code}" />
          <p><strong>${t('web.admin.organisations.code')}</strong>: <code>${editing.code}</code></p>`
        : field('code', t('web.admin.organisations.code'), '', typed, {
            required: true,
            hint: t('web.admin.organisations.codeHint'),
          })
    }
    ${field('name_en', t('web.admin.organisations.nameEn'), editing?.name.en ?? '', typed, { required: true })}
    ${field('name_es', t('web.admin.organisations.nameEs'), editing?.name.es ?? '', typed, { required: true })}
    ${field('kind', t('web.admin.organisations.kind'), editing?.kind ?? 'government', typed, {
      choices: ORGANISATION_KINDS.map((k) => [k, t(`web.admin.organisations.kinds.${k}`)] as const),
    })}
    ${field('parent', t('web.admin.organisations.parent'), editing?.parent ?? '', typed, {
      choices: [
        ['', t('web.admin.organisations.noParent')] as const,
        ...parents.map((o) => [o.code, `${o.name[reader.locale]} (${o.code})`] as const),
      ],
    })}
    <p><button type="submit">${t(editing ? 'web.admin.organisations.save' : 'web.admin.organisations.add')}</button></p>
  </form>`;
}

export function renderOrganisations(
  reader: Reader,
  orgs: OrganisationInfo[],
  editing: Editing,
  message?: OrganisationsMessage,
  typed?: FieldState,
): string {
  const t = translator(reader.locale);
  const title = t('web.admin.organisations.title');
  const name = (code: string | null) =>
    code ? (orgs.find((o) => o.code === code)?.name[reader.locale] ?? code) : '—';
  const body = html`<h1>${title}</h1>
    ${adminNav(reader, 'organisations')}
    <p>${t('web.admin.organisations.intro')}</p>
    ${
      message
        ? html`<p class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">${message.text}</p>`
        : ''
    }
    <table>
      <thead>
        <tr>
          <th scope="col">${t('web.admin.organisations.colName')}</th>
          <th scope="col">${t('web.admin.organisations.kind')}</th>
          <th scope="col">${t('web.admin.organisations.parent')}</th>
          <th scope="col">${t('web.admin.organisations.colOwner')}</th>
          <th scope="col"><span class="sr">${t('web.admin.organisations.colEdit')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${orgs.map(
          (o) => html`<tr id="org-${o.code}">
            <th scope="row">${o.name[reader.locale]} <span class="small muted">${o.code}</span></th>
            <td>${t(`web.admin.organisations.kinds.${o.kind}`)}</td>
            <td>${name(o.parent)}</td>
            <td>${o.agency} · ${t(`web.session.country.${o.country}`)} · v${String(o.version)}</td>
            <td><a href="/admin/organisations?edit=${o.code}#org-form">${t('web.admin.organisations.edit', { name: o.name[reader.locale] })}</a></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <h2 id="org-form">${editing ? t('web.admin.organisations.editing', { name: editing.name[reader.locale] }) : t('web.admin.organisations.new')}</h2>
    ${orgForm(t, reader, orgs, editing, typed)}`;
  return page({ reader, title, section: 'admin', body });
}
