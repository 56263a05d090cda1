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
import type { RecordsStore } from '../../records/database.js';
import { json, withRecords } from './open-stores.js';

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
  }
  return summaries;
}

export async function runInit(
  config: Config,
  opts: { example?: boolean; json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  await withRecords(config, async (store) => {
    const summaries = await initialise(store, config, opts.example === true);
    if (opts.json) out(json({ records: { kind: store.kind, location: store.location }, loaded: summaries }));
    else out(t('cli.initDone', { location: store.location, kind: store.kind }));
  });
}
