/**
 * The one CSV layout of a series answer, written by `marco stats --csv` and downloaded from
 * `/explore.csv`: one row per point, with its provenance (method, source and vintage files, which change
 * where the series changes source) and whether its period is partial, with the months it holds. A download
 * of many places is queried and written a batch of places at a time, so the server holds one batch's
 * answer, not the whole country's.
 * @module
 */
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { csvCell } from '../csv.js';
import { ValidationError } from '../error.js';
import { queryPlaces, querySeries, SeriesQuery, type SeriesResult } from './series.js';
import type { StatsStore } from './stats-store.js';

export const SERIES_CSV_COLUMNS = [
  'geo',
  'name',
  'period',
  'start',
  'value',
  'population',
  'population_source',
  'population_method',
  'rate',
  'method',
  'source',
  'vintages',
  'partial',
  'covers_from',
  'covers_to',
  'partial_reason',
] as const;

/** The answer as CSV text with a header line, every cell escaped; `vintages` lists `file#sha256[:12]`. */
export function seriesCsv(result: SeriesResult): string {
  return [...seriesCsvChunks(result, Number.POSITIVE_INFINITY)].join('');
}

/**
 * The same CSV in chunks of at most `lines` lines, for a download streamed as it is written; without
 * `header`, the rows only (a later batch of the same download).
 */
export function* seriesCsvChunks(result: SeriesResult, lines = 5000, header = true): Generator<string> {
  const files = new Map<string, string[]>();
  for (const v of result.vintages)
    files.set(v.source, [...(files.get(v.source) ?? []), `${v.file_name}#${v.sha256.slice(0, 12)}`]);
  let chunk = header ? [SERIES_CSV_COLUMNS.join(',')] : [];
  for (const s of result.series)
    for (const p of s.points) {
      if (chunk.length >= lines) {
        yield `${chunk.join('\n')}\n`;
        chunk = [];
      }
      chunk.push(
        [
          p.geo,
          p.name,
          p.period,
          p.start,
          p.value,
          p.population,
          p.populationSource,
          p.population === null ? null : (p.populationMethod ?? 'published'),
          p.rate,
          p.method,
          p.source,
          (files.get(p.source) ?? []).join(' '),
          p.partial,
          p.covers?.from,
          p.covers?.to,
          p.partialReason,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  if (chunk.length) yield `${chunk.join('\n')}\n`;
}

/** How many places one query of a batched download covers. */
export const CSV_BATCH_PLACES = 250;

/**
 * The CSV of the series query `input`, queried `batchPlaces` places at a time, in the order the whole
 * query would give them: the first batch is queried before the first chunk is given, so a query the
 * store refuses fails before anything is sent. Each row names the vintages behind its batch.
 */
export async function* seriesCsvStream(
  stats: StatsStore,
  input: unknown,
  batchPlaces = CSV_BATCH_PLACES,
): AsyncGenerator<string> {
  const parsed = safeParseInput(SeriesQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'series query', 'query');
  const q = parsed.data;
  const places = queryPlaces(q, await stats.metadata());
  if (places.length <= batchPlaces) {
    yield* seriesCsvChunks(await querySeries(stats, q));
    return;
  }
  const { level: _level, within: _within, ...rest } = q;
  for (let i = 0; i < places.length; i += batchPlaces) {
    const batch = await querySeries(stats, { ...rest, geo: places.slice(i, i + batchPlaces) });
    yield* seriesCsvChunks(batch, 5000, i === 0);
  }
}
