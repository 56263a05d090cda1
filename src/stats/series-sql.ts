/**
 * The SQL of a series query: one source at one level, its values bucketed by month, quarter, year or
 * fiscal year, for places at that level or summed to a parent. Reads only that source's own vintage
 * tables, never the whole observations view.
 * @module
 */
import type { DuckDBListVector, DuckDBStructVector, DuckDBVector } from '@duckdb/node-api';
import { sqlString } from './source.js';
import {
  dimsCondition,
  observationColumns,
  vintageShape,
  type DimsFilter,
  type StatsMetadata,
  type StatsStore,
} from './stats-store.js';

/**
 * The answer to one bucketed query, by column: row `i` is place `targets[i]`'s value `values[i]` for the
 * period starting on `periods[i]`. `vintages` are the vintages of its source in force over the span asked.
 */
export interface Bucketed {
  targets: string[];
  periods: string[];
  values: number[];
  vintages: number[];
}

/** One source at one level for some places, by one granularity, over one span. */
export interface BucketedQuery {
  measure: string;
  source: string;
  level: string;
  targets: string[];
  targetLevel: string;
  by: string;
  from: string;
  to: string;
  dims: DimsFilter;
  overTime: 'sum' | 'mean' | 'last';
  spread?: boolean;
  /** A count of people: a mean over months is rounded to a whole person (a quarter's population). */
  whole?: boolean;
}

/**
 * Several bucketed queries (the runs of periods a series' sources serve, and its population) in one
 * statement: one round trip to DuckDB, whose branches it may run in parallel. Answers in the order asked.
 * Each query's values of `measure` from `source` at `level`, for `targets` (at `targetLevel`: the level
 * itself, or a parent whose children are summed), by `by`, between `from` and `to`: `dims` selects rows
 * by their dimensions, `overTime` combines periods, and `spread` gives yearly figures to every month of
 * their year. Rows come in no particular order.
 */
export async function bucketedAll(stats: StatsStore, parts: BucketedQuery[]): Promise<Bucketed[]> {
  const meta = await stats.metadata();
  const built = parts.map((p) => bucketSql(meta, p));
  const out: Bucketed[] = built.map((b) => ({
    targets: [],
    periods: [],
    values: [],
    vintages: b?.ids ?? [],
  }));
  // One row per place, its (period, value) pairs as one list: a place's code is decoded once, not once a
  // period.
  const branches = built.flatMap((b, i) =>
    b
      ? [
          `select ${i}::integer as part, target, list({'ym': ym, 'value': value}) as points
           from (${b.sql}) group by target`,
        ]
      : [],
  );
  if (branches.length === 0) return out;
  const wanted = parts.map((p) => new Set(p.targets));
  // Materialized, then read chunk by chunk and vector by vector: fetching each chunk with a round trip of
  // its own and converting the answer value by value were most of a large query's time. The period comes
  // as a number, and each period's text is made once.
  const result = await stats.con.run(branches.join(' union all '));
  const periods = new Map<number, string>();
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const partOf = chunk.getColumnVector(0) as DuckDBVector<number>;
    const targetOf = chunk.getColumnVector(1) as DuckDBVector<string>;
    const lists = chunk.getColumnVector(2) as DuckDBListVector;
    const points = lists.childVector as DuckDBStructVector;
    const yms = points.entryVectorAt(0) as DuckDBVector<number>;
    const values = points.entryVectorAt(1) as DuckDBVector<number>;
    for (let r = 0; r < chunk.rowCount; r++) {
      const part = partOf.getItem(r)!;
      const target = targetOf.getItem(r)!;
      if (!wanted[part]!.has(target)) continue;
      const answer = out[part]!;
      const first = lists.getEntryOffset(r);
      const end = first + lists.getEntryLength(r);
      for (let e = first; e < end; e++) {
        const ym = yms.getItem(e)!;
        let period = periods.get(ym);
        if (period === undefined) {
          const month = ym % 100;
          period = `${(ym - month) / 100}-${month < 10 ? '0' : ''}${month}-01`;
          periods.set(ym, period);
        }
        answer.targets.push(target);
        answer.periods.push(period);
        answer.values.push(values.getItem(e)!);
      }
    }
  }
  return out;
}

/**
 * The rows of several bucketed queries as one SQL statement (`target`, `ym` as year × 100 + month,
 * `value`), each part's rows limited to its own places, with the vintages behind them: for analyses that
 * run inside DuckDB on exactly the values a series query reads (anomaly detection).
 */
export function bucketedUnionSql(
  meta: StatsMetadata,
  parts: BucketedQuery[],
): { sql: string; ids: number[] } | undefined {
  const built = parts.map((p) => bucketSql(meta, p));
  const branches = built.flatMap((b, i) =>
    b
      ? [
          `select target, ym, value from (${b.sql}) where target in (${parts[i]!.targets.map(sqlString).join(',')})`,
        ]
      : [],
  );
  if (branches.length === 0) return undefined;
  return { sql: branches.join(' union all '), ids: [...new Set(built.flatMap((b) => b?.ids ?? []))] };
}

/** The SQL of one bucketed query and the vintages behind it, or undefined when its source has none. */
function bucketSql(meta: StatsMetadata, p: BucketedQuery): { sql: string; ids: number[] } | undefined {
  const list = p.targets.map(sqlString).join(',');
  // Places sharing a state prefix also get a range filter, which DuckDB's zone maps can prune with.
  const prefixes = [...new Set(p.targets.map((t) => t.slice(0, 2)))];
  const range =
    prefixes.length === 1 && /^\d{2}$/.test(prefixes[0]!)
      ? ` and geo >= ${sqlString(prefixes[0]!)} and geo < ${sqlString(`${prefixes[0]}~`)}`
      : '';
  // INEGI codes are digits and U.S. codes letters, so a place's country follows from its code.
  const country = `case when regexp_full_match(geo, '\\d+') then 'MX' else 'US' end`;
  const target =
    p.targetLevel === p.level ? 'geo' : p.targetLevel === 'country' ? country : `substr(geo, 1, 2)`;
  const where =
    p.targetLevel === p.level
      ? range && p.targets.length > 50
        ? range.slice(' and '.length) // a whole state's municipalities: the range alone, rows filtered below
        : `geo in (${list})${range}`
      : p.targetLevel === 'country'
        ? `${country} in (${list})`
        : `substr(geo, 1, 2) in (${list})${range}`;
  const mean = p.whole ? 'round(avg(v))' : 'avg(v)';
  const agg = p.overTime === 'sum' ? 'sum(v)' : p.overTime === 'mean' ? mean : 'arg_max(v, period)';
  // A fiscal year starts on 1 October of the calendar year before the one it is named after.
  const bucketOf = (col: string) =>
    p.by === 'fiscal_year'
      ? `(date_trunc('year', ${col} + interval 3 month) - interval 3 month)::date`
      : `date_trunc(${sqlString(p.by)}, ${col})::date`;
  // Yearly figures spread over their months first, when a finer period asks for them (population).
  // A year's figure is stored on 1 January, so the first year of a span that starts later is read too,
  // and its months outside the span are dropped after spreading.
  const periods = p.spread
    ? `(select * from (select target, unnest(generate_series(date_trunc('year', period), date_trunc('year', period) + interval 11 month, interval 1 month))::date as period, v from per_period)
        where period between ${sqlString(p.from)}::date and ${sqlString(p.to)}::date)`
    : 'per_period';
  const first = p.spread ? `date_trunc('year', ${sqlString(p.from)}::date)` : `${sqlString(p.from)}::date`;
  // Only this source's own vintage tables are read, never the whole observations view.
  const vintages = meta.vintages.filter((v) => v.source === p.source);
  if (vintages.length === 0) return undefined;
  // Each table is filtered by dimensions on its own columns (typed columns or a map), inside its branch.
  const from_ = vintages
    .map((v) => {
      const shape = vintageShape(v);
      return `select ${observationColumns(shape)} from ${v.table_name} where ${dimsCondition(shape, p.dims)}`;
    })
    .join(' union all ');
  const filter = `measure = ${sqlString(p.measure)} and geo_level = ${sqlString(p.level)}
        and ${where} and period between ${first} and ${sqlString(p.to)}::date`;
  // Places are summed within each stored period first; then periods combine by the measure's rule. For
  // a sum both steps are one aggregation.
  const sql =
    p.overTime === 'sum' && !p.spread
      ? `
    select ${target} as target, (year(bucket) * 100 + month(bucket))::integer as ym, sum(value)::double as value
    from (select *, ${bucketOf('period')} as bucket from (${from_}) where ${filter})
    group by all`
      : `
    with per_period as (
      select ${target} as target, period, sum(value) as v
      from (${from_})
      where ${filter}
      group by all)
    select target, (year(bucket) * 100 + month(bucket))::integer as ym, (${agg})::double as value
    from (select *, ${bucketOf('period')} as bucket from ${periods})
    group by target, bucket`;
  // The vintages behind the numbers: this source's vintages in force over the period asked for.
  const ids = vintages.filter((v) => v.period_from <= p.to && v.period_to >= p.from).map((v) => v.id);
  return { sql, ids };
}
