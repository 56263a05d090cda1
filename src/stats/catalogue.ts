/**
 * The sources Marco knows, with their licences and layouts, and the vintages imported of each: what
 * `marco sources` prints and `GET /api/v1/sources` returns.
 * @module
 */
import { SOURCES } from './sources/index.js';
import type { StatsStore } from './stats-store.js';

export interface VintageRow {
  id: number;
  source: string;
  file_name: string;
  sha256: string;
  bytes: number;
  layout: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  period_from: string | null;
  period_to: string | null;
  imported_at: string;
  marco_version: string;
  replaced_by: number | null;
  /** The parameters of the import (`--param`), as JSON, or null. */
  params: string | null;
  /** Who imported it and from where (the path, `upload:NAME`, or the URL fetched); null before 0.2. */
  imported_by: string | null;
  origin: string | null;
  /** When and by whom the import was rolled back, or null. */
  withdrawn_at: string | null;
  withdrawn_by: string | null;
}

export async function sourceCatalogue(stats: StatsStore) {
  const vintages = await stats.all<VintageRow>(
    `select id, source, file_name, sha256, bytes, layout, rows_read, rows_loaded, rows_rejected,
       strftime(period_from, '%Y-%m-%d') as period_from, strftime(period_to, '%Y-%m-%d') as period_to,
       strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') as imported_at, marco_version, replaced_by, params,
       imported_by, origin, strftime(withdrawn_at, '%Y-%m-%dT%H:%M:%SZ') as withdrawn_at, withdrawn_by
     from vintages order by source, id`,
  );
  return SOURCES.map((s) => ({
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    licence: s.licence,
    attribution: s.attribution,
    landing: s.landing,
    measures: s.measures,
    kind: s.kind,
    // A pattern for further columns is shown as its source text.
    layouts: s.layouts.map((l) => ({ ...l, ...(l.rest ? { rest: l.rest.source } : {}) })),
    params: (s.params ?? []).map((p) => ({ name: p.name, description: p.description, default: p.default })),
    vintages: vintages.filter((v) => v.source === s.id),
  }));
}
