/**
 * `/admin/users`: the users of the admin's country (the operator's: both), by user name, with name,
 * agency, roles, when their password last changed, any lockout after wrong passwords, and whether they
 * are disabled; a form that creates a user with a first password; and, for each user still enabled, a
 * form that sets a new password (which clears a lockout and ends their sessions) and a button that
 * disables them. Plain forms with the session's CSRF token; no script. Passwords are never shown.
 * @module
 */
import { formatDate, translator, type Translate } from '../../i18n/index.js';
import type { UserInfo } from '../../records/user-repository.js';
import { field } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { adminNav } from './admin-nav.js';
import { holderFields, holderLine, type HolderState } from './holder-fields.js';

export interface UsersMessage {
  kind: 'done' | 'refused';
  text: string;
  /** The user whose row the refusal is about. */
  id?: number;
}

export type UsersState = HolderState;

function actions(t: Translate, reader: Reader, u: UserInfo, message?: UsersMessage): Html {
  if (u.disabledAt)
    return html`${t('web.admin.users.disabledBy', { user: u.disabledBy ?? '', date: formatDate(reader.locale, u.disabledAt) })}`;
  const csrf = reader.session!.csrf;
  const error = message?.kind === 'refused' && message.id === u.id ? message.text : undefined;
  const id = `password-${String(u.id)}`;
  return html`<form method="post" action="/admin/users/${String(u.id)}/password" class="decision">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label for="${id}">${t('web.admin.users.newPassword')}</label>
      <input type="password" id="${id}" name="password" autocomplete="new-password" ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ''} />
      ${error ? html`<span class="small warn" id="${id}-error">${error}</span>` : ''}
      <button type="submit">${t('web.admin.users.setPassword')}</button>
    </form>
    <form method="post" action="/admin/users/${String(u.id)}/disable" class="decision">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <button type="submit">${t('web.admin.users.disable', { user: u.user })}</button>
    </form>`;
}

function createForm(t: Translate, reader: Reader, typed?: UsersState): Html {
  return html`<form method="post" action="/admin/users" class="result-edit">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    ${field('user', t('web.admin.users.user'), '', typed, { required: true })}
    ${field('name', t('web.admin.users.name'), '', typed, { required: true })}
    ${holderFields(t, reader, typed)}
    <p>
      <label for="password">${t('web.admin.users.firstPassword')}</label>
      <span class="small muted" id="password-hint">${t('web.admin.users.passwordHint')}</span>
      <input type="password" id="password" name="password" autocomplete="new-password" aria-describedby="password-hint${typed?.errors.password ? ' password-error' : ''}" ${typed?.errors.password ? html`aria-invalid="true"` : ''} />
      ${typed?.errors.password ? html`<span class="small warn" id="password-error">${typed.errors.password}</span>` : ''}
    </p>
    <p><button type="submit">${t('web.admin.users.create')}</button></p>
  </form>`;
}

export function renderUsers(
  reader: Reader,
  users: UserInfo[],
  message?: UsersMessage,
  typed?: UsersState,
): string {
  const t = translator(reader.locale);
  const title = t('web.admin.users.title');
  const notice =
    message && message.id === undefined
      ? html`<p class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">${message.text}</p>`
      : '';
  const date = (iso: string | null) => (iso ? formatDate(reader.locale, iso, { time: true }) : '—');
  const body = html`<h1>${title}</h1>
    ${adminNav(reader, 'users')}
    <p>${t('web.admin.users.intro')}</p>
    ${notice}
    <table>
      <thead>
        <tr>
          <th scope="col">${t('web.admin.users.colUser')}</th>
          <th scope="col">${t('web.admin.users.colPassword')}</th>
          <th scope="col">${t('web.admin.users.colLocked')}</th>
          <th scope="col">${t('web.admin.users.colActions')}</th>
        </tr>
      </thead>
      <tbody>
        ${users.map(
          (u) =>
            html`<tr id="user-${String(u.id)}">
              <th scope="row">${u.name} <span class="small muted">(${u.user})</span><br /><span class="small muted">${holderLine(t, u)}</span></th>
              <td>${date(u.passwordChangedAt)}</td>
              <td>${u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? t('web.admin.users.lockedUntil', { date: date(u.lockedUntil) }) : '—'}</td>
              <td>${actions(t, reader, u, message)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>${t('web.admin.users.new')}</h2>
    ${createForm(t, reader, typed)}`;
  return page({ reader, title, section: 'admin', body });
}
