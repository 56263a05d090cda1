/**
 * `GET /admin/webhooks`, `POST /admin/webhooks` (add one: its URL and events; the answer shows the
 * secret once) and `POST /admin/webhooks/{id}/disable`, for admins of their own country's webhooks.
 * Every change is audited, without the secret. A refusal changes nothing and is shown beside its field.
 * @module
 */
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { WebhookForm } from '../../domain/notification-input.js';
import { MarcoError, ValidationError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { newWebhookSecret } from '../../notifications/webhook-signature.js';
import { createWebhook, disableWebhook, webhooksOfCountry } from '../../records/notification-settings.js';
import {
  checkedForm,
  checkedRepeatedForm,
  doneNotice,
  pageStatus,
  RECORD_ID,
  refusal,
  writeOptions,
} from '../forms.js';
import type { FieldState } from '../form-field.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderWebhooks, type WebhooksMessage } from './webhooks-page.js';
import { z } from 'zod';

const Done = z.object({ done: z.literal('disabled'), id: z.coerce.number().int().min(1) });

const countryOf = (ctx: PageContext) => (ctx.reader.viewer as { country: 'US' | 'MX' }).country;

async function webhooksPage(
  ctx: PageContext,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 415 | 422,
  message?: WebhooksMessage,
  typed?: FieldState & { events?: string[] },
) {
  const shown =
    message ?? doneNotice(ctx, Done, (t, d) => t('web.admin.webhooks.doneDisabled', { id: d.id }));
  ctx.c.header('Cache-Control', 'no-store');
  return ctx.c.html(
    renderWebhooks(ctx.reader, await webhooksOfCountry(ctx.store, countryOf(ctx)), shown, typed),
    status,
  );
}

export const WEBHOOK_PAGES: readonly PageRoute[] = [
  {
    path: '/admin/webhooks',
    permission: 'manage:webhooks',
    handle: (ctx) => webhooksPage(ctx, 200),
  },
  {
    method: 'post',
    path: '/admin/webhooks',
    permission: 'manage:webhooks',
    async handle(ctx) {
      const posted = await checkedRepeatedForm(ctx);
      if (posted instanceof Response) return posted;
      const t = translator(ctx.reader.locale);
      const url = posted.form.url ?? '';
      const events = (posted.all.events ?? []).filter((e): e is string => typeof e === 'string');
      const parsed = safeParseInput(WebhookForm, { url, events });
      if (!parsed.success) {
        const shown = refusal(t, ctx.reader.locale, new ValidationError(zodIssues(parsed.error)), [
          'url',
          'events',
        ]);
        const errors = Object.fromEntries(
          Object.entries(shown.errors).map(([k, v]) => [k.startsWith('events') ? 'events' : k, v]),
        );
        return webhooksPage(ctx, 422, shown.alert ? { kind: 'refused', text: shown.alert } : undefined, {
          typed: { url },
          errors,
          events,
        });
      }
      const made = await createWebhook(
        ctx.store,
        writeOptions(ctx),
        { ...parsed.data, country: countryOf(ctx) },
        newWebhookSecret(),
      );
      return webhooksPage(ctx, 200, {
        kind: 'created',
        text: t('web.admin.webhooks.created', { id: made.id, url: parsed.data.url }),
        secret: made.secret,
      });
    },
  },
  {
    method: 'post',
    path: '/admin/webhooks/:id/disable',
    permission: 'manage:webhooks',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const id = ctx.c.req.param('id') ?? '';
      if (!RECORD_ID.test(id)) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      try {
        await disableWebhook(ctx.store, writeOptions(ctx), Number(id), countryOf(ctx));
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return webhooksPage(ctx, pageStatus(error), {
          kind: 'refused',
          text: error.messageIn(ctx.reader.locale),
        });
      }
      return ctx.c.redirect(`/admin/webhooks?done=disabled&id=${id}`, 303);
    },
  },
];
