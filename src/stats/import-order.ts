/**
 * The order in which many files are imported (`marco import-dir`, `marco fetch --all`): places before
 * the data that refer to them, population before the counts that become rates, observations before the
 * documented figures that are checked against them.
 * @module
 */
import type { Source } from './source.js';

export const importRank = (s: Pick<Source, 'kind' | 'measures'>): number =>
  s.kind === 'geography' ? 0 : s.measures.includes('population') ? 1 : s.kind === 'observations' ? 2 : 3;

/** The files sorted for import: by rank, then by file path. */
export function inImportOrder<T extends { file: string; source: Pick<Source, 'kind' | 'measures'> }>(
  files: T[],
): T[] {
  return [...files].sort(
    (a, b) => importRank(a.source) - importRank(b.source) || a.file.localeCompare(b.file),
  );
}
