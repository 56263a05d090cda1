/**
 * `marco init`: create the stores, run migrations and load the built-in reference records.
 * @module
 */
import { type LoadSummary } from '../../records/workspace-write.js';
import { loadWorkspace } from '../../records/workspace-load.js';
import { PACKAGE_ROOT } from '../../package.js';
import type { Config } from '../../config.js';
import { translator } from '../../i18n/index.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../records/builtin.js';
import { loadBenchmarkDocument } from '../../benchmarks/benchmark-file.js';

/** The illustrative framework benchmarks loaded with the example workspace. */
export const EXAMPLE_BENCHMARKS = 'examples/benchmarks.yaml';
import type { RecordsStore } from '../../records/database.js';
import { auditImport } from '../../custody/statistics-custody.js';
import { VERSION } from '../../package.js';
import { ensureStarter, starterOrigin } from '../../stats/starter.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { json, withRecords, withStats } from './open-stores.js';

/** Loads the built-ins (idempotent) and, when asked, the illustrative example workspace. */
export async function initialise(
  store: RecordsStore,
  config: Config,
  example: boolean,
): Promise<Record<string, LoadSummary>> {
  const summaries = await loadBuiltins(store, config.actor);
  if (example) {
    const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE);
    summaries[EXAMPLE_WORKSPACE] = await loadWorkspace(store, doc.data, {
      actor: config.actor,
      source: EXAMPLE_WORKSPACE,
      locate: doc.locate,
    });
    // The illustrative framework benchmarks, on the Bicentennial Framework just loaded.
    const benchmarks = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_BENCHMARKS);
    await loadBenchmarkDocument(store, benchmarks.data, {
      actor: config.actor,
      source: EXAMPLE_BENCHMARKS,
      locate: benchmarks.locate,
    });
  }
  return summaries;
}

export async function runInit(
  config: Config,
  opts: { example?: boolean; empty?: boolean; json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  await withRecords(config, async (store) => {
    const summaries = await initialise(store, config, opts.example === true);
    // Real data on the first start, unless asked for an empty store.
    const starter = opts.empty
      ? []
      : await withStats(config, (stats) => importStarter(stats, store), { write: true });
    if (opts.json)
      out(
        json({
          records: { kind: store.kind, location: store.location },
          loaded: summaries,
          starter: starter.map(({ file, report }) => ({
            source: file.source,
            file: file.original,
            vintage: report.vintage,
          })),
        }),
      );
    else {
      out(t('cli.initDone', { location: store.location, kind: store.kind }));
      if (starter.length)
        out(
          t('cli.starterImported', {
            count: starter.length,
            sources: starter.map((s) => s.file.source).join(', '),
          }),
        );
    }
  });
}

/** Imports the starter snapshot into an empty statistics store, and audits each import. */
export async function importStarter(stats: StatsStore, store: RecordsStore) {
  const done = await ensureStarter(stats, VERSION);
  for (const { file, report } of done)
    if (report.status === 'imported')
      await auditImport(stats, store, report, starterOrigin(file), { actor: 'marco' });
  return done;
}
