/**
 * Funding records: the accounts a deployment adds to the built-in ones, the exchange rates that turn
 * another currency into dollars, and funding lines (fiscal year × account × stage × program or framework
 * node × funding country, with an amount, a currency, its source document and a note). A line goes
 * through the approval of a result: draft, submitted, approved. `line_key` makes one amount per fiscal
 * year, account, stage, target and country. Amounts are double precision like every measured value in
 * the store: dollar amounts stay exact far beyond the largest appropriation.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { RECORD_COLUMNS } from './0001-records.js';

const CODE = `~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create table funding_accounts (
    id integer generated always as identity primary key,
    code text not null unique check (code ${CODE}),
    name_en text not null,
    name_es text not null,
    sector text not null check (sector in ('security', 'development')),
    manager text not null,
    authority text not null,
    ${RECORD_COLUMNS})`,
    )
    .execute(db);
  await sql
    .raw(
      `create table exchange_rates (
    id integer generated always as identity primary key,
    currency text not null check (currency ~ '^[A-Z]{3}$'),
    fiscal_year text not null check (fiscal_year ~ '^FY[0-9]{4}$'),
    usd_per_unit double precision not null check (usd_per_unit > 0),
    source text not null,
    ${RECORD_COLUMNS},
    unique (currency, fiscal_year))`,
    )
    .execute(db);
  await sql
    .raw(
      `create table funding_lines (
    id integer generated always as identity primary key,
    line_key text not null unique,
    fiscal_year text not null check (fiscal_year ~ '^FY[0-9]{4}$'),
    account text not null,
    stage text not null check (stage in ('request', 'appropriation', 'allocation', 'obligation', 'disbursement', 'expenditure')),
    program_code text,
    node_ref text,
    amount double precision not null check (amount >= 0),
    currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
    source text not null,
    note text,
    status text not null default 'draft' check (status in ('draft', 'submitted', 'approved')),
    review_comment text,
    reviewed_by text,
    reviewed_at timestamptz,
    ${RECORD_COLUMNS},
    check ((program_code is null) <> (node_ref is null)))`,
    )
    .execute(db);
  await sql`create index funding_lines_program on funding_lines (program_code)`.execute(db);
  await sql`create index funding_lines_year on funding_lines (fiscal_year, account)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists funding_lines`.execute(db);
  await sql`drop table if exists exchange_rates`.execute(db);
  await sql`drop table if exists funding_accounts`.execute(db);
}
