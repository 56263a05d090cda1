/**
 * `/inbox`: a signed-in user's notices, newest first: what happened to which result or period, by whom
 * and when, each linked to the page where it is acted on; the unread ones marked, with a button that
 * marks one read and one that marks them all. Plain forms with the session's CSRF token; no script.
 * @module
 */
import { formatDate, formatNumber, translator } from '../../i18n/index.js';
import { noticeText } from '../../notifications/notice-text.js';
import type { Notice } from '../../records/notification-repository.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';

export interface InboxView {
  notices: Notice[];
  unread: number;
  total: number;
}

function readButton(reader: Reader, label: string, id?: string): Html {
  return html`<form method="post" action="/inbox/read" class="decision">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    ${id ? html`<input type="hidden" name="id" value="${id}" />` : html`<input type="hidden" name="all" value="1" />`}
    <button type="submit">${label}</button>
  </form>`;
}

export function renderInbox(reader: Reader, inbox: InboxView, done?: string): string {
  const { locale } = reader;
  const t = translator(locale);
  const n = (v: number) => formatNumber(locale, v, { maximumFractionDigits: 0 });
  const title = t('web.inbox.title');
  const lead =
    inbox.total === 0
      ? t('web.inbox.empty')
      : t('web.inbox.lead', { unread: inbox.unread, unreadText: n(inbox.unread), total: n(inbox.total) });
  const items = inbox.notices.map((notice) => {
    const text = noticeText(locale, notice.event, notice.subject);
    return html`<li class="notice${notice.read ? '' : ' unread'}" id="notice-${notice.id}">
      <p class="small muted">
        <span class="badge ${notice.event}">${t(`web.inbox.event.${notice.event}`)}</span>
        ${notice.read ? '' : html`<strong>${t('web.inbox.unread')}</strong> ·`}
        <time datetime="${notice.at}">${formatDate(locale, notice.at, { time: true })} UTC</time>
      </p>
      <p><a href="${text.path}">${text.title}</a></p>
      <p>${text.detail}</p>
      ${notice.read ? '' : readButton(reader, t('web.inbox.markRead'), notice.id)}
    </li>`;
  });
  const body = html`<h1>${title}</h1>
    ${done ? html`<p class="card" role="status">${done}</p>` : ''}
    <p class="takeaway">${lead}</p>
    ${inbox.unread > 0 ? readButton(reader, t('web.inbox.markAllRead')) : ''}
    ${
      inbox.total > inbox.notices.length
        ? html`<p class="small muted">${t('web.inbox.showing', { shown: n(inbox.notices.length), total: n(inbox.total) })}</p>`
        : ''
    }
    <ol class="notices">
      ${items}
    </ol>
    <p class="small"><a href="/settings/notifications">${t('web.inbox.settingsLink')}</a> · ${t('web.inbox.feedHint')}</p>`;
  return page({ reader, title, section: 'inbox', body });
}
