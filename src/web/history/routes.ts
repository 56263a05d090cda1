/**
 * `GET /results/{id}/history`: a result's history from the audit log, to any signed-in official who may
 * see the result (404 otherwise, as for a result that does not exist).
 * @module
 */
import { resultHistory } from '../../records/result-history.js';
import { listResults } from '../../records/result-repository.js';
import { RECORD_ID } from '../forms.js';
import type { PageRoute } from '../page-route.js';
import { notFoundPage, placeNames } from '../places.js';
import { renderHistory } from './history-page.js';

export const HISTORY_PAGES: readonly PageRoute[] = [
  {
    path: '/results/:id/history',
    permission: 'read:official',
    async handle(ctx) {
      const id = ctx.c.req.param('id') ?? '';
      const result = RECORD_ID.test(id)
        ? (await listResults(ctx.store, ctx.reader.viewer, { id: Number(id) })).results[0]
        : undefined;
      if (!result) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      const entries = await resultHistory(ctx.store, result.id);
      return ctx.c.html(renderHistory(ctx.reader, result, entries, await placeNames(ctx.stats)));
    },
  },
];
