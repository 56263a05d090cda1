/**
 * The files of statistics generations: each generation is one DuckDB file in the statistics directory,
 * `gen-000042.duckdb`, written once and never changed. A new one is built as a draft (a copy of the
 * newest, or a new store), then sealed: checkpointed, closed, flushed to disk and renamed into place, so
 * a reader never sees half a file. A draft left by a killed writer is only ever a draft.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, constants as fsConstants, existsSync } from 'node:fs';
import { copyFile, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { StatsStore } from '../stats-store.js';

/**
 * The name of generation `n`'s file: its number and a random part, so that a writer that lost its lock
 * can never rename over another writer's file of the same number.
 */
export const generationName = (n: number) =>
  `gen-${String(n).padStart(6, '0')}-${randomBytes(4).toString('hex')}.duckdb`;

const DRAFT = /^draft-.*\.duckdb(\.wal)?$/;

/** A new draft's path in `dir`: the process's id and a random part, so two never collide. */
export const draftPath = (dir: string) =>
  path.join(dir, `draft-${process.pid}-${randomBytes(4).toString('hex')}.duckdb`);

/** Starts a draft as a copy of `from` (a reflink where the file system has them). */
export async function copyForDraft(from: string, draft: string): Promise<void> {
  await copyFile(from, draft, fsConstants.COPYFILE_FICLONE);
}

/** Flushes a file (or a directory's entries) to disk. */
async function flush(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Seals a closed draft as `name` in its directory: flushed, renamed, the directory flushed. Returns its
 * size and SHA-256. A draft that left a write-ahead log behind was not closed cleanly: refused.
 */
export async function sealDraft(draft: string, name: string): Promise<{ bytes: number; sha256: string }> {
  if (existsSync(`${draft}.wal`)) throw new Error(`${draft} was not checkpointed: its .wal remains`);
  await flush(draft);
  const sha256 = await sha256File(draft);
  const { size } = await stat(draft);
  const target = path.join(path.dirname(draft), name);
  await rename(draft, target);
  await flush(path.dirname(draft));
  return { bytes: size, sha256 };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Removes a draft and its log. */
export async function removeDraft(draft: string): Promise<void> {
  await rm(draft, { force: true });
  await rm(`${draft}.wal`, { force: true });
}

/** Removes every draft in `dir`: call only holding the writer's lock, when none can be in progress. */
export async function removeDrafts(dir: string): Promise<string[]> {
  const names = existsSync(dir) ? (await readdir(dir)).filter((n) => DRAFT.test(n)) : [];
  for (const name of names) await rm(path.join(dir, name), { force: true });
  return names;
}

const GENERATION = /^gen-\d{6,}-[0-9a-f]{8}\.duckdb(\.wal)?$/;

/**
 * Removes the generation files in `dir` that no published generation names (`known`): sealed by a
 * writer killed before it published. Call only holding the writer's lock.
 */
export async function removeOrphans(dir: string, known: ReadonlySet<string>): Promise<string[]> {
  const names = existsSync(dir)
    ? (await readdir(dir)).filter((n) => GENERATION.test(n) && !known.has(n.replace(/\.wal$/, '')))
    : [];
  for (const name of names) await rm(path.join(dir, name), { force: true });
  return names;
}

/** Removes a generation's file (and a log, should one exist); gone already is fine. */
export async function removeGenerationFile(dir: string, name: string): Promise<void> {
  await rm(path.join(dir, name), { force: true });
  await rm(path.join(dir, `${name}.wal`), { force: true });
}

/**
 * What a write to the store changes, in a few cheap numbers: the vintages (every import, rollback and
 * catalogue makes or withdraws one) and the tables' columns (a migration adds some). Equal before and
 * after a piece of work: the work changed nothing, and no generation is published.
 */
export async function stateDigest(stats: StatsStore): Promise<string> {
  const [v] = await stats.all<{ n: number; top: number | null; withdrawn: number }>(
    `select count(*) as n, max(id) as top, count(withdrawn_at) as withdrawn from vintages`,
  );
  const [c] = await stats.all<{ columns: string | null }>(
    `select string_agg(table_name || '.' || column_name, ',' order by table_name, column_name) as columns
     from duckdb_columns() where database_name = current_database() and schema_name = 'main'`,
  );
  return createHash('sha256')
    .update(JSON.stringify([v, c?.columns]))
    .digest('hex');
}

/** The ids of the vintages in force (neither replaced nor withdrawn), as a generation's row lists them. */
export async function vintagesInForce(stats: StatsStore): Promise<string> {
  const rows = await stats.all<{ id: number }>(
    `select id from vintages where replaced_by is null and withdrawn_at is null order by id`,
  );
  return rows.map((r) => r.id).join(',');
}
