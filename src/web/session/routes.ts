/**
 * Signing in and out: `GET /login` shows the form (with a fresh form token, also set as a cookie),
 * `POST /login` checks the form token, then the user name and password, and starts a session;
 * `POST /logout` checks the session's CSRF token and ends it. Refusals are pages in the reader's
 * language with the status that says why: 403 for a missing or wrong form token, 400 for a missing
 * field, 401 for a wrong user name or password (counted by the failed-authentication rate limit), 429
 * with `Retry-After` while an account is locked.
 * @module
 */
import { log } from '../../log.js';
import { logFailedAuth } from '../access-log.js';
import type { Context } from 'hono';
import {
  csrfToken,
  newFormToken,
  sameToken,
  SESSION_POLICY,
  signIn,
  signOut,
} from '../../accounts/sessions.js';
import { formatDate, translator } from '../../i18n/index.js';
import type { PageContext, PageRoute } from '../page-route.js';
import type { Reader } from '../reader.js';
import {
  clearFormCookie,
  clearSessionCookie,
  formCookie,
  setFormCookie,
  setSessionCookie,
} from './cookies.js';
import { messagePage, renderLogin } from './login-page.js';

/** Where to go after signing in: a local path only (never another site), else the home page. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.length <= 2000 && /^\/(?![/\\])[^\s\\]*$/.test(next) ? next : '/';
}

/** The posted form's text fields; undefined when the body is not a form. */
export async function readForm(c: Context): Promise<Record<string, string> | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return undefined;
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** 403: a form without its CSRF token, with a wrong one, or posted from another site. Nothing was done. */
export function formRefused(c: Context, reader: Reader): Response {
  const t = translator(reader.locale);
  return c.html(messagePage(reader, t('web.session.formRefusedTitle'), t('web.session.formRefused')), 403);
}

/** 413: a form post larger than any of Marco's forms. Nothing was done. */
export function formTooLarge(c: Context, reader: Reader, limit: number): Response {
  const t = translator(reader.locale);
  return c.html(
    messagePage(reader, t('web.session.formRefusedTitle'), t('limits.bodyTooLarge', { limit })),
    413,
  );
}

const refusedForm = (ctx: PageContext) => formRefused(ctx.c, ctx.reader);

const notAForm = (ctx: PageContext) => {
  const t = translator(ctx.reader.locale);
  return ctx.c.html(
    messagePage(ctx.reader, t('web.session.formRefusedTitle'), t('web.session.notAForm')),
    415,
  );
};

/** The form again, with a new form token, the user name kept and an error. */
function loginAgain(ctx: PageContext, status: 400 | 401 | 429, next: string, user: string, error: string) {
  const token = newFormToken();
  setFormCookie(ctx.c, token);
  return ctx.c.html(renderLogin(ctx.reader, { formToken: token, next, user, error }), status);
}

export const SESSION_PAGES: readonly PageRoute[] = [
  {
    path: '/login',
    permission: 'read',
    async handle(ctx) {
      const next = safeNext(ctx.c.req.query('next'));
      if (ctx.session) return ctx.c.redirect(next, 303);
      const t = translator(ctx.reader.locale);
      const token = newFormToken();
      setFormCookie(ctx.c, token);
      // The form carries this reader's own token: never kept by a browser, a proxy or the page cache.
      ctx.c.header('Cache-Control', 'no-store');
      const notice = ctx.c.req.query('ended') === 'signed-out' ? t('web.session.signedOut') : undefined;
      return ctx.c.html(renderLogin(ctx.reader, { formToken: token, next, ...(notice ? { notice } : {}) }));
    },
  },
  {
    method: 'post',
    path: '/login',
    permission: 'read',
    async handle(ctx) {
      const { c, reader } = ctx;
      const t = translator(reader.locale);
      const form = await readForm(c);
      if (!form) return notAForm(ctx);
      const expected = formCookie(c);
      if (!expected || !sameToken(expected, form._csrf)) return refusedForm(ctx);
      const next = safeNext(form.next);
      const user = (form.user ?? '').trim().slice(0, 64);
      const password = form.password ?? '';
      if (!user || !password) return loginAgain(ctx, 400, next, user, t('web.session.missing'));
      const outcome = await signIn(ctx.store, { user, password, client: ctx.client ?? null }, ctx.now);
      if (!outcome.ok)
        logFailedAuth(ctx.log ?? log, c, outcome.reason === 'locked' ? 'locked' : 'wrong_password', user);
      if (!outcome.ok && outcome.reason === 'locked') {
        const seconds = Math.max(
          1,
          Math.ceil((Date.parse(outcome.until) - (ctx.now?.() ?? new Date()).getTime()) / 1000),
        );
        c.header('Retry-After', String(seconds));
        const until = formatDate(reader.locale, outcome.until, { time: true });
        return loginAgain(ctx, 429, next, user, t('web.session.locked', { until }));
      }
      if (!outcome.ok)
        return loginAgain(
          ctx,
          401,
          next,
          user,
          t('web.session.wrong', {
            count: SESSION_POLICY.lockAfter,
            minutes: SESSION_POLICY.lockMs / 60_000,
          }),
        );
      // A new sign-in replaces the session this browser had, if any (a fresh cookie every time).
      if (ctx.session) await signOut(ctx.store, ctx.session, ctx.now);
      clearFormCookie(c);
      setSessionCookie(c, outcome.cookie);
      return c.redirect(next, 303);
    },
  },
  {
    method: 'post',
    path: '/logout',
    permission: 'read',
    async handle(ctx) {
      const { c } = ctx;
      const form = await readForm(c);
      if (!form) return notAForm(ctx);
      if (!ctx.session) return c.redirect('/login', 303);
      if (!sameToken(csrfToken(ctx.session), form._csrf)) return refusedForm(ctx);
      await signOut(ctx.store, ctx.session, ctx.now);
      clearSessionCookie(c);
      return c.redirect('/login?ended=signed-out', 303);
    },
  },
];
