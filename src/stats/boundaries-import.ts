/**
 * The import of a boundaries file into the statistics store, with the same guarantees as a CSV import:
 * a report of every rejected feature, the reject threshold, a vintage for provenance, replacement of the
 * older vintage's places of the same level, and one transaction.
 * @module
 */
import { simplifyBoundaries, validateBoundaries } from './boundaries.js';
import { BoundaryError, readBoundaryFile } from './boundary-files.js';
import {
  DataError,
  RejectsError,
  makeReport,
  type ImportContext,
  type ImportReport,
} from './import-report.js';
import { sqlString, type Source } from './source.js';
import type { StatsStore } from './stats-store.js';

export async function importBoundaries(
  stats: StatsStore,
  source: Source,
  file: string,
  ctx: ImportContext,
): Promise<ImportReport> {
  const { started, maxShare, name, bytes, digest } = ctx;
  ctx.onProgress?.('reading');
  let read;
  try {
    read = await readBoundaryFile(file);
  } catch (error) {
    if (error instanceof BoundaryError) throw new DataError(error.text ?? error.message);
    throw error;
  }
  ctx.onProgress?.('validating');
  const { valid, rejects } = validateBoundaries(read.features);
  const shown = rejects.slice(0, 20).map((r) => ({
    file,
    line: r.feature,
    column: r.column,
    value: r.value,
    reason: r.reason,
  }));
  if (read.features.length === 0)
    throw new DataError({ key: 'imports.boundaries.noFeatures', values: { file } });
  if (rejects.length / read.features.length > maxShare)
    throw new RejectsError(
      'imports.boundaries.tooManyRejects',
      {
        file,
        rejected: String(rejects.length),
        read: String(read.features.length),
        limit: String(100 * maxShare),
      },
      shown,
      { rejected: rejects.length, read: read.features.length, rejects: shown },
      'imports.boundaries.rejectRow',
    );
  const keep = Number(ctx.params.keep ?? '0.15');
  const simplified = simplifyBoundaries(valid, keep);
  const levels = [...new Set(valid.map((v) => v.level))];

  ctx.onProgress?.('writing');
  const con = stats.con;
  await con.run('begin transaction');
  try {
    const now = (ctx.now ?? (() => new Date()))().toISOString().replace('T', ' ').replace('Z', '');
    const [vintage] = await stats.all<{ id: number }>(
      `insert into vintages (source, file_name, sha256, bytes, layout, rows_read, rows_loaded, rows_rejected, imported_at, marco_version, params, imported_by, origin)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamp, $10, $11, $12, $13) returning id`,
      [
        source.id,
        name,
        digest,
        bytes,
        read.layout,
        read.features.length,
        valid.length,
        rejects.length,
        now,
        ctx.version,
        ctx.paramsText,
        // Who imported it and from where, as for every other source.
        ctx.importedBy ?? null,
        ctx.origin ?? null,
      ],
    );
    const id = vintage!.id;
    for (const r of rejects.slice(0, 1000))
      await con.run(`insert into rejects values ($1, $2, $3, $4, $5)`, [
        id,
        r.feature,
        r.column,
        r.value,
        r.reason,
      ] as never);
    // The new vintage replaces every place of the levels it holds.
    await con.run(`delete from boundaries where level in (${levels.map(sqlString).join(', ')})`);
    const rows = valid.map(
      (v) =>
        `(${sqlString(v.code)}, ${sqlString(v.level)}, ${v.name === null ? 'null' : sqlString(v.name)}, ${id}, ${sqlString(JSON.stringify(simplified.get(v.code) ?? v.geometry))})`,
    );
    for (let i = 0; i < rows.length; i += 500)
      await con.run(`insert into boundaries values ${rows.slice(i, i + 500).join(', ')}`);
    const replaced = (
      await stats.all<{ id: number }>(
        `update vintages set replaced_by = $1 where source = $2 and id != $1 and replaced_by is null
           and not exists (select 1 from boundaries b where b.vintage_id = vintages.id) returning id`,
        [id, source.id],
      )
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    const unknown = await stats.all<{ code: string }>(
      `select b.code from boundaries b where b.vintage_id = $1
         and exists (select 1 from geo g where g.level = b.level) and not exists (select 1 from geo g where g.code = b.code)
       order by b.code`,
      [id],
    );
    ctx.onProgress?.('committing');
    await con.run('commit');
    stats.invalidate();
    return makeReport(source, file, digest, bytes, started, {
      vintage: id,
      layout: read.layout,
      rowsRead: read.features.length,
      rowsLoaded: valid.length,
      rowsRejected: rejects.length,
      rejects: shown,
      replaced,
      unknownPlaces: { count: unknown.length, examples: unknown.slice(0, 10).map((u) => u.code) },
      seconds: (performance.now() - started) / 1000,
    });
  } catch (error) {
    await con.run('rollback').catch(() => undefined);
    throw error;
  }
}
