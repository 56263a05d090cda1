/**
 * The column types every record table shares (migration 0001's `RECORD_COLUMNS`), apart from
 * `schema.ts` so that the tables of a capability (`funding-schema.ts`) can use them without a cycle.
 * @module
 */
import type { ColumnType } from 'kysely';

export type Timestamp = ColumnType<string, string | undefined, string>;
/** A column added later, null unless written: optional on insert. */
export type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type Classification = 'public' | 'official_use' | 'restricted';

/** Columns every record carries (see migration 0001). */
export interface RecordColumns {
  country: 'US' | 'MX';
  agency: string;
  classification: ColumnType<Classification, Classification | undefined, Classification>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
  version: ColumnType<number, number | undefined, number>;
}
