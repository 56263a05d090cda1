/**
 * What an import tells its caller: the report of a finished import, the located error of a refused one,
 * and the context every stage of an import shares. Both the CSV importer and the boundaries importer
 * speak these types.
 * @module
 */
import { EXIT, MarcoError, type Text } from '../error.js';
import { translator, type Locale } from '../i18n/index.js';
import { rejectReasonIn } from './reject-reasons.js';
import type { Source } from './source.js';

/** A problem with the content of a data file, located by file, line and column. */
export class DataError extends MarcoError {
  readonly code = 'invalid_data';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
  constructor(
    message: string | Text,
    readonly report?: unknown,
  ) {
    super(message);
  }
  override details() {
    return this.report;
  }
  /** The same error, naming the file `name` wherever it named the path `file` (an upload's temporary copy). */
  renamed(file: string, name: string): DataError {
    const rename = <V>(v: V) => (typeof v === 'string' ? v.replaceAll(file, name) : v);
    const message = this.text
      ? { key: this.text.key, values: mapValues(this.text.values ?? {}, rename) }
      : this.message.replaceAll(file, name);
    return new DataError(message, renamedReport(this.report, file, name));
  }
}

const mapValues = <T, U>(o: Record<string, T>, f: (v: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** A report (any JSON) with every mention of the path `file` replaced by `name`. */
function renamedReport(report: unknown, file: string, name: string): unknown {
  if (report === undefined) return undefined;
  return JSON.parse(JSON.stringify(report).replaceAll(JSON.stringify(file).slice(1, -1), name));
}

/**
 * An import refused for too many rejected rows: its message lists the first rejected rows, each with its
 * reason in the reader's language (`rowKey` lays one row out: a CSV line, a boundary feature).
 */
export class RejectsError extends DataError {
  constructor(
    private readonly key: string,
    private readonly values: Record<string, string | number>,
    private readonly rows: RejectedRow[],
    report: unknown,
    private readonly rowKey = 'imports.rejectRow',
  ) {
    super({ key, values: { ...values, rows: RejectsError.rowsIn('en', rows, rowKey) } }, report);
  }
  private static rowsIn(locale: Locale, rows: RejectedRow[], rowKey: string): string {
    const t = translator(locale);
    return rows
      .map((r) =>
        t(rowKey, {
          file: r.file,
          line: String(r.line),
          column: r.column,
          value: JSON.stringify(r.value),
          reason: rejectReasonIn(locale, r.reason),
        }),
      )
      .join('\n');
  }
  override messageIn(locale: Locale): string {
    return translator(locale)(this.key, {
      ...this.values,
      rows: RejectsError.rowsIn(locale, this.rows, this.rowKey),
    });
  }
  override renamed(file: string, name: string): DataError {
    const rename = (v: string | number) => (typeof v === 'string' ? v.replaceAll(file, name) : v);
    return new RejectsError(
      this.key,
      mapValues(this.values, rename),
      this.rows.map((r) => ({ ...r, file: r.file.replaceAll(file, name) })),
      renamedReport(this.report, file, name),
      this.rowKey,
    );
  }
}

export interface ImportOptions {
  /** Largest share of rejected rows before the import is refused (default 0.01 = 1%). */
  maxRejectShare?: number;
  now?: () => Date;
  /** Marco's version, recorded in the vintage. */
  version: string;
  /** The source's parameters (`--param name=value`); the others take their defaults. */
  params?: Record<string, string>;
  /** Who imports, for the vintage's provenance (the CLI's actor, the API token's user). */
  importedBy?: string;
  /** Where the file came from: the path given, `upload:NAME` through the API, or the URL fetched. */
  origin?: string;
  /** Told each stage as it starts: for progress on large files. */
  onProgress?: (stage: 'reading' | 'validating' | 'writing' | 'committing') => void;
}

export interface RejectedRow {
  file: string;
  line: number;
  column: string;
  value: string | null;
  reason: string;
}

export interface ImportReport {
  source: string;
  file: string;
  status: 'imported' | 'unchanged';
  vintage: number;
  layout: string;
  sha256: string;
  bytes: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Rows without a value that the publisher left empty on purpose (suppressed small counts). */
  rowsSkipped: number;
  /** The first 20 rejected rows (the first 1,000 are stored with the vintage, in the rejects table). */
  rejects: RejectedRow[];
  periodFrom: string | null;
  periodTo: string | null;
  /** Earlier vintages whose periods this one now covers. */
  replaced: number[];
  /** Place codes absent from the geography catalogue (kept, and reported). */
  unknownPlaces: { count: number; examples: string[] };
  /** Time spent decompressing a bzip2 or zip file before DuckDB reads it (included in `seconds`). */
  decompressSeconds: number;
  /**
   * Peak memory (MB) of the child process that decompressed a large bzip2 file on several cores; its
   * memory went back to the system before the import read the file. Null when this process did it.
   */
  decompressPeakMb: number | null;
  seconds: number;
}

/** What every stage of one import knows: the options, the file's identity and the resolved parameters. */
export interface ImportContext extends ImportOptions {
  started: number;
  maxShare: number;
  /** The file's base name, recorded in the vintage. */
  name: string;
  bytes: number;
  digest: string;
  params: Record<string, string>;
  paramsText: string | null;
}

/** A report with every count at zero, then `fields`; `seconds` runs from `started`. */
export function makeReport(
  source: Source,
  file: string,
  digest: string,
  bytes: number,
  started: number,
  fields: Partial<ImportReport>,
): ImportReport {
  return {
    source: source.id,
    file,
    status: 'imported',
    vintage: 0,
    layout: '',
    sha256: digest,
    bytes,
    rowsRead: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
    rowsSkipped: 0,
    rejects: [],
    periodFrom: null,
    periodTo: null,
    replaced: [],
    unknownPlaces: { count: 0, examples: [] },
    decompressSeconds: 0,
    decompressPeakMb: null,
    seconds: (performance.now() - started) / 1000,
    ...fields,
  };
}
