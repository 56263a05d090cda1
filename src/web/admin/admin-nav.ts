/**
 * The administration pages' own navigation: periods, users, tokens, organisations, webhooks and
 * statistics vintages, each shown to those whose roles open it, the current one marked.
 * @module
 */
import { hasPermission, type Permission } from '../../access/permissions.js';
import { translator } from '../../i18n/index.js';
import { html, type Html } from '../html.js';
import type { Reader } from '../reader.js';

export const ADMIN_PAGES_NAV = [
  ['periods', '/admin/periods', 'lock:periods'],
  ['users', '/admin/users', 'manage:users'],
  ['tokens', '/admin/tokens', 'manage:tokens'],
  ['organisations', '/admin/organisations', 'manage:organisations'],
  ['webhooks', '/admin/webhooks', 'manage:webhooks'],
  ['vintages', '/admin/vintages', 'import:statistics'],
] as const satisfies readonly (readonly [string, string, Permission])[];

/** The first administration page `reader` may open, for the main navigation; none for others. */
export const firstAdminPage = (reader: Reader): string | undefined =>
  ADMIN_PAGES_NAV.find(([, , permission]) => reader.session && hasPermission(reader.viewer, permission))?.[1];

export function adminNav(reader: Reader, current: (typeof ADMIN_PAGES_NAV)[number][0]): Html {
  const t = translator(reader.locale);
  return html`<nav aria-label="${t('web.admin.nav')}" class="sub">
    <ul>
      ${ADMIN_PAGES_NAV.filter(([, , permission]) => hasPermission(reader.viewer, permission)).map(
        ([name, href]) =>
          html`<li><a href="${href}" ${name === current ? html`aria-current="page"` : ''}>${t(`web.admin.${name}.title`)}</a></li>`,
      )}
    </ul>
  </nav>`;
}
