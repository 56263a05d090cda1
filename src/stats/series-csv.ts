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

/** How many months a period of `by` spans: a month, a quarter, or a (calendar or fiscal) year. */
export const monthsOf = (by: string): number => (by === 'month' ? 1 : by === 'quarter' ? 3 : 12);

function computeEnd(start: string, by: string): string {
  const months = monthsOf(by);
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/** The `geo_level` of each place level (`placeLevel`). */
export const GEO_LEVELS = ['country', 'state', 'municipality'] as const;

/** What every row of an answer shares: its measure, unit, rate base, filters and period length. */
export interface SeriesShared {
  measure: string;
  unit: string;
  per: number | null;
  /** `dimension:value` pairs separated by `;`, or empty. */
  filters: string;
  by: string;
  /** Each source's vintage files, `file#sha256[:12]` separated by spaces. */
  files: Map<string, string>;
}

/** The cells an answer's rows share, in the language `locale`. */
export function seriesShared(result: SeriesResult, locale: Locale = 'en'): SeriesShared {
  const lists = new Map<string, string[]>();
  for (const v of result.vintages)
    lists.set(v.source, [...(lists.get(v.source) ?? []), `${v.file_name}#${v.sha256.slice(0, 12)}`]);
  const q = result.query as { by?: string; per?: number; filters?: Record<string, string> };
  return {
    measure: result.measure.id,
    unit: result.measure.unit[locale],
    per: q.per ?? null,
    filters: Object.entries(q.filters ?? {})
      .map(([k, v]) => `${k}:${v}`)
      .join(';'),
    by: q.by ?? 'year',
    files: new Map([...lists].map(([source, names]) => [source, names.join(' ')])),
  };
}

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
  const { files, by, measure, unit, per, filters } = seriesShared(result, options.locale);
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
      cell = csvCell(files.get(source) ?? '');
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
        place = `${measureCells},${csvCell(p.geo)},${csvCell(GEO_LEVELS[placeLevel(p.geo)])},${csvCell(p.name)}`;
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
 * The answers of the series query `input`, `batchPlaces` places at a time, in the order the whole query
 * would give them: the first batch is queried before the first is given, so a query the store refuses
 * fails before anything is sent.
 */
export async function* seriesBatches(
  stats: StatsStore,
  input: unknown,
  batchPlaces = CSV_BATCH_PLACES,
): AsyncGenerator<SeriesResult> {
  const parsed = safeParseInput(SeriesQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'series query', 'query');
  const q = parsed.data;
  const places = queryPlaces(q, await stats.metadata());
  if (places.length <= batchPlaces) {
    yield await querySeries(stats, q);
    return;
  }
  const { level: _level, within: _within, ...rest } = q;
  for (let i = 0; i < places.length; i += batchPlaces)
    yield await querySeries(stats, { ...rest, geo: places.slice(i, i + batchPlaces) });
}

/** The CSV of the series query `input`, written batch by batch; each row names the vintages of its batch. */
export async function* seriesCsvStream(
  stats: StatsStore,
  input: unknown,
  batchPlaces = CSV_BATCH_PLACES,
  options: SeriesCsvOptions = {},
): AsyncGenerator<string> {
  let header = true;
  for await (const batch of seriesBatches(stats, input, batchPlaces)) {
    yield* seriesCsvChunks(batch, { ...options, header });
    header = false;
  }
}
