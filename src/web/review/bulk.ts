/**
 * Approving a program's period at once: `GET /review/approve-all?program=&period=` lists every result of
 * that program and period awaiting the approver, with their values, and asks to confirm; `POST
 * /review/approve-all` approves exactly the results listed, at the versions shown, in one transaction
 * (`monitoring/bulk-approval.ts`): all or none, and a result changed since the page was shown stops the
 * batch, naming it. Plain forms with the session's CSRF token; no script.
 * @module
 */
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { safeParseInput } from '../../domain/common-schema.js';
import { MarcoError } from '../../error.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { approveBatch, MAX_BATCH } from '../../monitoring/bulk-approval.js';
import { reviewQueues } from '../../monitoring/queues.js';
import type { ResultView } from '../../records/result-repository.js';
import { checkedForm, pageStatus } from '../forms.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { placeNames } from '../places.js';
import type { Reader } from '../reader.js';
import { messagePage } from '../session/login-page.js';
import { QueueQuery } from './filter.js';
import { named, type PlaceNames } from './queue-page.js';

/** The results the page showed, as `id:version` pairs separated by commas. */
const Shown = z
  .string()
  .regex(/^[1-9]\d{0,9}:[1-9]\d{0,9}(,[1-9]\d{0,9}:[1-9]\d{0,9})*$/)
  .transform((text) =>
    text.split(',').map((pair) => {
      const [id, version] = pair.split(':').map(Number);
      return { id: id!, version: version! };
    }),
  )
  .refine((items) => items.length <= MAX_BATCH);

function confirmPage(
  reader: Reader,
  results: ResultView[],
  scope: { program: string; period: string },
  places: PlaceNames,
  alert?: string,
): string {
  const t = translator(reader.locale);
  const title = t('web.bulk.title');
  const programTitle = results[0]?.programTitle[reader.locale] ?? scope.program;
  const body = html`<h1>${title}</h1>
    ${alert ? html`<p class="card warn" role="alert">${alert}</p>` : ''}
    ${
      results.length === 0
        ? html`<p>${t('web.bulk.none', { program: programTitle, period: scope.period })}</p>`
        : html`<p>${t('web.bulk.intro', { count: results.length, program: programTitle, period: scope.period })}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">${t('web.review.colResult')}</th>
                  <th scope="col" class="n">${t('web.review.colValue')}</th>
                </tr>
              </thead>
              <tbody>
                ${results.map(
                  (r) =>
                    html`<tr>
                      <td>${named(reader, r, places)}</td>
                      <td class="n">${r.value === null ? '…' : formatNumber(reader.locale, r.value)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            <form method="post" action="/review/approve-all" class="decision">
              <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
              <input type="hidden" name="program" value="${scope.program}" />
              <input type="hidden" name="period" value="${scope.period}" />
              <input type="hidden" name="results" value="${results.map((r) => `${r.id}:${r.version}`).join(',')}" />
              <button type="submit">${t('web.bulk.confirm', { count: results.length })}</button>
            </form>`
    }
    <p><a href="/review?program=${encodeURIComponent(scope.program)}&period=${encodeURIComponent(scope.period)}">${t('web.bulk.back')}</a></p>`;
  return page({ reader, title, section: 'review', body });
}

/** The results of the program and period awaiting the signed-in approver. */
async function awaiting(ctx: PageContext, scope: { program: string; period: string }) {
  return (await reviewQueues(ctx.store, ctx.reader.viewer as Official, scope)).awaiting;
}

const badScope = (ctx: PageContext) => {
  const t = translator(ctx.reader.locale);
  return ctx.c.html(messagePage(ctx.reader, t('web.bulk.title'), t('web.bulk.badScope')), 400);
};

export const BULK_PAGES: readonly PageRoute[] = [
  {
    path: '/review/approve-all',
    permission: 'write:results',
    async handle(ctx) {
      const query = safeParseInput(QueueQuery, ctx.c.req.query());
      if (!query.success || !query.data.program || !query.data.period) return badScope(ctx);
      const scope = { program: query.data.program, period: query.data.period };
      return ctx.c.html(
        confirmPage(ctx.reader, await awaiting(ctx, scope), scope, await placeNames(ctx.stats)),
      );
    },
  },
  {
    method: 'post',
    path: '/review/approve-all',
    permission: 'write:results',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const scope = safeParseInput(QueueQuery, { program: form.program, period: form.period });
      const shown = safeParseInput(Shown, form.results ?? '');
      if (!scope.success || !scope.data.program || !scope.data.period || !shown.success) return badScope(ctx);
      const where = { program: scope.data.program, period: scope.data.period };
      const official = ctx.reader.viewer as Official;
      try {
        const count = await approveBatch(ctx.store, official, shown.data, {
          actor: official.user,
          ...(ctx.now ? { now: ctx.now } : {}),
        });
        return ctx.c.redirect(
          `/review?done=approvedAll&count=${count}&program=${encodeURIComponent(where.program)}&period=${encodeURIComponent(where.period)}`,
          303,
        );
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        // The list as it stands now, to confirm again.
        const page = confirmPage(
          ctx.reader,
          await awaiting(ctx, where),
          where,
          await placeNames(ctx.stats),
          error.messageIn(ctx.reader.locale),
        );
        return ctx.c.html(page, pageStatus(error));
      }
    },
  },
];
