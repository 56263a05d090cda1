/**
 * Row types of the funding tables (migration 0015), as Kysely sees them; `schema.ts` adds them to the
 * records database.
 * @module
 */
import type { ColumnType, Generated } from 'kysely';
import type { Nullable, RecordColumns } from './record-columns.js';

/** An account a deployment adds (migration 0015); the built-in ones are `domain/funding/accounts.ts`. */
export interface FundingAccountTable extends RecordColumns {
  id: Generated<number>;
  code: string;
  name_en: string;
  name_es: string;
  sector: 'security' | 'development';
  manager: string;
  authority: string;
}

/** Dollars per unit of a currency in a fiscal year (migration 0015). */
export interface ExchangeRateTable extends RecordColumns {
  id: Generated<number>;
  currency: string;
  fiscal_year: string;
  usd_per_unit: number;
  source: string;
}

/** A fiscal year's price index in the imported deflator table (migration 0016). */
export interface DeflatorTable extends RecordColumns {
  id: Generated<number>;
  fiscal_year: string;
  price_index: number;
  source: string;
}

export type FundingStatus = 'draft' | 'submitted' | 'approved';

/** One funding line (migration 0015): `line_key` is `fundingKey` of `domain/funding/funding-check.ts`. */
export interface FundingLineTable extends RecordColumns {
  id: Generated<number>;
  line_key: string;
  fiscal_year: string;
  account: string;
  stage: 'request' | 'appropriation' | 'allocation' | 'obligation' | 'disbursement' | 'expenditure';
  program_code: string | null;
  node_ref: string | null;
  amount: number;
  currency: ColumnType<string, string | undefined, string>;
  source: string;
  note: string | null;
  status: ColumnType<FundingStatus, FundingStatus | undefined, FundingStatus>;
  review_comment: Nullable<string>;
  reviewed_by: Nullable<string>;
  reviewed_at: Nullable<string>;
}
