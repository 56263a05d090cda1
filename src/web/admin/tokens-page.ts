/**
 * `/admin/tokens`: the API tokens of the admin's country (the operator's: both), newest first, with each
 * holder's agency and roles, who created it and when, its expiry, its last use and any revocation; a
 * form that creates one (the secret is shown once, on the answer to that form, never again); and a
 * revoke button on each token still in force. Plain forms with the session's CSRF token; no script.
 * @module
 */
import { formatDate, translator, type Translate } from '../../i18n/index.js';
import type { TokenInfo } from '../../records/token-repository.js';
import { field } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { adminNav } from './admin-nav.js';
import { holderFields, holderLine, type HolderState } from './holder-fields.js';

/** What the page shows above the list: a token just created (with its secret), a revocation, a refusal. */
export interface TokensMessage {
  kind: 'created' | 'done' | 'refused';
  text: string;
  secret?: string;
}

export type TokensState = HolderState;

function state(t: Translate, reader: Reader, k: TokenInfo): Html {
  if (k.revokedAt)
    return html`${t('web.admin.tokens.revokedBy', { user: k.revokedBy ?? '', date: formatDate(reader.locale, k.revokedAt) })}`;
  if (Date.parse(k.expiresAt) < Date.now()) return html`${t('web.admin.tokens.expired')}`;
  return html`<form method="post" action="/admin/tokens/${String(k.id)}/revoke" class="decision">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    <button type="submit">${t('web.admin.tokens.revoke', { id: k.id })}</button>
  </form>`;
}

function createForm(t: Translate, reader: Reader, typed?: TokensState): Html {
  return html`<form method="post" action="/admin/tokens" class="result-edit">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    ${field('user', t('web.admin.tokens.user'), '', typed, { required: true })}
    ${holderFields(t, reader, typed)}
    ${field('expires_in_days', t('web.admin.tokens.days'), '90', typed, { numeric: true })}
    <p><button type="submit">${t('web.admin.tokens.create')}</button></p>
  </form>`;
}

export function renderTokens(
  reader: Reader,
  tokens: TokenInfo[],
  message?: TokensMessage,
  typed?: TokensState,
): string {
  const t = translator(reader.locale);
  const title = t('web.admin.tokens.title');
  const notice = message
    ? html`<div class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">
        <p>${message.text}</p>
        ${message.secret ? html`<p><code class="secret">${message.secret}</code></p><p class="small">${t('web.admin.tokens.once')}</p>` : ''}
      </div>`
    : '';
  const date = (iso: string | null) => (iso ? formatDate(reader.locale, iso, { time: true }) : '—');
  const body = html`<h1>${title}</h1>
    ${adminNav(reader, 'tokens')}
    <p>${t('web.admin.tokens.intro')}</p>
    ${notice}
    <table>
      <thead>
        <tr>
          <th scope="col">${t('web.admin.tokens.colHolder')}</th>
          <th scope="col">${t('web.admin.tokens.colCreated')}</th>
          <th scope="col">${t('web.admin.tokens.colExpires')}</th>
          <th scope="col">${t('web.admin.tokens.colLastUse')}</th>
          <th scope="col">${t('web.admin.tokens.colState')}</th>
        </tr>
      </thead>
      <tbody>
        ${tokens.map(
          (k) =>
            html`<tr id="token-${String(k.id)}">
              <th scope="row">${k.user}<br /><span class="small muted">${holderLine(t, k)}</span></th>
              <td>${date(k.createdAt)}<br /><span class="small muted">${k.createdBy}</span></td>
              <td>${date(k.expiresAt)}</td>
              <td>${date(k.lastUsedAt)}</td>
              <td>${state(t, reader, k)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>${t('web.admin.tokens.new')}</h2>
    ${createForm(t, reader, typed)}`;
  return page({ reader, title, section: 'admin', body });
}
