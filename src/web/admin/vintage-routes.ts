/**
 * `GET /admin/vintages` and `POST /admin/vintages/{id}/rollback`: data stewards see every import and
 * roll one back through the same audited service as `POST /api/v1/vintages/{id}/rollback`. The form
 * needs its confirmation ticked; a refusal (a vintage already rolled back, one whose rows a later import
 * still holds) changes nothing and is shown beside the vintage.
 * @module
 */
import { z } from 'zod';
import { rollbackAudited } from '../../custody/statistics-custody.js';
import { MarcoError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { sourceCatalogue } from '../../stats/catalogue.js';
import {
  checkedForm,
  doneNotice,
  pageStatus,
  RECORD_ID,
  writeOptions,
  type RefusedStatus,
} from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderVintages, type VintagesMessage } from './vintages-page.js';

const Done = z.object({
  done: z.literal('rolledBack'),
  id: z.coerce.number().int().min(1),
  rows: z.coerce.number().int().min(0),
});

async function vintagesPage(ctx: PageContext, status: 200 | RefusedStatus, message?: VintagesMessage) {
  const shown =
    message ?? doneNotice(ctx, Done, (t, d) => t('web.admin.vintages.done', { id: d.id, rows: d.rows }));
  const sources = ctx.stats
    ? (await sourceCatalogue(ctx.stats)).map((s) => ({
        id: s.id,
        title: s.title[ctx.reader.locale],
        vintages: s.vintages,
      }))
    : [];
  return ctx.c.html(
    renderVintages(ctx.reader, { sources, available: ctx.stats !== undefined }, shown),
    status,
  );
}

export const VINTAGE_PAGES: readonly PageRoute[] = [
  {
    path: '/admin/vintages',
    permission: 'import:statistics',
    handle: (ctx) => vintagesPage(ctx, 200),
  },
  {
    method: 'post',
    path: '/admin/vintages/:id/rollback',
    permission: 'import:statistics',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const id = ctx.c.req.param('id') ?? '';
      if (!RECORD_ID.test(id) || !ctx.stats) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      const t = translator(ctx.reader.locale);
      if (form.confirm !== 'yes')
        return vintagesPage(ctx, 422, {
          kind: 'refused',
          text: t('web.admin.vintages.needsConfirm'),
          id: Number(id),
        });
      try {
        const report = await ctx.stats.exclusive((writer) =>
          rollbackAudited(writer, ctx.store, Number(id), writeOptions(ctx)),
        );
        return ctx.c.redirect(`/admin/vintages?done=rolledBack&id=${id}&rows=${report.rowsWithdrawn}`, 303);
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return vintagesPage(ctx, pageStatus(error), {
          kind: 'refused',
          text: error.messageIn(ctx.reader.locale),
          id: Number(id),
        });
      }
    },
  },
];
