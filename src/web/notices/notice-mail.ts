/**
 * The e-mail of a notice, in its reader's language: a subject that says what happened, a plain-text
 * body and the same in HTML (through the escaping renderer), with the page to open and how to stop the
 * e-mails. The dispatcher (`notifications/dispatch.ts`) sends it.
 * @module
 */
import { translator, type Locale } from '../../i18n/index.js';
import type { NoticeMail } from '../../notifications/dispatch.js';
import { noticeText } from '../../notifications/notice-text.js';
import type { NotificationEvent } from '../../records/schema.js';
import { html } from '../html.js';

/** The e-mail of one notice to `name`, in `locale`; links are made absolute with `publicUrl`. */
export function noticeMail(
  locale: Locale,
  name: string,
  event: NotificationEvent,
  subject: Record<string, unknown>,
  publicUrl: string,
): NoticeMail {
  const t = translator(locale);
  const notice = noticeText(locale, event, subject);
  const base = publicUrl.replace(/\/+$/, '');
  const lang = `lang=${locale}`;
  const open = `${base}${notice.path}?${lang}`;
  const settings = `${base}/settings/notifications?${lang}`;
  const inbox = `${base}/inbox?${lang}`;
  const lines = [
    t('notice.email.greeting', { name }),
    '',
    notice.title,
    notice.detail,
    '',
    t('notice.email.open', { url: open }),
    t('notice.email.inbox', { url: inbox }),
    '',
    '--',
    t('notice.email.why', { url: settings }),
  ];
  const body = html`<!doctype html>
    <html lang="${locale}">
      <body>
        <p>${t('notice.email.greeting', { name })}</p>
        <p><strong>${notice.title}</strong><br />${notice.detail}</p>
        <p><a href="${open}">${open}</a></p>
        <p><a href="${inbox}">${t('notice.email.inbox', { url: inbox })}</a></p>
        <hr />
        <p><small>${t('notice.email.why', { url: settings })}</small></p>
      </body>
    </html>`;
  return {
    subject: t('notice.email.subject', { title: notice.title }),
    text: lines.join('\n'),
    html: body.text,
  };
}
