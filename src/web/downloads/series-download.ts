/**
 * A series as a CSV download, streamed: the long layout (`stats/series-csv.ts`), queried a batch of
 * places at a time, holding one of the large-download slots from its query to its last byte. The first
 * batch runs before the answer starts, so a query the store refuses is a 4xx, not a broken download.
 * Served by `/explore.csv` and by `GET /api/v1/series` as `text/csv`.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Context } from 'hono';
import { auditHeadHeader } from '../../records/audit.js';
import type { RecordsStore } from '../../records/database.js';
import type { Locale } from '../../i18n/index.js';
import { seriesParquet } from '../../stats/downloads/parquet.js';
import { seriesCsvStream } from '../../stats/series-csv.js';
import type { seriesQueryFromText } from '../../stats/series-query.js';
import { reserveSeries } from '../../stats/series-size.js';
import type { StatsStore } from '../../stats/stats-store.js';

/** The largest series a CSV download holds: every municipality by month, nationally, fits. */
export const CSV_MAX_POINTS = 1_000_000;

export interface SeriesDownload {
  store: RecordsStore;
  stats: StatsStore;
  input: ReturnType<typeof seriesQueryFromText>;
  locale: Locale;
  /** A byte-order mark and CRLF line ends, for Excel. */
  excel?: boolean;
}

export async function seriesCsvResponse(c: Context, d: SeriesDownload): Promise<Response> {
  // The batches after the first are read after the handler returns: from the generation it read.
  const held = d.stats.hold?.();
  const stats = held?.stats ?? d.stats;
  let slot: () => void;
  try {
    slot = await reserveSeries(stats, d.input, CSV_MAX_POINTS);
  } catch (error) {
    held?.release();
    throw error;
  }
  const release = () => {
    slot();
    held?.release();
  };
  let chunks: AsyncGenerator<string>;
  let first: IteratorResult<string>;
  try {
    chunks = seriesCsvStream(stats, d.input, undefined, {
      locale: d.locale,
      ...(d.excel ? { bom: true, crlf: true } : {}),
    });
    first = await chunks.next();
    c.header('content-disposition', `attachment; filename="marco-${d.input.measure}.csv"`);
    // Every export names the audit log it came from (imports of statistics are audited too).
    c.header('Marco-Audit-Head', await auditHeadHeader(d.store.db));
  } catch (error) {
    release();
    throw error;
  }
  const encoder = new TextEncoder();
  let pending: IteratorResult<string> | undefined = first;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await chunks.next());
        pending = undefined;
        if (next.done) {
          release();
          controller.close();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel: async () => {
      release();
      await chunks.return(undefined);
    },
  });
  // `header=present` tells a reader the first line names the columns (RFC 4180).
  return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8; header=present' });
}

/** The same series as a Parquet file (`stats/downloads/parquet.ts`), holding a large-download slot. */
export async function seriesParquetResponse(c: Context, d: SeriesDownload): Promise<Response> {
  const release = await reserveSeries(d.stats, d.input, CSV_MAX_POINTS);
  let made: Awaited<ReturnType<typeof seriesParquet>>;
  try {
    made = await seriesParquet(d.stats, d.input, { locale: d.locale });
  } finally {
    release();
  }
  const bytes = await readFile(made.file);
  await made.remove();
  c.header('content-disposition', `attachment; filename="marco-${d.input.measure}.parquet"`);
  c.header('Marco-Audit-Head', await auditHeadHeader(d.store.db));
  return c.body(bytes, 200, { 'content-type': 'application/vnd.apache.parquet' });
}
