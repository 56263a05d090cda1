/**
 * The statistics generations' row types (migration 0022), apart from `schema.ts` as the jobs' are.
 * @module
 */
import type { Nullable } from './record-columns.js';

export interface StatsGenerationTable {
  number: number;
  /** The file's name in the statistics directory: `gen-000042.duckdb`. */
  file: string;
  bytes: number;
  sha256: string;
  /** The vintages in force in it, as comma-separated ids. */
  vintages: string;
  published_at: string;
  published_by: string;
  /** When its file was removed (no process held it any more). */
  removed_at: Nullable<string>;
}

export interface StatsGenerationHolderTable {
  /** One process: `host:pid:nonce`. */
  holder: string;
  host: string;
  pid: number;
  /** The oldest generation it still has open. */
  oldest: number;
  seen_at: string;
}
