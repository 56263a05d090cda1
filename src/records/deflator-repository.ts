/**
 * The imported deflator table in the records store: one price index per fiscal year, with its source.
 * Each row is a record like an exchange rate (versioned, owned, audited); an import replaces the whole
 * table in one transaction, deleting the years the new table lacks, each deletion audited.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { DeflatorRow } from '../domain/funding/deflator.js';
import {
  deleteRecords,
  upsertRecord,
  type Ownership,
  type WriteAction,
  type WriteContext,
} from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

type Db = Kysely<RecordsDatabase> | Transaction<RecordsDatabase>;

/** The stored deflator rows with their owners, by fiscal year. */
export async function deflatorRowsIn(db: Db): Promise<(DeflatorRow & Ownership)[]> {
  const rows = await db
    .selectFrom('deflators')
    .select(['fiscal_year', 'price_index', 'source', 'country', 'agency', 'classification'])
    .orderBy('fiscal_year')
    .execute();
  return rows.map(({ price_index, ...r }) => ({ ...r, index: price_index }));
}

/** Writes one fiscal year's index, keyed by the year. */
export async function saveDeflatorRowIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  row: DeflatorRow,
  owner: Ownership,
): Promise<WriteAction> {
  const { action } = await upsertRecord(trx, ctx, {
    table: 'deflators',
    entity: 'deflator',
    key: row.fiscal_year,
    where: { fiscal_year: row.fiscal_year },
    values: { price_index: row.index, source: row.source, ...owner },
  });
  return action;
}

/** Replaces the table with `rows`: each written, and every year they lack deleted. */
export async function replaceDeflatorIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  rows: readonly DeflatorRow[],
  owner: Ownership,
): Promise<{ actions: WriteAction[]; deleted: number }> {
  const actions: WriteAction[] = [];
  for (const row of rows) actions.push(await saveDeflatorRowIn(trx, ctx, row, owner));
  const keep = new Set(rows.map((r) => r.fiscal_year));
  let deleted = 0;
  for (const stored of await deflatorRowsIn(trx))
    if (!keep.has(stored.fiscal_year))
      deleted += await deleteRecords(
        trx,
        ctx,
        'deflators',
        'deflator',
        { fiscal_year: stored.fiscal_year },
        (r) => String(r.fiscal_year),
      );
  return { actions, deleted };
}
