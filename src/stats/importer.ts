/**
 * Imports one official file into the statistics store: recognises its layout by its header, stages and
 * validates every row in DuckDB, and replaces the source's observations for the periods the file covers,
 * all in one transaction. Re-importing an identical file is a no-op; a killed import leaves no trace.
 * The stages themselves are in `import-stages.ts`; map boundaries go through `boundaries-import.ts`.
 * @module
 */
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from '../error.js';
import { importBoundaries } from './boundaries-import.js';
import { decompressToTemp, firstLine, sha256, sniff, verifyGzip, type Compression } from './file-reading.js';
import {
  openVintage,
  publishRows,
  recordVintage,
  stageRows,
  stagingTable,
  validateRows,
} from './import-stages.js';
import {
  DataError,
  makeReport,
  type ImportContext,
  type ImportOptions,
  type ImportReport,
} from './import-report.js';
import { importNetwork } from './networks/network-import.js';
import { layoutOf } from './recognise.js';
import { sqlString, type Source } from './source.js';
import type { StatsStore } from './stats-store.js';

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
    if (!info.isFile()) throw new CliError({ key: 'files.notAFile', values: { file } });
    bytes = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError({ key: 'files.noSuchFile', values: { file } });
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
    // Only a vintage still in force makes a re-import a no-op: re-importing a replaced or rolled-back file
    // restores it.
    `select id, layout, rows_read, rows_loaded, rows_rejected from vintages
     where source = $1 and sha256 = $2 and params is not distinct from $3 and replaced_by is null and withdrawn_at is null
     order by id desc limit 1`,
    [source.id, digest, paramsText],
  );
  if (same) {
    return makeReport(source, file, digest, bytes, started, {
      status: 'unchanged',
      vintage: same.id,
      layout: same.layout,
      rowsRead: same.rows_read,
      rowsLoaded: same.rows_loaded,
      rowsRejected: same.rows_rejected,
    });
  }

  const ctx: ImportContext = { ...options, started, maxShare, name, bytes, digest, params, paramsText };
  if (source.kind === 'boundaries') return importBoundaries(stats, source, file, ctx);
  if (source.kind === 'network') return importNetwork(stats, source, file, ctx);

  const compression = await sniff(file);
  // DuckDB reads plain and gzip files itself; bzip2 and zip are decompressed to a temporary file first.
  let readable = file;
  let decompressSeconds = 0;
  let decompressPeakMb: number | null = null;
  if (compression === 'bzip2' || compression === 'zip') {
    const t = performance.now();
    const decompressed = await decompressToTemp(file, compression);
    readable = decompressed.path;
    decompressPeakMb = decompressed.peakMb;
    decompressSeconds = (performance.now() - t) / 1000;
  } else if (compression === 'gzip' && !/\.gz$/i.test(file)) {
    // DuckDB recognises gzip by the name: a gzip file called anything else is read through a link.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-import-'));
    readable = path.join(dir, 'data.csv.gz');
    await symlink(path.resolve(file), readable);
  }
  try {
    const read = readable === file || compression === 'gzip' ? compression : 'none';
    return await importReadable(stats, source, file, readable, read, ctx, {
      decompressSeconds,
      decompressPeakMb,
    });
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
        known.length
          ? {
              key: 'imports.param.unknown',
              values: {
                source: source.id,
                name: JSON.stringify(name),
                known: known.map((p) => p.name).join(', '),
              },
            }
          : { key: 'imports.param.none', values: { source: source.id, name: JSON.stringify(name) } },
        EXIT.invalid,
      );
  const params: Record<string, string> = {};
  for (const p of known) {
    const value = given[p.name] ?? p.default;
    if (!p.pattern.test(value))
      throw new CliError({ key: p.expected, values: { param: p.name, value } }, EXIT.invalid);
    params[p.name] = value;
  }
  return params;
}

/** The stages of one import (see `import-stages.ts`), in one transaction. */
async function importReadable(
  stats: StatsStore,
  source: Source,
  file: string,
  readable: string,
  compression: Compression,
  ctx: ImportContext,
  decompression: Pick<ImportReport, 'decompressSeconds' | 'decompressPeakMb'>,
): Promise<ImportReport> {
  const layout = layoutOf(source, file, await firstLine(readable, compression));
  const con = stats.con;
  // Checked in parallel with DuckDB's own reading, and awaited before anything is written.
  const gzipProblem = compression === 'gzip' ? verifyGzip(readable) : Promise.resolve(null);
  await con.run('begin transaction');
  let table = 'staged';
  try {
    const vintage = await openVintage(stats, source, layout, ctx);
    table = stagingTable(source, vintage);
    ctx.onProgress?.('reading');
    const staged = await stageRows(stats, source, layout, sqlString(readable), table, file, ctx.params);
    const damage = await gzipProblem;
    if (damage) throw new DataError({ key: 'imports.gzipDamaged', values: { file, reason: damage } });
    ctx.onProgress?.('validating');
    const valid = await validateRows(stats, source, staged, file, ctx.maxShare);
    ctx.onProgress?.('writing');
    await recordVintage(stats, source, vintage, staged, valid);
    const { replaced, unknown } = await publishRows(stats, source, vintage, staged, valid);
    ctx.onProgress?.('committing');
    await con.run('commit');
    stats.invalidate();
    return makeReport(source, file, ctx.digest, ctx.bytes, ctx.started, {
      ...decompression,
      vintage,
      layout: layout.name,
      rowsRead: valid.read,
      rowsLoaded: valid.read - valid.rejected - valid.skipped,
      rowsSkipped: valid.skipped,
      rowsRejected: valid.rejected,
      rejects: valid.shown,
      periodFrom: valid.from,
      periodTo: valid.to,
      replaced,
      unknownPlaces: unknown,
    });
  } catch (error) {
    await con.run('rollback').catch(() => undefined);
    throw error;
  } finally {
    if (table === 'staged') await con.run('drop table if exists staged').catch(() => undefined);
  }
}
