/**
 * The statistics store's state: every write to it (an import, a rollback, a catalogue) drops its cached
 * metadata, and the next read builds a new object, numbered here the first time it is seen. With the
 * vintages in force, it names what anything computed from the statistics was computed from.
 * @module
 */
import type { StatsStore } from './stats-store.js';

const revisions = new WeakMap<object, number>();
let nextRevision = 1;

export async function vintageSet(stats: StatsStore | undefined): Promise<string> {
  if (!stats) return 'none';
  const meta = await stats.metadata();
  let revision = revisions.get(meta);
  if (revision === undefined) revisions.set(meta, (revision = nextRevision++));
  return `${revision}:${meta.vintages.map((v) => v.id).join(',')}`;
}
