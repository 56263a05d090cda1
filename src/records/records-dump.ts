/**
 * The records store as one file, and back: `pg_dump`'s custom format from a PostgreSQL server (restored
 * by `pg_restore` in one transaction, so a failed restore leaves the database as it was), or PGlite's
 * whole cluster as a gzipped tar (a new store starts from it). Used by `marco backup` and `marco
 * restore` (`src/backup/`). The password of a database URL travels to the tools in `PGPASSWORD`, never
 * on a command line another user could read.
 * @module
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { CliError, EXIT } from '../error.js';
import { redact } from '../config.js';
import type { RecordsStore } from './database.js';

const run = promisify(execFile);

/** A URL without its password, and the password for `PGPASSWORD`. */
function forTools(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function tool(name: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(name, args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new CliError({ key: 'backup.toolMissing', values: { tool: name } }, EXIT.failure);
    const reason = redact(
      String(e.stderr || e.message)
        .trim()
        .split('\n')
        .slice(-3)
        .join(' '),
    );
    throw new CliError({ key: 'backup.toolFailed', values: { tool: name, reason } }, EXIT.failure);
  }
}

/** Writes the records store to `file`: `pg_dump -Fc` of `databaseUrl`, or PGlite's cluster. */
export async function dumpRecords(
  store: RecordsStore,
  databaseUrl: string | null,
  file: string,
): Promise<void> {
  if (store.kind === 'pglite') {
    if (!store.dumpDataDir) throw new Error('this PGlite store cannot be dumped');
    await writeFile(file, Buffer.from(await (await store.dumpDataDir()).arrayBuffer()), { mode: 0o600 });
    return;
  }
  if (!databaseUrl) throw new Error('a PostgreSQL records store needs its URL to be dumped');
  const { url, env } = forTools(databaseUrl);
  await tool(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${url}`],
    env,
  );
}

/** Restores a `pg_dump` file into the database of `databaseUrl`, all or nothing. */
export async function restorePostgres(databaseUrl: string, file: string): Promise<void> {
  const { url, env } = forTools(databaseUrl);
  await tool(
    'pg_restore',
    ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${url}`, file],
    env,
  );
}

/** The tables a database already has (outside PostgreSQL's own schemas): a restore needs none. */
export async function tablesIn(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select table_schema || '.' || table_name as name from information_schema.tables
       where table_schema not in ('pg_catalog', 'information_schema') order by 1 limit 20`,
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}
