/**
 * The dimensions a measure's observations carry in the store, with every value each takes: what a
 * filter may name. Read once per state of the store (the metadata object, replaced after every import).
 * @module
 */
import { sqlString } from '../source.js';
import { dimColumn, totalsOnly, vintageShape, type StatsMetadata, type StatsStore } from '../stats-store.js';

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
  // A vintage with constants and no typed dimensions holds totals only: it adds none.
  const tables = meta.vintages
    .map((v) => ({ table: v.table_name, shape: vintageShape(v) }))
    .filter(({ shape }) => sources.has(shape.source) && !totalsOnly(shape));
  if (tables.length === 0) return {};
  // Each table's (dimension, value) pairs: typed columns are read as columns, a map by its entries.
  const pairs = tables
    .map(({ table, shape }) => {
      const typed = shape.dimensions;
      const constantMeasure = shape.constants?.measure;
      const where =
        constantMeasure === undefined
          ? `measure = ${sqlString(measure)}`
          : String(constantMeasure === measure);
      return typed
        ? typed
            .map(
              (d) =>
                `select distinct ${sqlString(d)} as k, ${dimColumn(d)} as v from ${table} where ${where} and ${dimColumn(d)} is not null`,
            )
            .join(' union all ')
        : `select e.key as k, e.value as v from (select unnest(map_entries(dims)) as e
             from (select distinct dims from ${table} where ${where}))`;
    })
    .join(' union all ');
  const rows = await stats.all<{ k: string; v: string[] }>(
    `select k, list(distinct v order by v) as v from (${pairs}) group by k order by k`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, [...r.v]]));
}
