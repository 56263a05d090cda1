/**
 * Bulk results exchange through the API: `POST /results/imports` takes a bulk file (CSV or JSON, the
 * format of `docs/results-exchange.md`, or the eTrace layout of firearms traces) and answers an import
 * summary; all or nothing, with a dry run.
 * The export is `GET /results` as CSV.
 * @module
 */
import { z } from 'zod';
import { Code } from '../../domain/common-schema.js';
import type { Official } from '../../access/viewer.js';
import { HttpError } from '../../error.js';
import { readExchangeCsv, readExchangeJson } from '../../monitoring/results-exchange/format.js';
import { importResults } from '../../monitoring/results-exchange/import.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

const Flag = z.enum(['true', 'false']).optional();

export const importResultsRoute = route({
  method: 'post',
  path: '/results/imports',
  operationId: 'importResults',
  response: R.ImportSummary,
  tag: 'results',
  permission: 'write:results',
  upload: true,
  uploadTypes: ['text/csv', 'application/json'],
  summary:
    'Import a bulk file of results (text/csv or application/json, docs/results-exchange.md; or a CSV in the eTrace layout of firearms traces, with `indicator`) with the rights and workflow of single results: all or nothing. The answer is an import summary (imported, updated, ignored); a file with any conflict writes nothing and answers 409 with every conflict, its row and reason. `dry_run=true` reports without writing; `submit=true` submits new results',
  query: z
    .object({
      dry_run: Flag,
      submit: Flag,
      indicator: Code.optional().meta({
        description: 'the indicator whose results a CSV body in the eTrace layout of firearms traces holds',
      }),
      lang: z.enum(['en', 'es']).optional(),
    })
    .strict(),
  async handle({ c, store, stats, viewer, query, locale, write }) {
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    const csv = type.startsWith('text/csv');
    if (!csv && !type.startsWith('application/json'))
      throw new HttpError(415, 'unsupported_media_type', { key: 'http.notBulkType', values: { type } });
    const text = await c.req.text();
    const rows = csv ? readExchangeCsv(text, 'body', query.indicator) : readExchangeJson(text, 'body');
    return importResults(store, rows, {
      ...write,
      official: viewer as Official,
      locale,
      dryRun: query.dry_run === 'true',
      submit: query.submit === 'true',
      ...(stats ? { places: (await stats.metadata()).places } : {}),
    });
  },
});
