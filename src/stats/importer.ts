/**
 * Imports one official file into the statistics store: recognises its layout by its header, stages and
 * validates every row in DuckDB, and replaces the source's observations for the periods the file covers,
 * all in one transaction. Re-importing an identical file is a no-op; a killed import leaves no trace.
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { unzipSync } from 'fflate';
import Bunzip from 'seek-bzip';
import { CliError, EXIT, MarcoError } from '../error.js';
import { normaliseHeader, sqlString, type Source, type SourceLayout } from './source.js';
import { importBoundaries } from './boundaries-import.js';
import { isShapefile, looksLikeGeoJson } from './boundaries.js';
import { refreshObservations, type StatsStore } from './stats-store.js';

/** A problem with the content of a data file, located by file, line and column. */
export class DataError extends MarcoError {
  readonly code = 'invalid_data';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
  constructor(
    message: string,
    readonly report?: unknown,
  ) {
    super(message);
  }
  override details() {
    return this.report;
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
  seconds: number;
}

type Compression = 'none' | 'gzip' | 'bzip2' | 'zip';

async function sniff(file: string): Promise<Compression> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    const b = buffer.subarray(0, bytesRead);
    if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (b.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
    if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
    return 'none';
  } finally {
    await handle.close();
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  // A shapefile's attributes are in its .dbf: the pair is one vintage.
  if (/\.shp$/i.test(file)) {
    const dbf = file.replace(/\.shp$/i, '.dbf');
    const other = file.replace(/\.shp$/i, '.DBF');
    for (const candidate of [dbf, other])
      if (
        await stat(candidate).then(
          (s) => s.isFile(),
          () => false,
        )
      ) {
        for await (const chunk of createReadStream(candidate)) hash.update(chunk as Buffer);
        break;
      }
  }
  return hash.digest('hex');
}

/**
 * Decompresses a gzip file to nowhere: DuckDB reads a truncated gzip stream up to the damage without
 * complaint, so the whole stream is checked before an import may commit.
 */
async function verifyGzip(file: string): Promise<string | null> {
  try {
    const gunzip = createReadStream(file).pipe(createGunzip());
    for await (const _chunk of gunzip) {
      // Each chunk is discarded: only the end of the stream (or an error) matters.
    }
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The first line of a plain or gzip file, without its BOM. */
async function firstLine(file: string, compression: Compression): Promise<string> {
  const raw = createReadStream(file, { highWaterMark: 64 * 1024 });
  const stream = compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  let bytes = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      bytes = Buffer.concat([bytes, chunk as Buffer]);
      const end = bytes.indexOf(0x0a);
      if (end >= 0) {
        bytes = bytes.subarray(0, end);
        break;
      }
      if (bytes.length > 1_000_000) break;
    }
  } catch {
    // A damaged stream: the header is whatever was read; DuckDB reports the damage later.
  } finally {
    raw.destroy();
  }
  // UTF-8 when it is valid, else Latin-1 (older publisher files), without the BOM or a trailing CR.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  return text.replace(/^\uFEFF/, '').replace(/\r$/, '');
}

/**
 * Which layout of `source` a header line belongs to, if any. A layout with further columns (`rest`) comes
 * back with the file's own header.
 */
export function matchLayout(source: Source, header: string): SourceLayout | undefined {
  for (const layout of source.layouts) {
    const columns = header.split(layout.delimiter).map((c) => normaliseHeader(c.replace(/^"|"$/g, '')));
    const fixed = layout.header.every((c, i) => c === columns[i]);
    if (!fixed) continue;
    if (!layout.rest && columns.length === layout.header.length) return layout;
    const rest = columns.slice(layout.header.length);
    if (layout.rest && rest.length > 0 && rest.every((c) => layout.rest!.test(c)))
      return { ...layout, header: columns };
  }
  return undefined;
}

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
    seconds: (performance.now() - started) / 1000,
    ...fields,
  };
}

/**
 * Which source and layout a file belongs to, recognised by its header line (after decompression), or
 * undefined when no source's layout matches.
 */
export async function recogniseFile(
  file: string,
  sources: readonly Source[],
): Promise<{ source: Source; layout: SourceLayout } | undefined> {
  // Map boundaries: a shapefile by its first bytes, TopoJSON or GeoJSON by its `type`.
  const boundaries = sources.find((s) => s.kind === 'boundaries');
  if (boundaries) {
    const handle = await open(file, 'r');
    let head: Buffer;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    const kind = isShapefile(head)
      ? 'shapefile'
      : looksLikeGeoJson(head.toString('utf8'))
        ? 'json'
        : undefined;
    if (kind) return { source: boundaries, layout: { name: kind, delimiter: '', header: [] } };
  }
  const compression = await sniff(file);
  let readable = file;
  if (compression === 'bzip2' || compression === 'zip') {
    try {
      readable = await decompressToTemp(file, compression);
    } catch {
      return undefined;
    }
  }
  try {
    const header = await firstLine(readable, readable === file ? compression : 'none');
    for (const source of sources) {
      const layout = matchLayout(source, header);
      if (layout) return { source, layout };
    }
    return undefined;
  } finally {
    if (readable !== file) await rm(path.dirname(readable), { recursive: true, force: true });
  }
}

/** Imports `file` as `source`; see the module documentation for the guarantees. */
export async function importFile(
  stats: StatsStore,
  source: Source,
  file: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const started = performance.now();
  const maxShare = options.maxRejectShare ?? 0.01;
  const name = path.basename(file);
  let bytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CliError(`${file}: not a file`);
    bytes = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: no such file`);
  }
  const params = resolveParams(source, options.params ?? {});
  const paramsText = Object.keys(params).length ? JSON.stringify(params) : null;
  const digest = await sha256(file);
  const [same] = await stats.all<{
    id: number;
    layout: string;
    rows_read: number;
    rows_loaded: number;
    rows_rejected: number;
  }>(
    // Only a vintage still in force makes a re-import a no-op: re-importing a replaced file restores it.
    `select id, layout, rows_read, rows_loaded, rows_rejected from vintages
     where source = $1 and sha256 = $2 and params is not distinct from $3 and replaced_by is null order by id desc limit 1`,
    [source.id, digest, paramsText],
  );
  const report = (fields: Partial<ImportReport>) => makeReport(source, file, digest, bytes, started, fields);
  if (same) {
    return report({
      status: 'unchanged',
      vintage: same.id,
      layout: same.layout,
      rowsRead: same.rows_read,
      rowsLoaded: same.rows_loaded,
      rowsRejected: same.rows_rejected,
    });
  }

  const ctx = { ...options, started, maxShare, name, bytes, digest, params, paramsText };
  if (source.kind === 'boundaries') return importBoundaries(stats, source, file, ctx);

  const compression = await sniff(file);
  // DuckDB reads plain and gzip files itself; bzip2 and zip are decompressed to a temporary file first.
  let readable = file;
  let decompressSeconds = 0;
  if (compression === 'bzip2' || compression === 'zip') {
    const t = performance.now();
    readable = await decompressToTemp(file, compression);
    decompressSeconds = (performance.now() - t) / 1000;
  } else if (compression === 'gzip' && !/\.gz$/i.test(file)) {
    // DuckDB recognises gzip by the name: a gzip file called anything else is read through a link.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-import-'));
    readable = path.join(dir, 'data.csv.gz');
    await symlink(path.resolve(file), readable);
  }
  try {
    return await importReadable(
      stats,
      source,
      file,
      readable,
      readable === file || compression === 'gzip' ? compression : 'none',
      { ...ctx, decompressSeconds },
    );
  } finally {
    if (readable !== file) await rm(path.dirname(readable), { recursive: true, force: true });
  }
}

/** A source's parameters: the given ones checked, the rest at their defaults. */
export function resolveParams(source: Source, given: Record<string, string>): Record<string, string> {
  const known = source.params ?? [];
  for (const name of Object.keys(given))
    if (!known.some((p) => p.name === name))
      throw new CliError(
        `${source.id} has no parameter ${JSON.stringify(name)}${known.length ? `; it takes ${known.map((p) => p.name).join(', ')}` : '; it takes none'}`,
        EXIT.invalid,
      );
  const params: Record<string, string> = {};
  for (const p of known) {
    const value = given[p.name] ?? p.default;
    if (!p.pattern.test(value))
      throw new CliError(`--param ${p.name}=${value}: expected ${p.expected}`, EXIT.invalid);
    params[p.name] = value;
  }
  return params;
}

/** Decompresses a bzip2 file, or the single CSV inside a zip file, into a new temporary directory. */
async function decompressToTemp(file: string, compression: 'bzip2' | 'zip'): Promise<string> {
  const bytes = await readFile(file);
  let csv: Uint8Array;
  let entry = path.basename(file).replace(/\.(bz2|zip)$/i, '');
  try {
    if (compression === 'bzip2') {
      csv = Bunzip.decode(bytes);
    } else {
      const entries = Object.entries(unzipSync(bytes)).filter(
        ([n]) => !n.endsWith('/') && !n.startsWith('__MACOSX'),
      );
      const data = entries.filter(([n]) => /\.(csv|txt|tsv)$/i.test(n));
      if (data.length !== 1)
        throw new Error(
          `expected exactly one .csv file inside, found ${data.length} (${entries.map(([n]) => n).join(', ') || 'none'})`,
        );
      [entry, csv] = data[0]!;
    }
  } catch (error) {
    throw new DataError(
      `${file}: the ${compression} file cannot be decompressed (${(error as Error).message}); it may be truncated or damaged`,
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-import-'));
  const out = path.join(dir, path.basename(entry) || 'data.csv');
  await writeFile(out, csv);
  return out;
}

export interface ReadableContext extends ImportOptions {
  started: number;
  decompressSeconds: number;
  maxShare: number;
  name: string;
  bytes: number;
  digest: string;
  params: Record<string, string>;
  paramsText: string | null;
}

async function importReadable(
  stats: StatsStore,
  source: Source,
  file: string,
  readable: string,
  compression: Compression,
  ctx: ReadableContext,
): Promise<ImportReport> {
  const { started, maxShare, name, bytes, digest } = ctx;
  const options = ctx;
  const report = (fields: Partial<ImportReport>) =>
    makeReport(source, file, digest, bytes, started, { decompressSeconds: ctx.decompressSeconds, ...fields });
  const header = await firstLine(readable, compression);
  const layout = matchLayout(source, header);
  if (!layout) {
    throw new DataError(
      `${file}:1: the header does not match any layout of ${source.id}.\n  found:    ${header.slice(0, 300)}\n  expected: ${source.layouts
        .map((l) => l.header.join(l.delimiter) + (l.rest ? `${l.delimiter}…` : ''))
        .join(
          '\n       or: ',
        )}\nIs this the right file for ${source.id}? \`marco sources\` lists each source's layouts.`,
    );
  }

  const csv = sqlString(readable);
  const con = stats.con;
  // Checked in parallel with DuckDB's own reading, and awaited before anything is written.
  const gzipProblem = compression === 'gzip' ? verifyGzip(readable) : Promise.resolve(null);
  await con.run('begin transaction');
  let table = 'staged';
  try {
    const now = (options.now ?? (() => new Date()))().toISOString().replace('T', ' ').replace('Z', '');
    const [vintage] = await stats.all<{ id: number }>(
      `insert into vintages (source, file_name, sha256, bytes, layout, rows_read, rows_loaded, rows_rejected, imported_at, marco_version, params)
       values ($1, $2, $3, $4, $5, 0, 0, 0, $6::timestamp, $7, $8) returning id`,
      [source.id, name, digest, bytes, layout.name, now, options.version, ctx.paramsText],
    );
    const id = vintage!.id;
    options.onProgress?.('reading');
    // Observations are written once, straight into this vintage's own table; geography goes through a
    // temporary table into the spine.
    table = source.kind === 'observations' ? `obs_${id}` : 'staged';
    // Only what varies by row is written: the source and vintage belong to the table, and a source's
    // declared constants to its vintage (see `observationColumns`).
    const constant = source.kind === 'observations' ? source.constant : undefined;
    const staging = source.staging!(csv, layout, ctx.params);
    // Rules written with `rejectColumns` give one struct, unpacked here; other stagings give the columns.
    const structured = /\bend as reject\b(?!_)/.test(staging);
    const excluded = [
      ...(constant ? ['measure', 'geo_level', 'granularity', 'dims'] : []),
      ...(structured ? ['reject'] : []),
    ];
    const columns = `*${excluded.length ? ` exclude (${excluded.join(', ')})` : ''}${
      structured
        ? ', reject.column as reject_column, reject.value as reject_value, reject.reason as reject_reason'
        : ''
    }`;
    try {
      await con.run(
        `create ${source.kind === 'observations' ? '' : 'or replace temp '}table ${table} as
         select ${columns} from (${staging})`,
      );
    } catch (error) {
      throw new DataError(
        `${file}: the file cannot be read as ${layout.name} (${(error as Error).message.split('\n')[0]}); it may be truncated or damaged`,
      );
    }
    const damage = await gzipProblem;
    if (damage)
      throw new DataError(
        `${file}: the gzip stream is truncated or damaged (${damage}); nothing was imported`,
      );
    options.onProgress?.('validating');
    // Queries below see the constants as columns, whether or not they are stored.
    const rows = constant
      ? `(select *, ${sqlString(constant.measure)} as measure, ${sqlString(constant.geo_level)} as geo_level,
           ${sqlString(constant.granularity)} as granularity, MAP {}::MAP(VARCHAR, VARCHAR) as dims from ${table})`
      : table;
    const key =
      source.kind === 'geography'
        ? 'code'
        : source.kind === 'figures'
          ? 'figure_id'
          : constant
            ? // The other key columns are the same on every row: grouping on a map costs a sixth of the import.
              'geo, period'
            : 'measure, geo_level, geo, granularity, period, dims';
    // Rows that will be stored: valid and, for observations, with a value (skipped rows carry none and may
    // have no period).
    const kept =
      source.kind === 'observations'
        ? 'reject_reason is null and value is not null'
        : 'reject_reason is null';
    // A key seen twice inside one file: every occurrence after the first is rejected. Files rarely have
    // any, so a cheap aggregate looks first and the ordered scan runs only when it finds some.
    const [dups] = await stats.all<{ n: number }>(
      `select count(*) as n from (select 1 from ${constant ? table : rows} where ${kept} group by ${key} having count(*) > 1)`,
    );
    // The duplicate_reason column exists only when a file has duplicates (the rare, slower path).
    const dup = dups!.n > 0 ? 'duplicate_reason' : 'null::varchar';
    if (dups!.n > 0) {
      await con.run(`alter table ${table} add column duplicate_reason varchar`);
      await con.run(`
        update ${table} set duplicate_reason = 'duplicate key: an earlier line has the same ${source.kind === 'geography' ? 'code' : 'measure, place, period and dimensions'}'
        where line in (
          select line from (
            select line, row_number() over (partition by ${key} order by line) as rn from ${rows} where ${kept})
          where rn > 1)`);
    }
    const [counts] = await stats.all<{
      read: number;
      rejected: number;
      skipped: number;
      from: string | null;
      to: string | null;
    }>(`
      select count(*) as read,
        count(*) filter (where reject_reason is not null or ${dup} is not null) as rejected,
        ${source.kind === 'observations' ? `count(*) filter (where reject_reason is null and ${dup} is null and value is null)` : '0'} as skipped,
        ${
          source.kind !== 'observations'
            ? 'null as "from", null as "to"'
            : `strftime(min(period) filter (where ${kept} and ${dup} is null), '%Y-%m-%d') as "from",
               strftime(max(period) filter (where ${kept} and ${dup} is null), '%Y-%m-%d') as "to"`
        }
      from ${rows}`);
    const rejects = counts!.rejected
      ? await stats.all<{ line: number; column: string; value: string | null; reason: string }>(`
          select line, coalesce(reject_column, '(row)') as "column", reject_value as value,
            coalesce(reject_reason, ${dup}) as reason
          from ${table} where reject_reason is not null or ${dup} is not null order by line limit 1000`)
      : [];
    const shown = rejects.slice(0, 20).map((r) => ({ file, ...r }));
    if (counts!.read === 0) throw new DataError(`${file}: no data rows after the header`);
    if (counts!.rejected / counts!.read > maxShare) {
      throw new DataError(
        `${file}: ${counts!.rejected} of ${counts!.read} rows rejected (${((100 * counts!.rejected) / counts!.read).toFixed(2)}%, above the ${100 * maxShare}% limit); nothing was imported.\n${shown
          .map((r) => `  ${r.file}:${r.line} ${r.column}=${JSON.stringify(r.value)}: ${r.reason}`)
          .join('\n')}\nFix the file, or raise the limit with --max-rejects if these rows should be skipped.`,
        { rejected: counts!.rejected, read: counts!.read, rejects: shown },
      );
    }
    options.onProgress?.('writing');
    if (counts!.rejected) {
      await con.run(`
        insert into rejects select ${id}, line, coalesce(reject_column, '(row)'), reject_value, coalesce(reject_reason, ${dup})
        from ${table} where reject_reason is not null or ${dup} is not null order by line limit 1000`);
    }
    await con.run(
      `update vintages set rows_read = $1, rows_loaded = $2, rows_rejected = $3, period_from = $4::date, period_to = $5::date,
         table_name = $6, constants = $8 where id = $7`,
      [
        counts!.read,
        counts!.read - counts!.rejected - counts!.skipped,
        counts!.rejected,
        counts!.from,
        counts!.to,
        source.kind === 'observations' ? table : null,
        id,
        constant ? JSON.stringify(constant) : null,
      ] as never,
    );
    let replaced: number[] = [];
    let unknown = { count: 0, examples: [] as string[] };
    if (source.kind === 'figures') {
      await con.run(`
        insert or replace into figures
        select figure_id, measure, geo, period, value_text, value, unit, statement, citation, ${id}
        from staged where reject_reason is null and ${dup} is null`);
    } else if (source.kind === 'geography') {
      await con.run(`
        insert or replace into geo (code, level, name, parent, country, fips, usps, source)
        select code, level, name, parent, country, null, null, ${sqlString(source.id)}
        from staged where reject_reason is null and ${dup} is null`);
    } else {
      // Rejected rows are reported; rows without a value (a publisher's suppressed cell) are skipped.
      if (counts!.rejected || counts!.skipped)
        await con.run(
          `delete from ${table} where reject_reason is not null or ${dup} is not null or value is null`,
        );
      unknown = await unknownPlaces(stats, rows);
      // The new vintage replaces this source's observations for the span it covers: older vintages lose
      // those periods, and a vintage left with nothing is marked replaced and its table dropped.
      const older = await stats.all<{ id: number; table_name: string }>(
        `select id, table_name from vintages where source = $1 and id != $2 and table_name is not null`,
        [source.id, id],
      );
      for (const old of older) {
        const places =
          source.replaces === 'places-and-periods' ? ` and geo in (select distinct geo from ${table})` : '';
        // A source of several measures (CDC's indicators) replaces only the measures the new file holds.
        const measures = constant ? '' : ` and measure in (select distinct measure from ${table})`;
        await con.run(
          `delete from ${old.table_name} where period between $1::date and $2::date${places}${measures}`,
          [counts!.from, counts!.to] as never,
        );
        const [left] = await stats.all<{ n: number }>(`select count(*) as n from ${old.table_name}`);
        if (left!.n === 0) {
          await con.run(`update vintages set replaced_by = $1, table_name = null where id = $2`, [
            id,
            old.id,
          ] as never);
          await con.run(`drop table ${old.table_name}`);
          replaced.push(old.id);
        }
      }
      replaced = replaced.sort((a, b) => a - b);
      await refreshObservations(con);
      // What each source holds, by measure and level: the series planner reads this small table only.
      await con.run(`delete from coverage where source = $1`, [source.id] as never);
      await con.run(
        `insert into coverage select source, measure, geo_level, granularity, min(period), max(period), count(distinct geo), count(*),
           bool_or(cardinality(dims) = 0)
         from observations where source = $1 group by source, measure, geo_level, granularity`,
        [source.id] as never,
      );
    }
    options.onProgress?.('committing');
    await con.run('commit');
    stats.invalidate();
    return report({
      vintage: id,
      layout: layout.name,
      rowsRead: counts!.read,
      rowsLoaded: counts!.read - counts!.rejected - counts!.skipped,
      rowsSkipped: counts!.skipped,
      rowsRejected: counts!.rejected,
      rejects: shown,
      periodFrom: counts!.from,
      periodTo: counts!.to,
      replaced,
      unknownPlaces: unknown,
      seconds: (performance.now() - started) / 1000,
    });
  } catch (error) {
    await con.run('rollback').catch(() => undefined);
    throw error;
  } finally {
    if (table === 'staged') await con.run('drop table if exists staged').catch(() => undefined);
  }
}

/** Codes staged for import that the geography catalogue does not know (only when it has that level). */
async function unknownPlaces(
  stats: StatsStore,
  table: string,
): Promise<{ count: number; examples: string[] }> {
  const rows = await stats.all<{ geo: string }>(`
    select distinct s.geo from ${table} s
    where s.geo_level in ('state', 'municipality')
      and exists (select 1 from geo g where g.level = s.geo_level)
      and not exists (select 1 from geo g where g.code = s.geo)
    order by s.geo`);
  return { count: rows.length, examples: rows.slice(0, 10).map((r) => r.geo) };
}
