/**
 * The dimensions a measure's observations carry in the store, with every value each takes: what a
 * filter may name. Read once per state of the store (the metadata object, replaced after every import).
 * @module
 */
import { sqlString } from '../source.js';
import { observationColumns, type StatsMetadata, type StatsStore } from '../stats-store.js';

const cache = new WeakMap<StatsMetadata, Map<string, Promise<Record<string, string[]>>>>();

/** `{ dimension: [values, sorted] }` of `measure`, over every vintage in force. */
export async function measureDimensions(
  stats: StatsStore,
  measure: string,
): Promise<Record<string, string[]>> {
  const meta = await stats.metadata();
  let byMeasure = cache.get(meta);
  if (!byMeasure) {
    byMeasure = new Map();
    cache.set(meta, byMeasure);
  }
  let found = byMeasure.get(measure);
  if (!found) {
    found = readDimensions(stats, meta, measure);
    byMeasure.set(measure, found);
  }
  return found;
}

async function readDimensions(
  stats: StatsStore,
  meta: StatsMetadata,
  measure: string,
): Promise<Record<string, string[]>> {
  const sources = new Set(meta.coverage.filter((c) => c.measure === measure).map((c) => c.source));
  // A vintage whose rows share one measure and no dimensions (`constants`) adds none.
  const tables = meta.vintages.filter((v) => sources.has(v.source) && v.table_name && v.constants === null);
  if (tables.length === 0) return {};
  const union = tables
    .map(
      (v) =>
        `select ${observationColumns({ id: v.id, source: v.source, constants: null })} from ${v.table_name}`,
    )
    .join(' union all ');
  const rows = await stats.all<{ k: string; v: string[] }>(
    `select e.key as k, list(distinct e.value order by e.value) as v
     from (select unnest(map_entries(dims)) as e
           from (select distinct dims from (${union}) where measure = ${sqlString(measure)}))
     group by e.key order by e.key`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, [...r.v]]));
}
