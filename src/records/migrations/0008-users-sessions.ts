/**
 * People who sign in to the web pages, and their sessions. A user belongs to an organisation (agency) of
 * one country and holds roles, like a token; the password is stored only as an argon2id hash. A session
 * is stored by the SHA-256 hash of its cookie, with its own CSRF secret, its idle clock (`last_seen_at`)
 * and its absolute end (`expires_at`); an ended session keeps its row and says why it ended.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table users (
    id integer generated always as identity primary key,
    user_name text not null unique check (user_name ~ '^[A-Za-z0-9_.@-]{1,64}$'),
    display_name text not null check (length(display_name) between 1 and 200),
    country text not null check (country in ('US', 'MX')),
    agency text not null references organisations (code) on update cascade,
    roles text[] not null check (
      cardinality(roles) > 0 and roles <@ array['viewer','reporter','approver','data_steward','admin']::text[]),
    password_hash text not null,
    password_changed_at timestamptz not null,
    created_at timestamptz not null,
    created_by text not null,
    disabled_at timestamptz,
    disabled_by text,
    failed_sign_ins integer not null default 0 check (failed_sign_ins >= 0),
    locked_until timestamptz)`.execute(db);
  await sql`create table sessions (
    id integer generated always as identity primary key,
    token_hash text not null unique,
    csrf_secret text not null,
    user_id integer not null references users (id),
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    client text,
    ended_at timestamptz,
    ended_reason text check (ended_reason in ('signed out', 'idle', 'expired', 'user disabled', 'password changed')))`.execute(
    db,
  );
  await sql`create index sessions_user on sessions (user_id) where ended_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists sessions`.execute(db);
  await sql`drop table if exists users`.execute(db);
}
