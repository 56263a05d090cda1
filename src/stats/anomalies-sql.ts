/**
 * The anomaly scores computed inside DuckDB, on the values a series query by month reads (the same plan,
 * `series-plan.ts`): each month's trailing window is a window frame, whose median and median absolute
 * deviation DuckDB computes as windowed aggregates (`median`, `mad`), and only the flagged months and two counts leave the
 * database. Scoring every municipality's months in JavaScript took seconds; the rule is `scoreSeries`'s
 * (`anomalies.ts`), which the tests compare this with.
 * @module
 */
import { bucketedUnionSql } from './series-sql.js';
import type { StatsMetadata, StatsStore } from './stats-store.js';
import type { BucketedQuery } from './series-sql.js';

/** MAD × 1.4826 estimates the standard deviation of normally distributed data. */
export const MAD_TO_SD = 1.4826;

export interface ScoredMonth {
  target: string;
  /** `2019-03`. */
  period: string;
  value: number;
  expected: number;
  scale: number;
  z: number;
}

/**
 * The months of `parts` whose robust z-score reaches `threshold` (and whose value or baseline reaches
 * `minCount`), from month `firstAsked` (`YYYY-MM`) on, and how many places and months were scored.
 */
export async function scoreInDuckdb(
  stats: StatsStore,
  meta: StatsMetadata,
  parts: BucketedQuery[],
  o: { window: number; threshold: number; minCount: number; firstAsked: string },
): Promise<{ flagged: ScoredMonth[]; places: number; months: number; vintages: number[] }> {
  const union = bucketedUnionSql(meta, parts);
  if (!union) return { flagged: [], places: 0, months: 0, vintages: [] };
  const w = Math.trunc(o.window);
  const first = Number(o.firstAsked.slice(0, 4)) * 100 + Number(o.firstAsked.slice(5, 7));
  const sql = `
    with m as (select target, ym, value, (ym // 100) * 12 + ym % 100 - 1 as mi from (${union.sql})),
    framed as (
      select target, ym, value, mi,
        count(*) over past as n,
        median(value) over past as expected,
        mad(value) over past as mad,
        first_value(mi) over (partition by target order by mi rows between ${w} preceding and current row) as back
      from m
      window past as (partition by target order by mi rows between ${w} preceding and 1 preceding)),
    -- A month is scored when the ${w} months before it are all there, unbroken. DuckDB's mad() is the
    -- median absolute deviation from the window's own median, as scoreSeries computes it.
    z as (
      select target, ym, value, expected,
        greatest(${MAD_TO_SD} * mad, sqrt(greatest(expected, 0)), 1) as scale
      from framed where n = ${w} and mi - back = ${w} and ym >= ${first})
    select 0 as kind, target, ym, value, expected, scale, (value - expected) / scale as z from z
    where abs((value - expected) / scale) >= ${Number(o.threshold)}
      and greatest(value, expected) >= ${Number(o.minCount)}
    union all
    select 1, null, null, count(distinct target)::double, count(*)::double, null, null from z`;
  const reader = await stats.con.runAndReadAll(sql);
  const flagged: ScoredMonth[] = [];
  let places = 0;
  let months = 0;
  for (const [kind, target, ym, value, expected, scale, z] of reader.getRowsJS() as [
    number,
    string,
    number,
    number,
    number,
    number,
    number,
  ][]) {
    if (kind === 1) {
      places = value;
      months = expected;
      continue;
    }
    const month = ym % 100;
    flagged.push({
      target,
      period: `${(ym - month) / 100}-${month < 10 ? '0' : ''}${month}`,
      value,
      expected,
      scale,
      z,
    });
  }
  return { flagged, places, months, vintages: union.ids };
}
