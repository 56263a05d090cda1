/**
 * The rows each vintage in force rejected, as a data-quality annex shows them: for each vintage with
 * rejects, how many it rejected and, per reason, the count and the first few rows (line, column, value).
 * A vintage keeps its first 1,000 rejects (`rejects`), so a count above that is the vintage's own total.
 * @module
 */
import type { StatsStore } from './stats-store.js';

export interface RejectExample {
  line: number;
  column: string;
  value: string | null;
}

export interface VintageRejects {
  vintage: number;
  source: string;
  file: string;
  /** Every row the import rejected (`rows_rejected`). */
  rejected: number;
  rowsRead: number;
  /** Stored reasons (English, as `reject-reasons.ts` keeps them) with their stored counts and examples. */
  reasons: { reason: string; count: number; examples: RejectExample[] }[];
}

/** Rejects of the vintages in force (not replaced wholly, not withdrawn), `examples` per reason. */
export async function rejectedRows(stats: StatsStore, examples = 3): Promise<VintageRejects[]> {
  const vintages = await stats.all<{
    id: number;
    source: string;
    file_name: string;
    rows_rejected: number;
    rows_read: number;
  }>(
    `select id, source, file_name, rows_rejected::double as rows_rejected, rows_read::double as rows_read
     from vintages where table_name is not null and withdrawn_at is null and rows_rejected > 0
     order by source, id`,
  );
  if (vintages.length === 0) return [];
  const rows = await stats.all<{
    vintage_id: number;
    reason: string;
    n: number;
    line: number;
    column: string;
    value: string | null;
    k: number;
  }>(
    `select vintage_id, reason, n, line, "column", value, k from (
       select vintage_id, reason, line::double as line, "column", value,
         count(*) over (partition by vintage_id, reason)::double as n,
         row_number() over (partition by vintage_id, reason order by line, "column") as k
       from rejects)
     where k <= ${Math.max(1, Math.floor(examples))}
     order by vintage_id, n desc, reason, k`,
  );
  return vintages.map((v) => {
    const reasons = new Map<string, VintageRejects['reasons'][number]>();
    for (const r of rows.filter((x) => x.vintage_id === v.id)) {
      const entry = reasons.get(r.reason) ?? { reason: r.reason, count: Number(r.n), examples: [] };
      entry.examples.push({ line: Number(r.line), column: r.column, value: r.value });
      reasons.set(r.reason, entry);
    }
    return {
      vintage: v.id,
      source: v.source,
      file: v.file_name,
      rejected: Number(v.rows_rejected),
      rowsRead: Number(v.rows_read),
      reasons: [...reasons.values()],
    };
  });
}
