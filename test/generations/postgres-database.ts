/**
 * A database of its own on the test PostgreSQL server, for tests that run `marco` processes: a
 * process takes DATABASE_URL as it is (no private schema), so each test gets a fresh database and
 * drops it after. Without DATABASE_URL the tests skip and say so; under CI=true that is an error.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const SERVER_URL = process.env.DATABASE_URL ?? '';

if (process.env.CI === 'true' && !SERVER_URL)
  throw new Error('CI=true but DATABASE_URL is not set: the multi-process tests need PostgreSQL');
if (!SERVER_URL)
  console.warn('statistics generations: DATABASE_URL is not set, skipping (they need a PostgreSQL server)');

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database; returns its URL and a function that drops it (closing its connections). */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `marco_t_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** Ends every connection to the database but this one's: what a server restart does to its clients. */
export async function dropConnections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid()`,
    );
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}
