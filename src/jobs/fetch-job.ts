/**
 * The `fetch` job: a source's publisher files downloaded from their catalogued addresses and imported,
 * in the background, with the rights of the data steward who asked (`import:statistics`). The request
 * names a source only: the addresses and checksums come from the server's catalogue (never from the
 * request, so a job cannot be made to fetch an arbitrary address). Every file is downloaded, resumed
 * when cut and checked against its SHA-256, before any is imported; each import is atomic and audited
 * as `marco fetch` does it. Progress is the share of bytes downloaded, then of files imported; a cancel
 * stops it before the next file. The output (JSON) lists the downloads and the import reports.
 * @module
 */
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { importAudited } from '../custody/statistics-custody.js';
import { HttpError, ValidationError, textIssue } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { entryUrl, isCompanion, readCatalogue, type CatalogueEntry } from '../stats/fetch-catalogue.js';
import { fetchFile, type FetchResult } from '../stats/fetch.js';
import type { ImportReport } from '../stats/import-report.js';
import { inImportOrder } from '../stats/import-order.js';
import { sourceById } from '../stats/sources/index.js';
import type { StatsStore } from '../stats/stats-store.js';
import { requesterHolding } from './job-requester.js';
import type { JobHandler } from './job-worker.js';

export const FETCH_JOB = 'fetch';

export const FetchJobParams = z
  .object({
    source: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,63}$/, { message: 'validation.schema.sourceId' })
      .meta({ description: 'a source with catalogued files (GET /api/v1/sources): inegi-homicides-state…' }),
  })
  .strict();
export type FetchJobParams = z.infer<typeof FetchJobParams>;

/** Where a server fetches from: its downloads folder, its catalogue, and a mirror of it if any. */
export interface FetchSetup {
  /** `<data dir>/downloads`: each source's files land in a folder of its own. */
  downloadsDir: string;
  /** The catalogue file (Marco's own by default). */
  catalogue?: string;
  /** A mirror that keeps the catalogue's paths, used instead of the pinned addresses. */
  mirror?: string;
}

/** The catalogued files of `source`, or a 422 saying the source is unknown or has none. */
export async function fetchTargets(
  setup: Pick<FetchSetup, 'catalogue'>,
  source: string,
): Promise<CatalogueEntry[]> {
  if (!sourceById(source))
    throw new ValidationError([textIssue('source', 'jobs.unknownSource', { source })], 'request body');
  const known = sourceById(source)!;
  const entries = (await readCatalogue(setup.catalogue)).filter((e) => e.source === source);
  if (entries.length === 0)
    throw new ValidationError([textIssue('source', 'jobs.noCatalogued', { source })], 'request body');
  // In import order: a network's groups before the ties between them.
  return inImportOrder(entries.map((e) => ({ ...e, source: known }))).map((e) => ({ ...e, source }));
}

/** The handler of `fetch` jobs on these stores. */
export function fetchJob(
  store: RecordsStore,
  stats: StatsStore | undefined,
  version: string,
  setup: FetchSetup | undefined,
): JobHandler {
  return async ({ job, tempFile, progress, note, signal }) => {
    const requester = requesterHolding(job, 'import:statistics');
    if (!stats || !setup) throw new HttpError(503, 'unavailable', { key: 'http.noStats', values: {} });
    const { source: id } = FetchJobParams.parse(job.params);
    const source = sourceById(id)!;
    const entries = await fetchTargets(setup, id);
    const total = entries.reduce((sum, e) => sum + e.bytes, 0);
    let before = 0;
    const downloads: FetchResult[] = [];
    // Every download first: nothing is imported unless all of them succeeded.
    for (const entry of entries) {
      if (signal.aborted) throw new Error(String(signal.reason));
      const result = await fetchFile({
        url: entryUrl(entry, setup.mirror),
        dir: path.join(setup.downloadsDir, source.id),
        sha256: entry.sha256,
        onProgress: (done) => note((0.8 * (before + done)) / Math.max(1, total), 'download'),
      });
      before += entry.bytes;
      downloads.push(result);
    }
    await progress(0.8, 'import');
    const imports: ImportReport[] = [];
    for (const result of downloads.filter((d) => !isCompanion(d.url))) {
      if (signal.aborted) throw new Error(String(signal.reason));
      imports.push(
        await importAudited(stats, store, source, result.file, {
          version,
          importedBy: requester.user,
          origin: result.url,
        }),
      );
      await progress(0.8 + (0.19 * imports.length) / downloads.length, 'import');
    }
    await writeFile(tempFile, JSON.stringify({ source: id, downloads, imports }));
    return { type: 'application/json', extension: 'json' };
  };
}
