/**
 * The built-in reference records shipped in `frameworks/`: the Binational Committee agencies, the
 * Bicentennial Framework (confirmed text only), the Mérida pillars and Marco's analytical crosswalk.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readInputDocument } from '../domain/input-document.js';
import type { RecordsStore } from './database.js';
import { loadFrameworkDocument } from './framework-repository.js';
import { loadWorkspace, type LoadSummary } from './workspace-repository.js';

/** The package root, from both `src/records` and `dist/records`. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

/** Loads (idempotently) every built-in file; returns what each load changed. */
export async function loadBuiltins(store: RecordsStore, actor: string): Promise<Record<string, LoadSummary>> {
  const out: Record<string, LoadSummary> = {};
  for (const relative of BUILTIN_FILES) {
    const file = PACKAGE_ROOT + relative;
    const doc = await readDocumentFile(file);
    const options = { actor, source: relative, locate: doc.locate };
    out[relative] =
      (doc.data as { marco?: string } | null)?.marco === 'workspace/1'
        ? await loadWorkspace(store, doc.data, options)
        : await loadFrameworkDocument(store, doc.data, options);
  }
  return out;
}
