/**
 * The size of the records store on disk, for the metrics: the database's on a PostgreSQL server, the
 * data directory's for PGlite (0 in memory).
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { RecordsStore } from './database.js';

export async function recordsBytes(store: RecordsStore): Promise<number> {
  if (store.kind === 'postgres') {
    const { rows } = await sql<{
      bytes: number;
    }>`select pg_database_size(current_database()) as bytes`.execute(store.db);
    return Number(rows[0]?.bytes ?? 0);
  }
  return store.location === 'memory' ? 0 : directoryBytes(store.location);
}

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(file);
    else if (entry.isFile()) total += (await stat(file).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
