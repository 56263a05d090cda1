/**
 * Framework benchmarks: indicators owned by a node of a framework rather than by a program, and co-owned
 * by both countries (Mexico's homicide rate, synthetic-opioid deaths in the United States, under Goal 1
 * of the Bicentennial Framework). Each target records each country's approval, by whom and when; a
 * target is in effect only when both have approved it, and a change of its value clears both.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table benchmarks (
    id integer generated always as identity primary key,
    code text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    node_ref text not null,
    name_en text not null,
    name_es text not null,
    definition_en text not null,
    definition_es text not null,
    unit_en text not null,
    unit_es text not null,
    direction text not null check (direction in ('increase', 'decrease')),
    series jsonb,
    baseline_period text,
    baseline_value double precision,
    created_at timestamptz not null,
    created_by text not null,
    updated_at timestamptz not null,
    updated_by text not null,
    version integer not null default 1)`.execute(db);
  await sql`create index benchmarks_node on benchmarks (node_ref)`.execute(db);
  await sql`create table benchmark_targets (
    id integer generated always as identity primary key,
    benchmark_id integer not null references benchmarks (id) on delete cascade,
    period_code text not null,
    value double precision not null,
    proposed_at timestamptz not null,
    proposed_by text not null,
    approved_us_at timestamptz,
    approved_us_by text,
    approved_mx_at timestamptz,
    approved_mx_by text,
    version integer not null default 1,
    unique (benchmark_id, period_code),
    check ((approved_us_at is null) = (approved_us_by is null)),
    check ((approved_mx_at is null) = (approved_mx_by is null)))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists benchmark_targets`.execute(db);
  await sql`drop table if exists benchmarks`.execute(db);
}
