/**
 * The built-in reference records shipped in `frameworks/`: the Binational Committee agencies, the
 * Bicentennial Framework (confirmed text only), the Mérida pillars and Marco's analytical crosswalk.
 * @module
 */
import { type LoadSummary } from './workspace-write.js';
import { loadWorkspace } from './workspace-load.js';
import { readFile } from 'node:fs/promises';
import { readInputDocument } from '../domain/input-document.js';
import { PACKAGE_ROOT } from '../package.js';
import type { RecordsStore } from './database.js';
import { listCrosswalk, loadFrameworkDocument } from './framework-repository.js';

export const BUILTIN_FILES = [
  'frameworks/organisations.yaml',
  'frameworks/bicentennial.yaml',
  'frameworks/merida.yaml',
  'frameworks/crosswalk-merida-bicentennial.yaml',
] as const;

export const EXAMPLE_WORKSPACE = 'examples/workspace.yaml';

/** Reads a YAML/JSON file of the package (or any path) as an input document. */
export async function readDocumentFile(file: string) {
  const text = await readFile(file, 'utf8');
  return readInputDocument(text, file);
}

/**
 * Loads each built-in record that the store does not have yet. Records already present are left as they
 * are, so a complete framework definition or an edited agency loaded later is never put back to the
 * shipped version by `marco init` or `marco serve`.
 */
export async function loadBuiltins(store: RecordsStore, actor: string): Promise<Record<string, LoadSummary>> {
  const out: Record<string, LoadSummary> = {};
  const [orgs, frameworks, links] = await Promise.all([
    store.db.selectFrom('organisations').select('code').execute(),
    store.db.selectFrom('frameworks').select('code').execute(),
    listCrosswalk(store),
  ]);
  const haveOrg = new Set(orgs.map((o) => o.code));
  const haveFramework = new Set(frameworks.map((f) => f.code));
  const haveLink = new Set(links.map((l) => `${l.from}→${l.to}`));
  for (const relative of BUILTIN_FILES) {
    const doc = await readDocumentFile(PACKAGE_ROOT + relative);
    const data = doc.data as {
      marco?: string;
      code?: string;
      organisations?: { code: string }[];
      links?: { from: string; to: string }[];
    };
    const options = { actor, source: relative, locate: doc.locate };
    if (data.marco === 'workspace/1') {
      const missing = (data.organisations ?? []).filter((o) => !haveOrg.has(o.code));
      if (missing.length > 0)
        out[relative] = await loadWorkspace(store, { ...data, organisations: missing }, options);
    } else if (data.marco === 'crosswalk/1') {
      if (!(data.links ?? []).some((l) => haveLink.has(`${l.from}→${l.to}`)))
        out[relative] = await loadFrameworkDocument(store, data, options);
    } else if (!haveFramework.has(data.code ?? '')) {
      out[relative] = await loadFrameworkDocument(store, data, options);
    }
  }
  return out;
}
