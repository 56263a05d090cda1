/**
 * The page shell every web page shares: language, title, navigation, the language switch (a link to the
 * same page with `lang` swapped; the choice is remembered in a cookie by the server), the main content
 * and the footer. No script and no external asset: the one stylesheet is served by Marco (`style.ts`).
 * @module
 */
import { translator, type Locale, type Translate } from '../i18n/index.js';
import { html, type Html } from './html.js';
import type { Reader } from './reader.js';
import { STYLESHEET_PATH } from './style.js';
import { firstAdminPage } from './admin/admin-nav.js';

export interface PageOptions {
  /** Who reads the page, in which language, at which URL (for the language switch and session menu). */
  reader: Reader;
  title: string;
  /** Which navigation entry is current. */
  section?:
    | 'home'
    | 'explore'
    | 'places'
    | 'figures'
    | 'funding'
    | 'evaluations'
    | 'networks'
    | 'timeline'
    | 'reports'
    | 'review'
    | 'admin'
    | 'inbox';
  body: Html;
  /** Atom feeds of the page's subject, announced for feed readers. */
  feeds?: readonly { title: string; href: string }[];
}

/** The same URL with `lang` set to `locale`. */
export function withLang(url: URL, locale: Locale): string {
  const copy = new URL(url.toString());
  copy.searchParams.set('lang', locale);
  return `${copy.pathname}${copy.search}`;
}

/** The same page's path and query, for returning to it after signing in. */
const here = (url: URL) => `${url.pathname}${url.search}`;

/**
 * The session menu: a sign-in link for anonymous readers; for a signed-in user, who they are, their
 * agency and roles, and a sign-out form carrying the session's CSRF token (a disclosure, no script).
 */
function sessionMenu(t: Translate, reader: Reader): Html {
  const s = reader.session;
  if (!s)
    return reader.url.pathname === '/login'
      ? html``
      : html`<a class="session" href="/login?next=${encodeURIComponent(here(reader.url))}">${t('web.session.signIn')}</a>`;
  return html`<details class="session">
    <summary title="${t('web.session.menuLabel')}">${s.name}</summary>
    <div class="menu">
      <p>${t('web.session.signedInAs', { user: s.user })}<br />${s.agency} · ${t(`web.session.country.${s.country}`)}</p>
      <p class="small">${t('web.session.roles', { roles: s.roles.map((r) => t(`web.session.role.${r}`)).join(', ') })}</p>
      <p><a href="/settings/notifications">${t('web.inbox.settingsLink')}</a></p>
      <form method="post" action="/logout">
        <input type="hidden" name="_csrf" value="${s.csrf}" />
        <button type="submit">${t('web.session.signOut')}</button>
      </form>
    </div>
  </details>`;
}

/** The inbox's navigation entry, with the count of unread notices when there are any. */
function inboxItem(t: Translate, unread: number, current: boolean): Html {
  return html`<li>
    <a
      href="/inbox"
      ${current ? html`aria-current="page"` : ''}
      ${unread > 0 ? html`aria-label="${t('web.inbox.navUnread', { count: unread })}"` : ''}
      >${t('web.nav.inbox')}${unread > 0 ? html` <span class="count">${unread}</span>` : ''}</a
    >
  </li>`;
}

export function page(o: PageOptions): string {
  const locale = o.reader.locale;
  const t: Translate = translator(locale);
  const other: Locale = locale === 'en' ? 'es' : 'en';
  const item = (section: NonNullable<PageOptions['section']>, href: string) =>
    html`<li>
      <a href="${href}" ${o.section === section ? html`aria-current="page"` : ''}
        >${t(`web.nav.${section}`)}</a
      >
    </li>`;
  return `<!doctype html>${
    html`<html lang="${locale === 'es' ? 'es-MX' : 'en-US'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="data:," />
        <title>${o.title} · Marco</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
        ${(o.feeds ?? []).map((f) => html`<link rel="alternate" type="application/atom+xml" title="${f.title}" href="${f.href}" />`)}
      </head>
      <body>
        <a class="skip" href="#main">${t('web.nav.skip')}</a>
        <header class="top">
          <div class="wrap">
            <a class="brand" href="/">Marco</a>
            <nav aria-label="${t('web.nav.label')}">
              <ul>
                ${[
                  item('home', '/'),
                  item('explore', '/explore'),
                  item('places', '/places'),
                  item('figures', '/figures'),
                  item('funding', '/funding'),
                  item('evaluations', '/evaluations'),
                  item('networks', '/networks'),
                  item('timeline', '/timeline'),
                  // Reports are made with the requester's rights, so asking for one needs a session.
                  o.reader.session ? item('reports', '/reports') : '',
                  // The monitoring cycle's work, for those who report or approve results.
                  o.reader.session?.roles.some((r) => r === 'reporter' || r === 'approver')
                    ? item('review', '/review')
                    : '',
                  firstAdminPage(o.reader) ? item('admin', firstAdminPage(o.reader)!) : '',
                  o.reader.session ? inboxItem(t, o.reader.session.unread ?? 0, o.section === 'inbox') : '',
                ]}
              </ul>
            </nav>
            <a class="lang" href="${withLang(o.reader.url, other)}" hreflang="${other}" lang="${other}"
              >${t('web.switchLanguage')}</a
            >
            ${sessionMenu(t, o.reader)}
          </div>
        </header>
        <main class="wrap" id="main">
          ${o.reader.notice ? html`<p class="card" role="status">${o.reader.notice}</p>` : ''}${o.body}
        </main>
        <footer><div class="wrap">${t('web.footer')}</div></footer>
      </body>
    </html>`.text
  }`;
}
