/**
 * The deflator table a deployment imports (`marco funding deflator import`): for each fiscal year, the
 * price index that turns the year's dollars into constant dollars (1 in the base year), and the table it
 * comes from. One row per fiscal year; an import replaces the whole table. Without rows, Marco uses the
 * index implied by USAID's Foreign Aid Explorer (`funding/country-actuals.ts`).
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { RECORD_COLUMNS } from './0001-records.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create table deflators (
    id integer generated always as identity primary key,
    fiscal_year text not null unique check (fiscal_year ~ '^FY[0-9]{4}$'),
    price_index double precision not null check (price_index > 0),
    source text not null,
    ${RECORD_COLUMNS})`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists deflators`.execute(db);
}
