/**
 * The administration pages: `GET /admin/periods` (the reporting periods, their results by status and
 * their locks) and `POST /admin/periods/{code}/lock`, which locks a period through the same service, rules
 * and audited write as `POST /api/v1/periods/{code}/lock`; `GET /admin/tokens`, `POST /admin/tokens` and
 * `POST /admin/tokens/{id}/revoke`, through the same service as `/api/v1/tokens`. A refusal changes nothing and is shown on the
 * page, in the reader's language, with the API's status.
 * @module
 */
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { issueToken, revokeTokenAs, tokensOf } from '../../accounts/token-admin.js';
import { PeriodCode, safeParseInput } from '../../domain/common-schema.js';
import { MarcoError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { lockPeriod } from '../../monitoring/period-lock.js';
import { periodOverview } from '../../records/period-overview.js';
import {
  RECORD_ID,
  checkedForm,
  doneNotice,
  pageStatus,
  refusal,
  writeOptions,
  type RefusedStatus,
} from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderPeriods, type PeriodsMessage } from './periods-page.js';
import { readHolderForm } from './holder-fields.js';
import { renderTokens, type TokensMessage, type TokensState } from './tokens-page.js';

const Done = z.object({
  done: z.literal('locked'),
  period: PeriodCode,
  count: z.coerce.number().int().min(0),
});

async function periodsPage(ctx: PageContext, status: 200 | RefusedStatus, message?: PeriodsMessage) {
  const shown =
    message ??
    doneNotice(ctx, Done, (t, d) => t('web.admin.periods.done', { period: d.period, count: d.count }));
  return ctx.c.html(renderPeriods(ctx.reader, await periodOverview(ctx.store), shown), status);
}

const TOKEN_FIELDS = {
  user: 'user',
  country: 'country',
  agency: 'agency',
  roles: 'roles',
  expiresInDays: 'expires_in_days',
};

const TokenDone = z.object({ done: z.literal('revoked'), id: z.coerce.number().int().min(1) });

async function tokensPage(
  ctx: PageContext,
  status: 200 | RefusedStatus,
  message?: TokensMessage,
  typed?: TokensState,
) {
  const shown =
    message ?? doneNotice(ctx, TokenDone, (t, d) => t('web.admin.tokens.doneRevoked', { id: d.id }));
  const tokens = await tokensOf(ctx.store, ctx.reader.viewer as Official);
  // A page that shows a secret is never stored by a browser or a proxy.
  ctx.c.header('Cache-Control', 'no-store');
  return ctx.c.html(renderTokens(ctx.reader, tokens, shown, typed), status);
}

export const ADMIN_PAGES: readonly PageRoute[] = [
  {
    path: '/admin/tokens',
    permission: 'manage:tokens',
    handle: (ctx) => tokensPage(ctx, 200),
  },
  {
    method: 'post',
    path: '/admin/tokens',
    permission: 'manage:tokens',
    async handle(ctx) {
      const t = translator(ctx.reader.locale);
      const posted = await readHolderForm(ctx);
      if (posted instanceof Response) return posted;
      const { form, roles, admin } = posted;
      const typed = { typed: form, errors: {}, roles };
      const days = form.expires_in_days?.trim() ? Number(form.expires_in_days) : undefined;
      try {
        const made = await issueToken(
          ctx.store,
          admin,
          {
            user: (form.user ?? '').trim(),
            country: admin.country,
            agency: (form.agency ?? '').trim(),
            roles,
            expiresInDays: days,
          },
          writeOptions(ctx),
          TOKEN_FIELDS,
        );
        return tokensPage(ctx, 200, {
          kind: 'created',
          text: t('web.admin.tokens.created', { id: made.id, user: made.user }),
          secret: made.token,
        });
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        const shown = refusal(t, ctx.reader.locale, error, Object.values(TOKEN_FIELDS));
        return tokensPage(
          ctx,
          pageStatus(error),
          shown.alert ? { kind: 'refused', text: shown.alert } : undefined,
          { ...typed, errors: shown.errors },
        );
      }
    },
  },
  {
    method: 'post',
    path: '/admin/tokens/:id/revoke',
    permission: 'manage:tokens',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const id = ctx.c.req.param('id') ?? '';
      if (!RECORD_ID.test(id)) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      try {
        await revokeTokenAs(
          ctx.store,
          ctx.reader.viewer as Official,
          Number(id),
          writeOptions(ctx),
          'notFound.hint.tokensApi',
        );
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return tokensPage(ctx, pageStatus(error), {
          kind: 'refused',
          text: error.messageIn(ctx.reader.locale),
        });
      }
      return ctx.c.redirect(`/admin/tokens?done=revoked&id=${id}`, 303);
    },
  },
  {
    path: '/admin/periods',
    permission: 'lock:periods',
    handle: (ctx) => periodsPage(ctx, 200),
  },
  {
    method: 'post',
    path: '/admin/periods/:code/lock',
    permission: 'lock:periods',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const code = safeParseInput(PeriodCode, ctx.c.req.param('code'));
      if (!code.success) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      const reason = form.override_reason?.trim() || undefined;
      const official = ctx.reader.viewer as Official;
      try {
        const count = await lockPeriod(ctx.store, official, code.data, reason, {
          actor: official.user,
          ...(ctx.now ? { now: ctx.now } : {}),
        });
        return ctx.c.redirect(
          `/admin/periods?done=locked&period=${encodeURIComponent(code.data)}&count=${count}`,
          303,
        );
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return periodsPage(ctx, pageStatus(error), {
          kind: 'refused',
          text: error.messageIn(ctx.reader.locale),
          period: code.data,
          ...(reason ? { reason } : {}),
        });
      }
    },
  },
];
