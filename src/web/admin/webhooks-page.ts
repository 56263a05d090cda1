/**
 * `/admin/webhooks`: the signed webhooks of the admin's country, newest first, with the events each
 * takes, who added it, how its calls went (delivered, failing, the last error) and a button to disable
 * it; and a form that adds one. The secret that signs its calls is shown once, on the answer to that
 * form. Plain forms with the session's CSRF token; no script.
 * @module
 */
import { NOTIFICATION_EVENTS } from '../../domain/notification-input.js';
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import type { WebhookInfo } from '../../records/notification-settings.js';
import { field, type FieldState } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { adminNav } from './admin-nav.js';

export interface WebhooksMessage {
  kind: 'created' | 'done' | 'refused';
  text: string;
  secret?: string;
}

function state(t: Translate, reader: Reader, h: WebhookInfo): Html {
  if (h.disabledAt)
    return html`${t('web.admin.webhooks.disabledBy', { user: h.disabledBy ?? '', date: formatDate(reader.locale, h.disabledAt) })}`;
  return html`<form method="post" action="/admin/webhooks/${String(h.id)}/disable" class="decision">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    <button type="submit">${t('web.admin.webhooks.disable', { id: h.id })}</button>
  </form>`;
}

function createForm(t: Translate, reader: Reader, typed?: FieldState & { events?: string[] }): Html {
  const chosen = typed?.events ?? ['submitted', 'returned', 'approved', 'locked'];
  const error = typed?.errors.events;
  return html`<form method="post" action="/admin/webhooks" class="result-edit">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    ${field('url', t('web.admin.webhooks.url'), '', typed, { required: true, hint: t('web.admin.webhooks.urlHint') })}
    <fieldset ${error ? html`aria-describedby="events-error"` : ''}>
      <legend>${t('web.admin.webhooks.events')}</legend>
      ${NOTIFICATION_EVENTS.map(
        (e) => html`<label class="inline"
          ><input type="checkbox" name="events" value="${e}" ${chosen.includes(e) ? html`checked` : ''} />
          ${t(`web.inbox.event.${e}`)}</label
        >`,
      )}
      ${error ? html`<p class="error" id="events-error">${error}</p>` : ''}
    </fieldset>
    <p><button type="submit">${t('web.admin.webhooks.create')}</button></p>
  </form>`;
}

export function renderWebhooks(
  reader: Reader,
  hooks: WebhookInfo[],
  message?: WebhooksMessage,
  typed?: FieldState & { events?: string[] },
): string {
  const t = translator(reader.locale);
  const n = (v: number) => formatNumber(reader.locale, v, { maximumFractionDigits: 0 });
  const title = t('web.admin.webhooks.title');
  const notice = message
    ? html`<div class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">
        <p>${message.text}</p>
        ${message.secret ? html`<p><code class="secret">${message.secret}</code></p><p class="small">${t('web.admin.webhooks.once')}</p>` : ''}
      </div>`
    : '';
  const body = html`<h1>${title}</h1>
    ${adminNav(reader, 'webhooks')}
    <p>${t('web.admin.webhooks.intro')}</p>
    ${notice}
    ${
      hooks.length === 0
        ? html`<p>${t('web.admin.webhooks.none')}</p>`
        : html`<table>
          <thead>
            <tr>
              <th scope="col">${t('web.admin.webhooks.colUrl')}</th>
              <th scope="col">${t('web.admin.webhooks.colEvents')}</th>
              <th scope="col">${t('web.admin.webhooks.colCreated')}</th>
              <th scope="col">${t('web.admin.webhooks.colCalls')}</th>
              <th scope="col">${t('web.admin.webhooks.colState')}</th>
            </tr>
          </thead>
          <tbody>
            ${hooks.map(
              (h) => html`<tr id="webhook-${String(h.id)}">
                <th scope="row"><code>${h.url}</code></th>
                <td>${h.events.map((e) => t(`web.inbox.event.${e}`)).join(', ')}</td>
                <td>${formatDate(reader.locale, h.createdAt)}<br /><span class="small muted">${h.createdBy}</span></td>
                <td>
                  ${t('web.admin.webhooks.calls', { delivered: n(h.delivered), failing: n(h.failing) })}
                  ${h.lastError ? html`<br /><span class="small muted">${t('web.admin.webhooks.lastError', { error: h.lastError })}</span>` : ''}
                </td>
                <td>${state(t, reader, h)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
    <h2>${t('web.admin.webhooks.new')}</h2>
    ${createForm(t, reader, typed)}`;
  return page({ reader, title, section: 'admin', body });
}
