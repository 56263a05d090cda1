/**
 * The two cookies of signing in, both `HttpOnly` and `Secure` when the page is served over TLS:
 * the session cookie (`SameSite=Lax`, so following a link into Marco keeps the reader signed in, while
 * another site's form posts arrive without it), and the sign-in form's own CSRF cookie
 * (`SameSite=Strict`, only sent to `/login`, for an hour).
 * @module
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_POLICY } from '../../accounts/sessions.js';

export const SESSION_COOKIE = 'marco_session';
export const FORM_COOKIE = 'marco_form';

const overTls = (c: Context) => new URL(c.req.url).protocol === 'https:';

export const sessionCookie = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE);
export const formCookie = (c: Context): string | undefined => getCookie(c, FORM_COOKIE);

export function setSessionCookie(c: Context, value: string): void {
  setCookie(c, SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: overTls(c),
    path: '/',
    // The browser may drop it at the absolute end; the server enforces both ends anyway.
    maxAge: Math.floor(SESSION_POLICY.absoluteMs / 1000),
  });
}

export const clearSessionCookie = (c: Context): void => {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: overTls(c) });
};

export function setFormCookie(c: Context, value: string): void {
  setCookie(c, FORM_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: overTls(c),
    path: '/login',
    maxAge: 3600,
  });
}

export const clearFormCookie = (c: Context): void => {
  deleteCookie(c, FORM_COOKIE, { path: '/login', secure: overTls(c) });
};
