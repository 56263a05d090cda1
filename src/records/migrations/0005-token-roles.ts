/**
 * Tokens with roles and an expiry. A token made before roles existed could do everything but manage
 * tokens, so it keeps those roles (`viewer`, `reporter`, `approver`, `data_steward`), and expires 90
 * days after this migration instead of never.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table api_tokens
    add column roles text[] not null default '{viewer,reporter,approver,data_steward}',
    add column expires_at timestamptz not null default now() + interval '90 days',
    add column last_used_at timestamptz,
    add column revoked_by text`.execute(db);
  await sql`alter table api_tokens alter column roles set default '{viewer}'`.execute(db);
  await sql`alter table api_tokens alter column expires_at drop default`.execute(db);
  await sql`alter table api_tokens add constraint api_tokens_roles check (
    cardinality(roles) > 0 and roles <@ array['viewer','reporter','approver','data_steward','admin']::text[])`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table api_tokens drop constraint if exists api_tokens_roles,
    drop column if exists roles, drop column if exists expires_at,
    drop column if exists last_used_at, drop column if exists revoked_by`.execute(db);
}
