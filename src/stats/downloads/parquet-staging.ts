/**
 * The staging file of a Parquet download (`parquet.ts`): one narrow CSV line per point, holding only what
 * changes from point to point. The place is a number into the list of places met (code, level, name),
 * and the vintages of the point's source in its batch a number into the list of vintage cells. The file
 * is written for DuckDB to read back, never for a person, so its text cells are quoted but carry no
 * spreadsheet formula guard.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvQuoted } from '../../csv.js';
import { placeLevel } from '../../domain/aggregation.js';
import type { Locale } from '../../i18n/index.js';
import path from 'node:path';
import { seriesBatches, seriesShared, type SeriesShared } from '../series-csv.js';
import type { SeriesResult } from '../series.js';
import type { StatsStore } from '../stats-store.js';

/** The text columns written as a number into a list of the texts met: each has few distinct values. */
export const DICTIONARY_COLUMNS = [
  'period',
  'population_source',
  'population_method',
  'covers_from',
  'covers_to',
  'partial_reason',
  'method',
  'source',
  'vintages',
] as const;
export type DictionaryColumn = (typeof DICTIONARY_COLUMNS)[number];

/** The staging file's columns and their DuckDB types, in order; a dictionary column holds numbers. */
export const STAGING_COLUMNS: readonly (readonly [string, string])[] = [
  ['geo', 'VARCHAR'],
  ['lv', 'INTEGER'],
  ['name', 'VARCHAR'],
  ['period_start', 'DATE'],
  ['value', 'DOUBLE'],
  ['rate', 'DOUBLE'],
  ['population', 'DOUBLE'],
  ['partial', 'BOOLEAN'],
  ...DICTIONARY_COLUMNS.map((c) => [c, 'INTEGER'] as const),
];

/** The distinct texts of one column, each written as its number. */
class Dictionary {
  readonly texts: string[] = [];
  private readonly numbers = new Map<string, string>();
  /** The cell of `text`: its number, or empty for none. */
  cell(text: string | null | undefined): string {
    if (text === null || text === undefined || text === '') return '';
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = String(this.texts.push(text) - 1);
      this.numbers.set(text, n);
    }
    return n;
  }
}

/** What the rows share, and the texts of each dictionary column by number. */
export interface Staged {
  measure: string;
  unit: string;
  per: number | null;
  filters: string;
  by: string;
  dictionaries: Record<DictionaryColumn, string[]>;
}

/** Lines written to the file at a time. */
const LINES_PER_WRITE = 5000;

const number = (n: number | null) => (n === null ? '' : String(n));

/**
 * Writes the points of the series query `input` to staging files in `dir`, one per query of `batchPlaces`
 * places, and passes each to `onFile` once it is written, so that the caller can load one while the next
 * is queried.
 */
export async function stageSeries(
  stats: StatsStore,
  input: unknown,
  dir: string,
  { locale, batchPlaces, onFile }: { locale: Locale; batchPlaces: number; onFile: (file: string) => void },
): Promise<Staged> {
  const d = Object.fromEntries(DICTIONARY_COLUMNS.map((c) => [c, new Dictionary()])) as Record<
    DictionaryColumn,
    Dictionary
  >;
  const staged: Staged = {
    measure: '',
    unit: '',
    per: null,
    filters: '',
    by: 'year',
    dictionaries: Object.fromEntries(
      DICTIONARY_COLUMNS.map((c) => [c, d[c].texts]),
    ) as Staged['dictionaries'],
  };
  let k = 0;
  for await (const batch of seriesBatches(stats, input, batchPlaces)) {
    const shared = seriesShared(batch, locale);
    if (k === 0) {
      const { measure, unit, per, filters, by } = shared;
      Object.assign(staged, { measure, unit, per, filters, by });
    }
    const file = path.join(dir, `points-${k++}.csv`);
    await writeBatch(file, batch, shared, d);
    onFile(file);
  }
  return staged;
}

/** Writes one answer's points to `file`, numbering texts through the dictionaries `d`. */
async function writeBatch(
  file: string,
  batch: SeriesResult,
  shared: SeriesShared,
  d: Record<DictionaryColumn, Dictionary>,
): Promise<void> {
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  try {
    // Each source's vintages cell in this batch, as its number.
    const vintages = new Map<string, string>();
    const vintagesOf = (source: string) => {
      let n = vintages.get(source);
      if (n === undefined) {
        n = d.vintages.cell(shared.files.get(source));
        vintages.set(source, n);
      }
      return n;
    };
    let text = '';
    let lines = 0;
    for (const s of batch.series) {
      let placeOf = '';
      let place = '';
      for (const p of s.points) {
        if (p.geo !== placeOf) {
          placeOf = p.geo;
          place = `${csvQuoted(p.geo)},${placeLevel(p.geo)},${csvQuoted(p.name)},`;
        }
        text +=
          `${place}${p.start},${p.value},${number(p.rate)},${number(p.population)},${p.partial ? 1 : 0},` +
          `${d.period.cell(p.period)},${d.population_source.cell(p.populationSource)},` +
          `${d.population_method.cell(p.population === null ? null : (p.populationMethod ?? 'published'))},` +
          `${d.covers_from.cell(p.covers?.from)},${d.covers_to.cell(p.covers?.to)},` +
          `${d.partial_reason.cell(p.partialReason)},${d.method.cell(p.method)},${d.source.cell(p.source)},` +
          `${vintagesOf(p.source)}\n`;
        if (++lines === LINES_PER_WRITE) {
          if (!out.write(text)) await once(out, 'drain');
          text = '';
          lines = 0;
        }
      }
    }
    out.end(text);
    await closed;
  } catch (error) {
    out.destroy();
    await closed.catch(() => undefined);
    throw error;
  }
}
