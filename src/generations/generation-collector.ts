/**
 * Removes the files of old statistics generations once no process holds them: every process reports,
 * every few seconds, the oldest generation it still has open (`stats_generation_holders`); a generation
 * older than the current one and than every live report goes. A process not heard from within the
 * stale time is taken for dead. Any process may collect; removing twice is harmless.
 * @module
 */
import type { Logger } from '../log.js';
import type { RecordsStore } from '../records/database.js';
import { currentGeneration, markRemoved, unheldGenerations } from '../records/generation-repository.js';
import { removeGenerationFile } from '../stats/generations/generation-files.js';

export async function collectGenerations(
  records: RecordsStore,
  dir: string,
  staleMs: number,
  log: Logger,
): Promise<number[]> {
  const current = await currentGeneration(records);
  if (!current) return [];
  const old = await unheldGenerations(records, current.number, staleMs);
  for (const row of old) await removeGenerationFile(dir, row.file);
  await markRemoved(
    records,
    old.map((r) => r.number),
  );
  if (old.length > 0)
    log.info({ generations: old.map((r) => r.number) }, 'statistics: removed generations no process holds');
  return old.map((r) => r.number);
}
