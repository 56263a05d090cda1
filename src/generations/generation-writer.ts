/**
 * The one writer of statistics generations. Holding the writer's lock (a PostgreSQL advisory lock), it
 * copies the newest generation to a draft, runs the work (an import, a rollback, the built-in figures)
 * on the draft opened to write, and, when the work changed the store, seals the draft as the next
 * generation and publishes it: its row, its audit entry, the work's own audit entries (an import's,
 * `custody/deferred-audit.ts`) and a notice to every process, in one transaction. Work that fails, or
 * changes nothing, leaves no trace but its own; a writer killed at any point leaves a draft, which the
 * next writer removes, or a sealed file that no row names, which the next writer replaces.
 * @module
 */
import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.js';
import type { RecordsStore } from '../records/database.js';
import {
  GenerationTaken,
  currentGeneration,
  generationFiles,
  highestAuditedVintage,
  isPublished,
  lastGenerationNumber,
  publishGeneration,
  withWriterLock,
  type GenerationRow,
} from '../records/generation-repository.js';
import { CliError, EXIT } from '../error.js';
import { deferAudit, writeWaitingAudit } from '../custody/deferred-audit.js';
import {
  copyForDraft,
  draftPath,
  generationName,
  removeDraft,
  removeDrafts,
  removeGenerationFile,
  removeOrphans,
  sealDraft,
  stateDigest,
  vintagesInForce,
} from '../stats/generations/generation-files.js';
import { openStats, type StatsStore } from '../stats/stats-store.js';

export interface WriterOptions {
  records: RecordsStore;
  /** The statistics directory. */
  dir: string;
  /** Who publishes, for the audit log. */
  actor: string;
  log: Logger;
  /**
   * A single-file statistics store to start from when no generation exists yet (a deployment that ran
   * one process moving to several); its figures become generation 1.
   */
  from?: string;
}

/**
 * Runs `work` on a draft of the next generation and publishes it when the work changed the store.
 * Returns the work's result and the generation published, if one was.
 */
export async function buildGeneration<T>(
  options: WriterOptions,
  work: (writer: StatsStore) => Promise<T>,
): Promise<{ result: T; published?: GenerationRow }> {
  const { records, dir, log } = options;
  return withWriterLock(records, async () => {
    const left = [
      ...(await removeDrafts(dir)),
      ...(await removeOrphans(dir, new Set(await generationFiles(records)))),
    ];
    if (left.length > 0) log.warn({ files: left }, 'statistics: removed files a stopped writer left behind');
    const latest = await currentGeneration(records);
    const draft = draftPath(dir);
    try {
      let before: string | undefined;
      if (latest) {
        const from = path.join(dir, latest.file);
        if (!existsSync(from))
          throw new CliError(
            { key: 'stores.generationMissing', values: { number: latest.number, file: latest.file, dir } },
            EXIT.notFound,
          );
        await copyForDraft(from, draft);
        const reader = await openStats({ file: draft, readOnly: true });
        try {
          before = await stateDigest(reader);
        } finally {
          reader.close();
        }
      } else if (options.from && existsSync(options.from)) {
        await copyForDraft(options.from, draft);
        // A store whose last writes were not checkpointed keeps them in its log: copied with it.
        if (existsSync(`${options.from}.wal`)) await copyFile(`${options.from}.wal`, `${draft}.wal`);
      }
      const writer = await openStats({ file: draft });
      // The work's audit entries are written by the transaction that publishes it, or not at all.
      deferAudit(writer);
      // Ids an unpublished write audited are never given out again.
      await skipVintageIds(writer, await highestAuditedVintage(records));
      let result: T;
      let after: string;
      let vintages: string;
      try {
        result = await work(writer);
        after = await stateDigest(writer);
        vintages = await vintagesInForce(writer);
        await writer.con.run('checkpoint');
      } finally {
        writer.close();
      }
      if (before !== undefined && after === before) {
        await removeDraft(draft);
        return { result };
      }
      const number = (await lastGenerationNumber(records)) + 1;
      const file = generationName(number);
      const { bytes, sha256 } = await sealDraft(draft, file);
      try {
        await publishGeneration(
          records,
          { number, file, bytes, sha256, vintages },
          { actor: options.actor },
          (ctx) => writeWaitingAudit(writer, ctx),
        );
      } catch (error) {
        // A commit whose answer was lost may have published it: the file stays if a row names it, and
        // is removed if none does (when the records store cannot tell, the next writer decides).
        const published =
          !(error instanceof GenerationTaken) &&
          (await isPublished(records, number, file).catch(() => undefined));
        if (published === false || error instanceof GenerationTaken) await removeGenerationFile(dir, file);
        if (!published) throw error;
      }
      log.info({ generation: number, file, bytes, actor: options.actor }, 'statistics: generation published');
      const published = await currentGeneration(records);
      return { result, ...(published ? { published } : {}) };
    } catch (error) {
      await removeDraft(draft);
      throw error;
    }
  });
}

/** Moves the draft's vintage sequence past `floor` when the store's own ids are below it. */
async function skipVintageIds(writer: StatsStore, floor: number): Promise<void> {
  const [top] = await writer.all<{ n: number | null }>('select max(id) as n from vintages');
  if (floor <= Number(top?.n ?? 0)) return;
  for (;;) {
    const [next] = await writer.all<{ n: number }>(`select nextval('vintage_ids') as n`);
    if (Number(next!.n) >= floor) return;
  }
}
