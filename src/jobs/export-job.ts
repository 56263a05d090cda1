/**
 * The `export` job: a large statistics download made in the background (every municipality by month,
 * nationally, is about 93 MB of CSV), instead of inside a request. Its parameters are the series query as
 * `GET /api/v1/series` takes it (checked before the job is queued and again here), a format (CSV or
 * Parquet) and a language. A CSV is written a batch of places at a time straight to the worker's
 * temporary file, so memory holds one batch; progress is the share of batches written, and a cancel
 * stops it between batches. The file is the same, byte for byte, as the download of the same query.
 * @module
 */
import { copyFile, open } from 'node:fs/promises';
import { z } from 'zod';
import { placeIssues } from '../domain/place-check.js';
import { HttpError, ValidationError } from '../error.js';
import { seriesParquet } from '../stats/downloads/parquet.js';
import { CSV_BATCH_PLACES, seriesBatches, seriesCsvChunks } from '../stats/series-csv.js';
import { seriesQueryFromText, type SeriesText } from '../stats/series-query.js';
import { seriesPoints, TooManyPointsError } from '../stats/series-size.js';
import type { StatsStore } from '../stats/stats-store.js';
import type { JobHandler } from './job-worker.js';

export const EXPORT_JOB = 'export';

/** The largest export a job makes: five times the largest download a request streams. */
export const EXPORT_MAX_POINTS = 5_000_000;

/** The text fields of a series query, as `GET /api/v1/series` takes them. */
const QUERY_FIELDS = [
  'measure',
  'geo',
  'level',
  'within',
  'by',
  'period',
  'from',
  'to',
  'per',
  'annualize',
  'filter',
  'source',
  'population',
] as const;

export const ExportJobParams = z
  .object({
    query: z
      .partialRecord(z.enum(QUERY_FIELDS), z.string().max(2000))
      .meta({ description: 'the series query, with the fields and values of GET /api/v1/series' }),
    format: z.enum(['csv', 'parquet']),
    lang: z.enum(['en', 'es']),
    /** A byte-order mark and CRLF line ends, for Excel (CSV only). */
    excel: z.boolean().optional(),
  })
  .strict();
export type ExportJobParams = z.infer<typeof ExportJobParams>;

/**
 * Refuses, before a job is queued, an export that cannot be made: a query the series query refuses (at
 * its field, in the reader's language), or one larger than {@link EXPORT_MAX_POINTS}.
 */
export async function checkExport(
  stats: StatsStore,
  params: ExportJobParams,
): Promise<{ input: ReturnType<typeof seriesQueryFromText>; places: number }> {
  let input: ReturnType<typeof seriesQueryFromText>;
  try {
    input = seriesQueryFromText(params.query as SeriesText, 'url');
  } catch (error) {
    // The query is a member of the request's body: its problems are the body's (422), at `query.FIELD`.
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.issues.map((i) => ({ ...i, path: i.path ? `query.${i.path}` : 'query' })),
      'request body',
    );
  }
  // A place the geography spine does not know is refused with the nearest codes, not exported empty.
  const issues = placeIssues((await stats.metadata()).places, [
    ...(input.geo ?? []).map((code, i) => [`query.geo[${i}]`, code] as const),
    ['query.within', input.within],
  ]);
  if (issues.length) throw new ValidationError(issues, 'request body');
  const { points, places } = await seriesPoints(stats, input);
  if (points > EXPORT_MAX_POINTS) throw new TooManyPointsError(points, places, EXPORT_MAX_POINTS);
  return { input, places };
}

/** The handler of `export` jobs on this statistics store. */
export function exportJob(stats: StatsStore | undefined): JobHandler {
  return async ({ job, tempFile, progress, signal }) => {
    const params = ExportJobParams.parse(job.params);
    if (!stats) throw new HttpError(503, 'unavailable', { key: 'http.noStats', values: {} });
    // Checked again here (the store may have changed since the job was queued), once.
    const { input, places } = await checkExport(stats, params);
    const locale = params.lang;
    if (params.format === 'parquet') {
      const made = await seriesParquet(stats, input, { locale });
      try {
        await copyFile(made.file, tempFile);
      } finally {
        await made.remove();
      }
      return { type: 'application/vnd.apache.parquet', extension: 'parquet' };
    }
    const batches = Math.max(1, Math.ceil(places / CSV_BATCH_PLACES));
    const file = await open(tempFile, 'w');
    try {
      let done = 0;
      for await (const batch of seriesBatches(stats, input)) {
        if (signal.aborted) throw new Error(String(signal.reason));
        for (const chunk of seriesCsvChunks(batch, {
          locale,
          header: done === 0,
          ...(params.excel ? { bom: true, crlf: true } : {}),
        }))
          await file.write(chunk);
        done += 1;
        await progress(Math.min(0.99, done / batches), 'csv');
      }
    } finally {
      await file.close();
    }
    return { type: 'text/csv; charset=utf-8; header=present', extension: 'csv' };
  };
}
