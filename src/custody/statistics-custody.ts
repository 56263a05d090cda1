/**
 * The chain of custody of official statistics: every import, every replacement of earlier data, and
 * every rollback becomes an entry of the records store's audit log, attributed to who did it, with the
 * file's name, its SHA-256 and where it came from. The statistics store records the same provenance on
 * each vintage; the audit log is what the counterpart country verifies (`docs/security.md`).
 *
 * With statistics generations, the entries are written by the transaction that publishes the
 * generation (`deferred-audit.ts`): both or neither. On a single store, the two stores commit separately:
 * the statistics first, then the audit entry; a process killed between the two leaves a vintage without
 * its entry, which `marco audit verify` names.
 * @module
 */
import type { RecordsStore } from '../records/database.js';
import type { WriteOptions } from '../records/transaction.js';
import { importFile } from '../stats/importer.js';
import type { ImportOptions, ImportReport } from '../stats/import-report.js';
import { rollbackVintage, type RollbackReport } from '../stats/rollback.js';
import type { Source } from '../stats/source.js';
import type { StatsStore } from '../stats/stats-store.js';
import { auditStatisticsWrite } from './deferred-audit.js';

/** The audit entity of a statistics vintage. */
export const VINTAGE_ENTITY = 'statistics vintage';

/** Imports `file` and, when it changed the store, writes the audit entries of the import. */
export async function importAudited(
  stats: StatsStore,
  records: RecordsStore,
  source: Source,
  file: string,
  options: ImportOptions & { importedBy: string; origin: string },
  write: WriteOptions = { actor: options.importedBy },
): Promise<ImportReport> {
  const report = await importFile(stats, source, file, options);
  if (report.status === 'imported') await auditImport(stats, records, report, options.origin, write);
  return report;
}

/** The audit entries of one import: the new vintage, and each earlier vintage whose rows it took over. */
export async function auditImport(
  stats: StatsStore,
  records: RecordsStore,
  report: ImportReport,
  origin: string,
  write: WriteOptions,
): Promise<void> {
  const taken = await stats.all<{ from_vintage: number | null; from_table: string; rows: number }>(
    `select from_vintage, from_table, rows from takeovers where vintage_id = $1 order by kept_in`,
    [report.vintage],
  );
  await auditStatisticsWrite(stats, records, write, (ctx) => {
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'create',
      entity: VINTAGE_ENTITY,
      key: String(report.vintage),
      before: null,
      after: {
        source: report.source,
        file: report.file.split(/[\\/]/).pop()!,
        sha256: report.sha256,
        bytes: report.bytes,
        origin,
        layout: report.layout,
        rows_loaded: report.rowsLoaded,
        rows_rejected: report.rowsRejected,
        period_from: report.periodFrom,
        period_to: report.periodTo,
      },
    });
    // A vintage replaced whole (a network file's older groups or ties), not row by row.
    const takenFrom = new Set(taken.map((t) => t.from_vintage));
    for (const id of report.replaced.filter((r) => !takenFrom.has(r)))
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'update',
        entity: VINTAGE_ENTITY,
        key: String(id),
        before: null,
        after: { replaced_by: report.vintage },
      });
    for (const t of taken)
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'update',
        entity: t.from_vintage === null ? `statistics ${t.from_table}` : VINTAGE_ENTITY,
        key: t.from_vintage === null ? `${report.source}#${report.vintage}` : String(t.from_vintage),
        before: null,
        after: { taken_over_by: report.vintage, rows: t.rows },
      });
  });
}

/** Rolls back vintage `id` and writes the audit entries: the withdrawal, and each reinstatement. */
export async function rollbackAudited(
  stats: StatsStore,
  records: RecordsStore,
  id: number,
  write: WriteOptions,
): Promise<RollbackReport> {
  const report = await rollbackVintage(stats, id, write.actor, write.now);
  await auditStatisticsWrite(stats, records, write, (ctx) => {
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'update',
      entity: VINTAGE_ENTITY,
      key: String(id),
      before: { source: report.source, file: report.file, sha256: report.sha256 },
      after: { withdrawn: true, rows_withdrawn: report.rowsWithdrawn },
    });
    for (const r of report.reinstated)
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'update',
        entity: r.vintage === null ? `statistics ${r.table}` : VINTAGE_ENTITY,
        key: r.vintage === null ? `${report.source}#${id}` : String(r.vintage),
        before: null,
        after: { reinstated_from: id, rows: r.rows },
      });
  });
  return report;
}

/**
 * Vintages imported since imports were audited (they name who imported them) that have no audit entry:
 * imported outside Marco, or by a process stopped between the statistics commit and the audit write.
 */
export async function unauditedVintages(stats: StatsStore, records: RecordsStore): Promise<number[]> {
  const vintages = await stats.all<{ id: number }>(
    `select id from vintages where imported_by is not null order by id`,
  );
  const audited = new Set(
    (
      await records.db
        .selectFrom('audit_log')
        .select('entity_key')
        .where('entity', '=', VINTAGE_ENTITY)
        .where('action', '=', 'create')
        .execute()
    ).map((r) => r.entity_key),
  );
  return vintages.map((v) => v.id).filter((id) => !audited.has(String(id)));
}
