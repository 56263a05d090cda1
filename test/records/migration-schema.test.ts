/**
 * Marco's migrations on a PostgreSQL database it shares: another schema holding Kysely's migration
 * tables (another application's, or a second Marco's) must not be taken for Marco's own. Kysely looks
 * for its tables in every schema unless told which; a CI run failed with `relation
 * "kysely_migration_lock" does not exist` when one was left in another schema. Runs in a database of
 * its own, dropped afterwards.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords } from '../../src/records/database.js';
import { DATABASE_URL } from './stores.js';

if (!DATABASE_URL)
  console.warn('shared-database migrations: DATABASE_URL is not set, skipping (needs PostgreSQL)');

const NAME = `marco_shared_${process.pid}`;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

(DATABASE_URL ? describe : describe.skip)('migrations on a database shared with another schema', () => {
  let url: string;
  beforeAll(async () => {
    await admin(`drop database if exists ${NAME} with (force)`);
    await admin(`create database ${NAME}`);
    const u = new URL(DATABASE_URL);
    u.pathname = `/${NAME}`;
    url = u.toString();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // Another application's Kysely tables, in its own schema.
    await client.query(`create schema other_app;
      create table other_app.kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null);
      create table other_app.kysely_migration_lock (id varchar(255) primary key, is_locked integer not null default 0);
      insert into other_app.kysely_migration values ('2024-01-01-theirs', '2024-01-01T00:00:00Z');`);
    await client.end();
  });
  afterAll(() => admin(`drop database if exists ${NAME} with (force)`));

  it('migrates its own schema, and leaves the other untouched', async () => {
    const store = await openRecords({ databaseUrl: url });
    try {
      const tables = await sql<{ schema: string; name: string }>`
        select schemaname as schema, tablename as name from pg_tables
        where tablename in ('kysely_migration', 'audit_log', 'audit_head') order by 1, 2`.execute(store.db);
      expect(tables.rows).toEqual([
        { schema: 'other_app', name: 'kysely_migration' },
        { schema: 'public', name: 'audit_head' },
        { schema: 'public', name: 'audit_log' },
        { schema: 'public', name: 'kysely_migration' },
      ]);
      const theirs = await sql<{ name: string }>`select name from other_app.kysely_migration`.execute(
        store.db,
      );
      expect(theirs.rows).toEqual([{ name: '2024-01-01-theirs' }]);
    } finally {
      await store.close();
    }
    // Opened again: nothing left to migrate, and no error.
    const again = await openRecords({ databaseUrl: url });
    await again.close();
  });
});
