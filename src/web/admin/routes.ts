/**
 * The administration pages: `GET /admin/periods` (the reporting periods, their results by status and
 * their locks) and `POST /admin/periods/{code}/lock`, which locks a period through the same service, rules
 * and audited write as `POST /api/v1/periods/{code}/lock`. A refusal changes nothing and is shown on the
 * page, in the reader's language, with the API's status.
 * @module
 */
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { PeriodCode, safeParseInput } from '../../domain/common-schema.js';
import { MarcoError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { lockPeriod } from '../../monitoring/period-lock.js';
import { periodOverview } from '../../records/period-overview.js';
import { checkedForm, pageStatus, type RefusedStatus } from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderPeriods, type PeriodsMessage } from './periods-page.js';

const Done = z.object({
  done: z.literal('locked'),
  period: PeriodCode,
  count: z.coerce.number().int().min(0),
});

async function periodsPage(ctx: PageContext, status: 200 | RefusedStatus, message?: PeriodsMessage) {
  const t = translator(ctx.reader.locale);
  let shown = message;
  const done = safeParseInput(Done, ctx.c.req.query());
  if (!shown && done.success)
    shown = {
      kind: 'done',
      text: t('web.admin.periods.done', { period: done.data.period, count: done.data.count }),
    };
  return ctx.c.html(renderPeriods(ctx.reader, await periodOverview(ctx.store), shown), status);
}

export const ADMIN_PAGES: readonly PageRoute[] = [
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
