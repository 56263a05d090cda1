/**
 * The administration pages' own navigation: periods, users, tokens and webhooks, the current one marked.
 * @module
 */
import { translator } from '../../i18n/index.js';
import { html, type Html } from '../html.js';
import type { Reader } from '../reader.js';

const PAGES = [
  ['periods', '/admin/periods'],
  ['users', '/admin/users'],
  ['tokens', '/admin/tokens'],
  ['webhooks', '/admin/webhooks'],
] as const;

export function adminNav(reader: Reader, current: (typeof PAGES)[number][0]): Html {
  const t = translator(reader.locale);
  return html`<nav aria-label="${t('web.admin.nav')}" class="sub">
    <ul>
      ${PAGES.map(
        ([name, href]) =>
          html`<li><a href="${href}" ${name === current ? html`aria-current="page"` : ''}>${t(`web.admin.${name}.title`)}</a></li>`,
      )}
    </ul>
  </nav>`;
}
