/**
 * The page shell every web page shares: language, title, navigation, the language switch (a link to the
 * same page with `lang` swapped; the choice is remembered in a cookie by the server), the main content
 * and the footer. No script and no external asset: the one stylesheet is served by Marco (`style.ts`).
 * @module
 */
import { translator, type Locale, type Translate } from '../i18n/index.js';
import { html, type Html } from './html.js';
import { STYLESHEET_PATH } from './style.js';

export interface PageOptions {
  locale: Locale;
  title: string;
  /** The request's path and query, for the language switch. */
  url: URL;
  /** Which navigation entry is current. */
  section?: 'home' | 'explore' | 'places' | 'figures' | 'evaluations';
  body: Html;
}

/** The same URL with `lang` set to `locale`. */
export function withLang(url: URL, locale: Locale): string {
  const copy = new URL(url.toString());
  copy.searchParams.set('lang', locale);
  return `${copy.pathname}${copy.search}`;
}

export function page(o: PageOptions): string {
  const t: Translate = translator(o.locale);
  const other: Locale = o.locale === 'en' ? 'es' : 'en';
  const item = (section: NonNullable<PageOptions['section']>, href: string) =>
    html`<li>
      <a href="${href}" ${o.section === section ? html`aria-current="page"` : ''}
        >${t(`web.nav.${section}`)}</a
      >
    </li>`;
  return `<!doctype html>${
    html`<html lang="${o.locale === 'es' ? 'es-MX' : 'en-US'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="data:," />
        <title>${o.title} · Marco</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
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
                  item('evaluations', '/evaluations'),
                ]}
              </ul>
            </nav>
            <a class="lang" href="${withLang(o.url, other)}" hreflang="${other}" lang="${other}"
              >${t('web.switchLanguage')}</a
            >
          </div>
        </header>
        <main class="wrap" id="main">${o.body}</main>
        <footer><div class="wrap">${t('web.footer')}</div></footer>
      </body>
    </html>`.text
  }`;
}
