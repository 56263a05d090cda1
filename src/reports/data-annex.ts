/**
 * The content of a data-quality annex: what the figures of every other report stand on. The statistics
 * vintages in force with their checksums, periods and row counts; the rows each import rejected, by
 * reason, with examples; the documented figures checked against the data (claim checks); INEGI against
 * SESNSP for the country and each state; and the head of the records' audit chain, verified (entries,
 * last hash, signatures, records whose state is not their last audited one). Everything here is public:
 * statistics are public data, and the audit head is what every export already carries.
 * @module
 */
import type { Classification } from '../domain/common-schema.js';
import { verifyAudit } from '../records/audit-verify.js';
import type { RecordsStore } from '../records/database.js';
import { sourceCatalogue, type VintageRow } from '../stats/catalogue.js';
import { checkClaims, type ClaimCheck } from '../stats/claims.js';
import { reconcile, type ReconciliationRow } from '../stats/reconcile.js';
import { rejectedRows, type VintageRejects } from '../stats/rejected-rows.js';
import type { StatsStore } from '../stats/stats-store.js';
import { MarcoError } from '../error.js';

export interface DataAnnex {
  subject: 'data';
  classification: Classification;
  /** Vintages in force, by source. */
  vintages: (Pick<
    VintageRow,
    'id' | 'source' | 'file_name' | 'sha256' | 'bytes' | 'rows_read' | 'rows_loaded' | 'rows_rejected'
  > & { period_from: string | null; period_to: string | null; publisher: string })[];
  rejects: VintageRejects[];
  claims: ClaimCheck[];
  /** The country's rows, then each state's in the latest year both sources cover. */
  reconciliation: { national: ReconciliationRow[]; states: ReconciliationRow[]; year: string | null };
  audit: {
    entries: number;
    head: string | null;
    unsigned: number;
    badSignatures: number;
    brokenAt: number | null;
    mismatches: number;
    tampered: boolean;
  };
}

/** The data-quality annex of these stores. */
export async function dataAnnex(store: RecordsStore, stats: StatsStore | undefined): Promise<DataAnnex> {
  const [catalogue, rejects, claims, rows, audit] = await Promise.all([
    stats ? sourceCatalogue(stats) : [],
    stats ? rejectedRows(stats) : [],
    stats ? checkClaims(stats) : [],
    // A store without both counts has nothing to reconcile.
    stats
      ? reconcile(stats).catch((error: unknown) => {
          if (error instanceof MarcoError) return [] as ReconciliationRow[];
          throw error;
        })
      : [],
    verifyAudit(store),
  ]);
  const vintages = catalogue.flatMap((s) =>
    s.vintages
      .filter((v) => v.withdrawn_at === null && v.replaced_by === null)
      .map((v) => ({
        id: v.id,
        source: v.source,
        file_name: v.file_name,
        sha256: v.sha256,
        bytes: v.bytes,
        rows_read: v.rows_read,
        rows_loaded: v.rows_loaded,
        rows_rejected: v.rows_rejected,
        period_from: v.period_from,
        period_to: v.period_to,
        publisher: s.publisher,
      })),
  );
  const national = rows.filter((r) => r.geo === 'MX');
  const year = national.filter((r) => r.gap !== null).at(-1)?.year ?? null;
  return {
    subject: 'data',
    classification: 'public',
    vintages,
    rejects,
    claims,
    reconciliation: {
      national,
      states: year === null ? [] : rows.filter((r) => r.geo !== 'MX' && r.year === year),
      year,
    },
    audit: {
      entries: audit.entries,
      head: audit.head,
      unsigned: audit.unsigned,
      badSignatures: audit.badSignatures.length,
      brokenAt: audit.brokenAt,
      mismatches: audit.mismatches.length,
      tampered: audit.tampered,
    },
  };
}
