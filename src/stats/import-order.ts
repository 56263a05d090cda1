/**
 * The order in which many files are imported (`marco import-dir`, `marco fetch --all`): places before
 * the data that refer to them, population before the counts that become rates, observations before the
 * documented figures that are checked against them; within a source, its layouts in the order it lists
 * them (a network's groups before the ties between them).
 * @module
 */
import type { Source } from './source.js';

export const importRank = (s: Pick<Source, 'kind' | 'measures'>): number =>
  s.kind === 'geography' ? 0 : s.measures.includes('population') ? 1 : s.kind === 'observations' ? 2 : 3;

/** Where `layout` comes among its source's layouts (0 when unknown). */
const layoutRank = (source: Pick<Source, 'layouts'>, layout: string | undefined) =>
  Math.max(
    0,
    source.layouts.findIndex((l) => l.name === layout),
  );

/** The files sorted for import: by rank, then by layout within a source, then by file path. */
export function inImportOrder<
  T extends { file: string; source: Pick<Source, 'kind' | 'measures' | 'layouts'>; layout?: string },
>(files: T[]): T[] {
  return [...files].sort(
    (a, b) =>
      importRank(a.source) - importRank(b.source) ||
      (a.source === b.source ? layoutRank(a.source, a.layout) - layoutRank(b.source, b.layout) : 0) ||
      a.file.localeCompare(b.file),
  );
}
