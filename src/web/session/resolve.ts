/**
 * Who reads a page: the session its cookie names, as an official with the same rights the API gives a
 * token of the same roles, or an anonymous reader. A session that has just run out (idle or at its
 * absolute end) is ended, its cookie cleared, and the page says so.
 * @module
 */
import type { Context } from 'hono';
import { csrfToken, SESSION_POLICY, sessionFromCookie } from '../../accounts/sessions.js';
import { translator } from '../../i18n/index.js';
import type { RecordsStore } from '../../records/database.js';
import type { OpenSession } from '../../records/session-repository.js';
import { localeOf } from '../locale.js';
import type { Reader } from '../reader.js';
import { clearSessionCookie, sessionCookie } from './cookies.js';

export interface ResolvedReader {
  reader: Reader;
  /** The open session, when signed in. */
  session?: OpenSession;
}

export async function resolveReader(
  c: Context,
  store: RecordsStore,
  now?: () => Date,
): Promise<ResolvedReader> {
  const locale = localeOf(c);
  const url = new URL(c.req.url);
  const cookie = sessionCookie(c);
  if (!cookie) return { reader: { locale, url, viewer: null } };
  // The inbox count is for the menu of a page read; a form post (answered by a redirect) skips it.
  const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
  const found = await sessionFromCookie(store, cookie, now, { unread: reading });
  if (!found || 'ended' in found) {
    clearSessionCookie(c);
    const t = translator(locale);
    const notice =
      found?.ended === 'idle'
        ? t('web.session.endedIdle', { minutes: SESSION_POLICY.idleMs / 60_000 })
        : found?.ended === 'expired'
          ? t('web.session.endedExpired', { hours: SESSION_POLICY.absoluteMs / 3_600_000 })
          : undefined;
    return { reader: { locale, url, viewer: null, ...(notice ? { notice } : {}) } };
  }
  const { name, userId: _id, ...official } = found.official;
  return {
    session: found,
    reader: {
      locale,
      url,
      viewer: official,
      session: {
        ...official,
        name,
        csrf: csrfToken(found),
        ...(found.unread === undefined ? {} : { unread: found.unread }),
      },
    },
  };
}
