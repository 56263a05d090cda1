/**
 * The one long layout of a series answer, written by `marco stats --csv` and downloaded from
 * `/explore.csv` and `GET /api/v1/series` as CSV: one row per point, naming its measure, unit, rate base
 * and filters (so a file says what it holds without its name), the place's level and the period's first
 * and last day, with its provenance (method, source and vintage files, which change where the series
 * changes source) and whether its period is partial, with the months it holds. A download
 * of many places is queried and written a batch of places at a time, so the server holds one batch's
 * answer, not the whole country's.
 * @module
 */
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { CSV_BOM, csvCell, csvLines, type CsvOptions } from '../csv.js';
import { placeLevel } from '../domain/aggregation.js';
import type { Locale } from '../i18n/index.js';
import { SERIES_COLUMNS } from './downloads/series-columns.js';
import { ValidationError } from '../error.js';
import { queryPlaces, querySeries, SeriesQuery, type SeriesResult } from './series.js';
import type { StatsStore } from './stats-store.js';

/** The columns of the long layout, in order (`downloads/series-columns.ts` is their codebook). */
export const SERIES_CSV_COLUMNS = SERIES_COLUMNS.map((c) => c.name);

/** How a download is written: its language (the unit's), Excel's CRLF, and a byte-order mark. */
export interface SeriesCsvOptions extends CsvOptions {
  locale?: Locale;
  bom?: boolean;
}

const ENDS = new Map<string, string>();

/** The last day of the period that starts on `start` (YYYY-MM-DD), for periods of `by`. */
export function periodEnd(start: string, by: string): string {
  const key = `${start}|${by}`;
  const known = ENDS.get(key);
  if (known) return known;
  const end = computeEnd(start, by);
  if (ENDS.size < 100_000) ENDS.set(key, end);
  return end;
}

function computeEnd(start: string, by: string): string {
  const months = by === 'month' ? 1 : by === 'quarter' ? 3 : 12;
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

const LEVELS = ['country', 'state', 'municipality'] as const;

/** The answer as CSV text with a header line, every cell escaped; `vintages` lists `file#sha256[:12]`. */
export function seriesCsv(result: SeriesResult, options: SeriesCsvOptions = {}): string {
  return [...seriesCsvChunks(result, { ...options, lines: Number.POSITIVE_INFINITY })].join('');
}

/**
 * The same CSV in chunks of at most `lines` lines, for a download streamed as it is written; without
 * `header`, the rows only (a later batch of the same download).
 */
export function* seriesCsvChunks(
  result: SeriesResult,
  { lines = 5000, header = true, ...options }: SeriesCsvOptions & { lines?: number; header?: boolean } = {},
): Generator<string> {
  const files = new Map<string, string[]>();
  for (const v of result.vintages)
    files.set(v.source, [...(files.get(v.source) ?? []), `${v.file_name}#${v.sha256.slice(0, 12)}`]);
  const q = result.query as { by?: string; per?: number; filters?: Record<string, string> };
  const by = q.by ?? 'year';
  const measure = result.measure.id;
  const unit = result.measure.unit[options.locale ?? 'en'];
  const per = q.per ?? null;
  const filters = Object.entries(q.filters ?? {})
    .map(([k, v]) => `${k}:${v}`)
    .join(';');
  const first = header ? `${options.bom ? CSV_BOM : ''}${csvLines([SERIES_CSV_COLUMNS], options)}` : '';
  const eol = options.crlf ? '\r\n' : '\n';
  // Each line is written as text, cell by cell: the cells a series shares (measure to name) are escaped
  // once per series, not once per point, and no row array is made (651,288 of them for every
  // municipality by month).
  const measureCells = `${csvCell(measure)},${csvCell(unit)},${csvCell(per)}`;
  const vintageCells = new Map<string, string>();
  const vintagesOf = (source: string) => {
    let cell = vintageCells.get(source);
    if (cell === undefined) {
      cell = csvCell((files.get(source) ?? []).join(' '));
      vintageCells.set(source, cell);
    }
    return cell;
  };
  const filterCell = csvCell(filters);
  let out = first;
  let count = 0;
  for (const s of result.series) {
    let place = '';
    let placeOf = '';
    for (const p of s.points) {
      if (count >= lines) {
        yield out;
        out = '';
        count = 0;
      }
      if (p.geo !== placeOf) {
        placeOf = p.geo;
        place = `${measureCells},${csvCell(p.geo)},${csvCell(LEVELS[placeLevel(p.geo)])},${csvCell(p.name)}`;
      }
      out +=
        `${place},${csvCell(p.period)},${csvCell(p.start)},${csvCell(periodEnd(p.start, by))},` +
        `${csvCell(p.value)},${csvCell(p.rate)},${csvCell(p.population)},${csvCell(p.populationSource)},` +
        `${csvCell(p.population === null ? null : (p.populationMethod ?? 'published'))},${csvCell(p.partial)},` +
        `${csvCell(p.covers?.from)},${csvCell(p.covers?.to)},${csvCell(p.partialReason)},${csvCell(p.method)},` +
        `${csvCell(p.source)},${vintagesOf(p.source)},${filterCell}${eol}`;
      count++;
    }
  }
  if (count || out) yield out;
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
  options: SeriesCsvOptions = {},
): AsyncGenerator<string> {
  const parsed = safeParseInput(SeriesQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'series query', 'query');
  const q = parsed.data;
  const places = queryPlaces(q, await stats.metadata());
  if (places.length <= batchPlaces) {
    yield* seriesCsvChunks(await querySeries(stats, q), options);
    return;
  }
  const { level: _level, within: _within, ...rest } = q;
  for (let i = 0; i < places.length; i += batchPlaces) {
    const batch = await querySeries(stats, { ...rest, geo: places.slice(i, i + batchPlaces) });
    yield* seriesCsvChunks(batch, { ...options, header: i === 0 });
  }
}
