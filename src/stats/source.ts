/**
 * What every official-statistics source module declares: who publishes it, under what licence, where to
 * download it by hand, the file layouts Marco recognises, and how a file becomes staged observations.
 * @module
 */

/** One recognised file layout, identified by its header (names normalised by {@link normaliseHeader}). */
export interface SourceLayout {
  name: string;
  delimiter: string;
  /** The normalised header columns, in order. */
  header: string[];
  /**
   * A pattern every further column must match, for layouts with one column per year or month (at least
   * one such column is then required). The matched layout handed to `staging` carries the file's own
   * header, so the staging query can name those columns.
   */
  rest?: RegExp;
}

/** The observation columns a source may declare the same on every row ({@link Source.constant}). */
export type ConstantColumn = 'measure' | 'geo_level' | 'granularity';

export interface Source {
  id: string;
  title: { en: string; es: string };
  publisher: string;
  licence: string;
  /** The line to show wherever its numbers appear. */
  attribution: string;
  /** Where a person downloads the file by hand. */
  landing: string;
  measures: string[];
  layouts: SourceLayout[];
  /**
   * `observations` sources feed the observations table; `geography` sources the geography spine;
   * `figures` sources the documented figures that claim checks test; `boundaries` sources the map
   * polygons (read by `boundaries.ts`, not by a staging query); `network` sources the criminal-group
   * networks (read by `networks/network-import.ts`).
   */
  kind: 'observations' | 'geography' | 'figures' | 'boundaries' | 'network';
  /**
   * SQL that reads the CSV at `csv` (a quoted SQL string literal) and yields one staged row per data line:
   * `line, measure, geo_level, geo, granularity, period, value, dims, reject_column, reject_value,
   * reject_reason`, with one `dim_<name>` column per declared {@link Source.dimensions} in place of `dims`
   * (geography sources: `line, code, level, name, parent, country, reject_column,
   * reject_value, reject_reason`). A row with a `reject_reason` is rejected and reported.
   */
  staging?(csv: string, layout: SourceLayout, params: Record<string, string>): string;
  /** Choices an import can make (`--param name=value`), each with its default; recorded in the vintage. */
  params?: SourceParam[];
  /**
   * What a new vintage replaces in older ones: their observations for the periods it covers (the
   * default), or only those of the places it holds too, for a source whose files each hold one place
   * chosen by a parameter.
   */
  replaces?: 'periods' | 'places-and-periods';
  /**
   * For an observations source whose every row has the same measure, level or granularity: those
   * values. They are then kept once in the vintage, not on every row (a third of the import time for a
   * large file, and a sixth of the memory SESNSP's victims file took to stage). A source that declares
   * constants and no {@link Source.dimensions} has none: its rows are dimension-free totals.
   */
  constant?: Partial<Record<ConstantColumn, string>>;
  /**
   * The dimensions of an observations source whose staging writes each as its own text column,
   * `dim_<name>` (null where a row has no such dimension), instead of a `dims` MAP. Typed columns are
   * grouped, compared and filtered at column speed: SESNSP's victims file (927,360 rows, five dimensions)
   * spent half its import building and grouping maps. The `observations` view still shows them as `dims`.
   */
  dimensions?: readonly string[];
  /**
   * Whether its staging keeps every data line of the file, in order, one row each, and writes no `line`
   * column: the staged table's row order then gives each row's line (from its row id). Numbering 927,360
   * rows with a window over the whole file was a quarter of SESNSP's victims import.
   */
  linesByOrder?: boolean;
  /**
   * The last months of what the source holds that are known to be incomplete, and why: an extract by
   * year of registration lacks the deaths of its last year that were registered later. A period among
   * them is served by another source when one covers it, and otherwise flagged partial.
   */
  incompleteTail?: { months: number; reason: 'registration_cutoff' };
  /**
   * The country whose places its rows are, for an observations source of one country: a Mexican source
   * never serves a U.S. place (nor the other way), so an answer for one says there is no source.
   */
  country?: 'MX' | 'US';
  /**
   * Whether it lists only the places and periods with at least one event (a tabulation of death
   * records, for example): a period it covers with no row for a place then means none was listed there,
   * most likely zero, and says so (`not_listed`) rather than `no_rows`.
   */
  listsOnlyEvents?: boolean;
}

export interface SourceParam {
  name: string;
  description: { en: string; es: string };
  default: string;
  /** What a value must look like. */
  pattern: RegExp;
  /** The catalog key of the message that says so, given `param` and `value`. */
  expected: string;
}

/** Lower case, no accents or BOM, `_` for runs of other characters: `Año` and `AÒo` both give `ano`/`aoo`. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** A SQL string literal. */
export const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The `read_csv` options every source uses: text columns, ragged rows padded, and nothing guessed that
 * could drop lines. DuckDB's sniffer would otherwise take a leading `#` for a comment (a spreadsheet's
 * `#NAME?` cell) and skip those rows silently, or skip leading rows it finds irregular. The escape is the
 * quote itself (RFC 4180, `""` inside a quoted cell): left to the sniffer, a file of a few dozen lines
 * kept `""` doubled in a name. Buffers of 4 MiB, not DuckDB's 32 MiB: each reading thread holds a few,
 * which was a sixth of the memory SESNSP's victims import took, for no gain in speed (lines up to
 * DuckDB's 2 MiB limit still fit).
 */
export const CSV_OPTIONS = `header=true, all_varchar=true, quote='"', escape='"', null_padding=true, strict_mode=false, comment='', skip=0, buffer_size=4194304`;

/**
 * Shared staging fragment: the CSV as text columns, numbered by file line (the header is line 1) unless
 * `numbered` is false, for a source whose lines follow from row order ({@link Source.linesByOrder}).
 */
export function readCsvText(csv: string, delimiter: string, names?: string[], numbered = true): string {
  // `names`: Marco's own column names (a layout's normalised header), whatever the file's spelling.
  const named = names ? `, names=[${names.map(sqlString).join(', ')}]` : '';
  return `select ${numbered ? 'row_number() over () + 1 as line, ' : ''}* from read_csv(${csv}, delim=${sqlString(delimiter)}, ${CSV_OPTIONS}${named})`;
}

/**
 * SQL: the text `expr` as a whole number (`12`, `-3`, `2019.0`), or NULL when it is anything else. DuckDB's
 * own cast to an integer rounds `1.5` to 2, which would load a fractional year, month or count as another,
 * and reads `0x10`, `1_000` and `1e3`; a number too large for 64 bits is NULL too, so its row is rejected
 * rather than the whole file. Plain digits, nearly every cell, take a GLOB test and one cast; only the
 * rest meet the regular expression, which cost a municipal import 5%.
 */
export const wholeNumber = (expr: string) =>
  `(case when ${expr} <> '' and not (${expr} glob '*[!0-9]*') then try_cast(${expr} as bigint)
     when regexp_full_match(trim(${expr}), '-?\\d+(\\.0*)?') then try_cast(try_cast(trim(${expr}) as double) as bigint) end)`;

/** A validation rule of a staging query: when `when` holds, the row is rejected. */
export interface RejectRule {
  /** SQL condition. */
  when: string;
  /** SQL expression naming the column (a quoted literal, usually). */
  column: string;
  /** SQL expression for the offending value. */
  value: string;
  /** Why, in words a person can act on. */
  reason: string;
}

/**
 * The `reject` column of a staging query from ordered rules: the first rule that holds describes the row,
 * as a struct `{column, value, reason}` (null for a valid row). Each condition is evaluated once per row;
 * the importer unpacks the struct into `reject_column`, `reject_value` and `reject_reason`.
 */
export function rejectColumns(rules: RejectRule[]): string {
  return `case ${rules
    .map(
      (r) =>
        `when ${r.when} then {'column': ${r.column}, 'value': (${r.value})::varchar, 'reason': ${sqlString(r.reason)}}`,
    )
    .join(' ')} end as reject`;
}
