/**
 * The sign-in page, and the short message pages of the session flow (a refused form, too many
 * attempts). The form posts to `/login` with its own CSRF token, which the sign-in handler checks against
 * the form cookie set with the page.
 * @module
 */
import { SESSION_POLICY } from '../../accounts/sessions.js';
import { translator } from '../../i18n/index.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';

export interface LoginForm {
  /** The form's CSRF token (also set as the form cookie). */
  formToken: string;
  /** The local path to return to after signing in. */
  next: string;
  /** The user name typed last time, kept on a refusal (never the password). */
  user?: string;
  /** A refusal or notice to show above the form, already in the reader's language. */
  error?: string;
  notice?: string;
}

export function renderLogin(reader: Reader, form: LoginForm): string {
  const t = translator(reader.locale);
  const body = html`<h1>${t('web.session.title')}</h1>
    <p>${t('web.session.intro')}</p>
    ${form.notice ? html`<p class="card" role="status">${form.notice}</p>` : ''}
    ${form.error ? html`<p class="card warn" role="alert" id="login-error">${form.error}</p>` : ''}
    <form method="post" action="/login" class="login">
      <input type="hidden" name="_csrf" value="${form.formToken}" />
      <input type="hidden" name="next" value="${form.next}" />
      <p>
        <label for="user">${t('web.session.user')}</label><br />
        <input id="user" name="user" autocomplete="username" required maxlength="64" value="${form.user ?? ''}"
          ${form.error ? html`aria-describedby="login-error"` : ''} />
      </p>
      <p>
        <label for="password">${t('web.session.password')}</label><br />
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" />
      </p>
      <p><button type="submit">${t('web.session.submit')}</button></p>
    </form>
    <p class="small muted">
      ${t('web.session.policy', {
        lockAfter: SESSION_POLICY.lockAfter,
        lockMinutes: SESSION_POLICY.lockMs / 60_000,
        idleMinutes: SESSION_POLICY.idleMs / 60_000,
        hours: SESSION_POLICY.absoluteMs / 3_600_000,
      })}
    </p>`;
  return page({ reader, title: t('web.session.title'), body });
}

/** A page that only says something: a refused form, too many attempts. */
export function messagePage(reader: Reader, title: string, message: string): string {
  const t = translator(reader.locale);
  return page({
    reader,
    title,
    body: html`<h1>${title}</h1>
      <p role="alert">${message}</p>
      <p><a href="/">${t('web.notFound.home')}</a></p>`,
  });
}
