/**
 * The page shell every web page shares: language, title, navigation, the language switch (a link to the
 * same page with `lang` swapped; the choice is remembered in a cookie by the server), the main content
 * and the footer. No script, no external asset: the styles are inline.
 * @module
 */
import { translator, type Locale, type Translate } from '../i18n/index.js';
import { html, raw, type Html } from './html.js';

// Okabe–Ito colours for statuses (distinguishable with the common colour-vision deficiencies); each
// status also carries its word, so colour is never the only signal.
const STYLE = `
:root{--ink:#1a1a1a;--muted:#555;--line:#ddd;--link:#0055aa}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:var(--ink);background:#fff}
.wrap{max-width:76rem;margin:0 auto;padding:0 1.25rem}
header.top{border-bottom:1px solid var(--line);background:#f7f7f5}
header.top .wrap{display:flex;gap:1.25rem;align-items:center;flex-wrap:wrap;padding:.6rem 1.25rem}
header.top .brand{font-weight:700;font-size:1.15rem;color:var(--ink);text-decoration:none}
nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0;flex-wrap:wrap}
nav a{color:var(--link)}nav a[aria-current=page]{font-weight:700;color:var(--ink)}
.lang{margin-left:auto}
main{padding:1rem 0 2rem}
h1{margin:.6rem 0 .4rem;font-size:1.7rem}h2{margin:1.6rem 0 .4rem;font-size:1.25rem}h3{margin:1.2rem 0 .3rem;font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.2rem;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td.n,th.n{text-align:right}
caption{text-align:left;font-weight:600;padding:.3rem 0}
a{color:var(--link)}
.muted{color:var(--muted)}.small{font-size:.88rem}
.s{display:inline-block;min-width:2.2rem;padding:0 .35rem;border-radius:.25rem;text-align:center;font-variant-numeric:tabular-nums}
.green{background:#009E73;color:#000}.amber{background:#E69F00;color:#000}.red{background:#D55E00;color:#000}.no_data{background:#e5e5e5;color:#000}
.warn{color:#8a3b00;font-weight:600}
.card{border:1px solid var(--line);border-radius:.4rem;padding:.8rem 1rem;margin:.8rem 0;background:#fff}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
form.explore{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.6rem 1rem;align-items:end;margin:.5rem 0 1rem}
form label{display:flex;flex-direction:column;font-size:.9rem;gap:.15rem}
form[role=search]{display:flex;gap:.5rem;align-items:end;margin:.6rem 0}form[role=search] label{flex:1;max-width:32rem}
input,select,button{font:inherit;padding:.3rem .4rem;border:1px solid #888;border-radius:.25rem;background:#fff;color:var(--ink)}
button{background:#0055aa;color:#fff;border-color:#0055aa;cursor:pointer}
figure{margin:.5rem 0 1rem}figcaption{font-size:.88rem;color:var(--muted)}
svg{max-width:100%;height:auto}
.legend{display:flex;gap:.3rem;flex-wrap:wrap;font-size:.85rem;align-items:center}
.legend span.box{display:inline-block;width:1.1rem;height:.8rem;border:1px solid #999;vertical-align:middle}
footer{border-top:1px solid var(--line);padding:1rem 0;color:var(--muted);font-size:.88rem}
code{background:#f1f1ee;padding:0 .2rem;border-radius:.2rem}
pre{background:#f1f1ee;padding:.6rem;overflow:auto}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
ul.warnings{border-left:4px solid #8a3b00;background:#fff6ee;padding:.5rem .5rem .5rem 1.6rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

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
        <style>
          ${raw(STYLE)}
        </style>
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
