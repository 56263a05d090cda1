/**
 * The `measure × place × period` query: values by month, quarter or year for places, with rates per N
 * inhabitants from the population of the same place and period, and the source vintages behind every
 * number. A place is served from a source that publishes it directly when there is one; otherwise its
 * value is the sum of its children (municipalities for a state, states for the country), and the answer
 * says which it used.
 * @module
 */
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../error.js';
import { parsePeriod } from '../domain/periods.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { measureById } from './measures.js';
import { sqlString } from './source.js';
import { observationColumns, type StatsMetadata, type StatsStore } from './stats-store.js';

export const SeriesQuery = z
  .object({
    measure: z.string().regex(/^[a-z0-9_]+$/, { message: 'expected a measure id such as homicides' }),
    geo: z
      .array(
        z
          .string()
          .regex(/^(MX|US|\d{2}|\d{5}|[A-Z]{2})$/, { message: 'expected a place code: MX, 09, 09015' }),
      )
      .max(3000)
      .optional(),
    /**
     * All places of a level at once, for maps: the states of a country (`within` MX, the default, or US),
     * or every municipality of the state `within`.
     */
    level: z.enum(['state', 'municipality']).optional(),
    within: z
      .string()
      .regex(/^(MX|US|\d{2})$/, { message: 'expected MX or US (for states) or a state code such as 09' })
      .optional(),
    /** `fiscal_year`: the U.S. federal fiscal year, October to September, coded `FY2020`. */
    by: z.enum(['month', 'quarter', 'year', 'fiscal_year']).default('year'),
    from: z.string().optional(),
    to: z.string().optional(),
    per: z.number().positive().max(1e9).optional(),
    annualize: z.boolean().optional(),
    filters: z.record(z.string(), z.string()).optional(),
    source: z.string().optional(),
  })
  .strict()
  .refine((q) => (q.geo?.length ?? 0) > 0 || q.level !== undefined, {
    message: 'give places (geo) or a level',
    path: ['geo'],
  });
export type SeriesQuery = z.input<typeof SeriesQuery>;

export interface SeriesPoint {
  geo: string;
  name: string | null;
  /** The period's code: `2019`, `2019-Q1`, `2019-03` or `FY2019`. */
  period: string;
  /** Its first day. */
  start: string;
  value: number;
  population: number | null;
  rate: number | null;
}

export interface Series {
  geo: string;
  name: string | null;
  /** `published` when a source publishes this place directly, else `sum of <level>`. */
  method: string;
  source: string;
  points: SeriesPoint[];
}

export interface SeriesResult {
  query: z.output<typeof SeriesQuery>;
  measure: { id: string; unit: { en: string; es: string } };
  populationSource: string | null;
  series: Series[];
  /** Every vintage behind the numbers, with its file and checksum. */
  vintages: { id: number; source: string; file_name: string; sha256: string; imported_at: string }[];
}

/** Which `by` each stored granularity can be given by: a period is never split, only combined. */
const FITS: Record<string, string[]> = {
  month: ['month', 'quarter', 'year', 'fiscal_year'],
  quarter: ['quarter', 'year', 'fiscal_year'],
  year: ['year'],
  fiscal_year: ['fiscal_year'],
};

const LEVEL_OF = (code: string) =>
  code === 'MX' || code === 'US' ? 'country' : /^\d{5}$/.test(code) ? 'municipality' : 'state';
const CHILD_LEVELS: Record<string, string[]> = {
  country: ['state', 'municipality'],
  state: ['municipality'],
  municipality: [],
};

interface Coverage {
  source: string;
  geo_level: string;
  granularity: string;
  totals: boolean;
  period_from: string;
  period_to: string;
}

interface Plan {
  source: string;
  level: string;
  method: string;
}

const DAY = 86_400_000;
/** Days of [from, to] that a coverage spans. */
const overlap = (c: Coverage, from: string, to: string) =>
  Math.max(
    0,
    (Date.parse(c.period_to < to ? c.period_to : to) -
      Date.parse(c.period_from > from ? c.period_from : from)) /
      DAY,
  );

/**
 * Which source and level serve a place: among the sources that publish the place itself or its children,
 * the one covering most of the period asked for; on a tie the place's own figures win over a sum of
 * children, then the source reaching later, then the source id. One source serves a whole series: Marco
 * never splices two publishers into one line (ask for `source` to choose another).
 */
function choosePlan(
  coverage: Coverage[],
  level: string,
  span: { from: string; to: string; by: string },
  preferred?: string,
): Plan | undefined {
  const levels = [level, ...(CHILD_LEVELS[level] ?? [])];
  const eligible = coverage.filter(
    (c) => (!preferred || c.source === preferred) && levels.includes(c.geo_level),
  );
  // Sources that can be given by the period asked for come first; if none can, the caller explains why.
  const fitting = eligible.filter((c) => FITS[c.granularity]?.includes(span.by));
  const candidates = (fitting.length ? fitting : eligible)
    .map((c) => ({ c, days: overlap(c, span.from, span.to), depth: levels.indexOf(c.geo_level) }))
    .sort(
      (a, b) =>
        b.days - a.days ||
        a.depth - b.depth ||
        b.c.period_to.localeCompare(a.c.period_to) ||
        a.c.source.localeCompare(b.c.source),
    );
  const best = candidates[0];
  if (!best) return undefined;
  const child = best.c.geo_level;
  return {
    source: best.c.source,
    level: child,
    method: child === level ? 'published' : `sum of ${child === 'state' ? 'states' : 'municipalities'}`,
  };
}

export function bounds(q: { from?: string | undefined; to?: string | undefined }): {
  from: string;
  to: string;
} {
  const issues = [];
  const from = q.from ? parsePeriod(q.from) : undefined;
  const to = q.to ? parsePeriod(q.to) : undefined;
  if (q.from && !from) issues.push({ path: 'from', message: `not a period: ${JSON.stringify(q.from)}` });
  if (q.to && !to) issues.push({ path: 'to', message: `not a period: ${JSON.stringify(q.to)}` });
  if (issues.length > 0) throw new ValidationError(issues, undefined, 'query');
  return { from: from?.start ?? '1800-01-01', to: to?.end ?? '2200-12-31' };
}

/**
 * The places a query asks for: a level's places (Mexico's states, or those `within` a parent), or the
 * codes given.
 */
export function queryPlaces(
  q: { level?: string | undefined; within?: string | undefined; geo?: string[] | undefined },
  meta: Pick<StatsMetadata, 'places'>,
): string[] {
  if (!q.level) return q.geo ?? [];
  return [...meta.places.values()]
    .filter(
      (p) =>
        p.level === q.level && (!q.within ? q.level !== 'state' || p.parent === 'MX' : p.parent === q.within),
    )
    .map((p) => p.code);
}

/** Runs a series query; see the module documentation. */
export async function querySeries(stats: StatsStore, input: unknown): Promise<SeriesResult> {
  const parsed = safeParseInput(SeriesQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'series query', 'query');
  const q = parsed.data;
  const measure = measureById(q.measure);
  if (!measure) throw new NotFoundError('measure', q.measure);
  if (measure.requiresFilter && q.filters?.[measure.requiresFilter] === undefined)
    throw new ValidationError(
      [
        {
          path: `filters.${measure.requiresFilter}`,
          message: `${measure.id} must be filtered by ${measure.requiresFilter}: its categories overlap and cannot be added up`,
        },
      ],
      undefined,
      'query',
    );
  const { from, to } = bounds(q);

  const meta = await stats.metadata();
  const geos = queryPlaces(q, meta);
  const names = new Map(geos.map((g) => [g, meta.places.get(g)?.name ?? null] as const));
  const coverage = meta.coverage.filter((c) => c.measure === q.measure);
  const popCoverage = q.per ? meta.coverage.filter((c) => c.measure === 'population') : [];
  const dims = Object.entries(q.filters ?? {})
    .map(([k, v]) => `and dims[${sqlString(k)}] = ${sqlString(v)}`)
    .join(' ');
  const noDims = 'and cardinality(dims) = 0';

  // Group places by plan, so each plan is one query however many places it serves.
  const groups = new Map<string, { plan: Plan; geos: string[] }>();
  // The plan depends on the place's level only: chosen once per level, not once per place.
  const plans = new Map<string, Plan | undefined>();
  for (const geo of geos) {
    const level = LEVEL_OF(geo);
    if (!plans.has(level)) plans.set(level, choosePlan(coverage, level, { from, to, by: q.by }, q.source));
    const plan = plans.get(level);
    if (!plan) continue;
    const key = `${plan.source}|${plan.level}|${plan.method}`;
    const group = groups.get(key);
    if (group) group.geos.push(geo);
    else groups.set(key, { plan, geos: [geo] });
  }

  for (const { plan } of groups.values()) {
    const grains = new Set(
      coverage
        .filter((c) => c.source === plan.source && c.geo_level === plan.level)
        .map((c) => c.granularity),
    );
    const blocked = [...grains].find((g) => !FITS[g]?.includes(q.by));
    if (blocked)
      throw new ValidationError(
        [
          {
            path: 'by',
            message: `${q.measure} from ${plan.source} is published by ${blocked.replace('_', ' ')}, so it cannot be given by ${q.by.replace('_', ' ')}; ask by=${FITS[blocked]?.join(' or by=') ?? blocked}`,
          },
        ],
        undefined,
        'query',
      );
  }

  const vintageIds = new Set<number>();
  const series: Series[] = [];
  const popSources = new Set<string>();
  for (const { plan, geos: targets } of groups.values()) {
    const values = await bucketed(stats, {
      measure: q.measure,
      source: plan.source,
      level: plan.level,
      targets,
      targetLevel: LEVEL_OF(targets[0]!),
      by: q.by,
      from,
      to,
      // Without filters: the dimension-free totals when the source has them, else every breakdown row.
      dims:
        dims ||
        (coverage.some((c) => c.source === plan.source && c.geo_level === plan.level && c.totals)
          ? noDims
          : ''),
      overTime: measure.overTime,
    });
    // Population by place, then period: nested maps, as joined string keys cost most of a large query.
    const population = new Map<string, Map<string, number>>();
    if (q.per) {
      const popPlan = choosePopulation(popCoverage, LEVEL_OF(targets[0]!));
      if (popPlan) {
        const pop = await bucketed(stats, {
          measure: 'population',
          source: popPlan.source,
          level: popPlan.level,
          targets,
          targetLevel: LEVEL_OF(targets[0]!),
          by: q.by,
          // Only the periods that have values need a population.
          ...valueSpan(values, q.by, { from, to }),
          dims: noDims,
          overTime: 'mean',
          // Yearly population figures serve every month and quarter of their year.
          spread: popPlan.granularity === 'year' && q.by !== 'year',
        });
        for (const r of pop) {
          const byPeriod = population.get(r.target);
          if (byPeriod) byPeriod.set(r.period, r.value);
          else population.set(r.target, new Map([[r.period, r.value]]));
        }
        // Named only when it supplied a figure: a U.S. place gets no rate from CONAPO.
        if (pop.length > 0) popSources.add(popPlan.source);
        pop.forEach((r) => r.vintages.forEach((v) => vintageIds.add(v)));
      }
    }
    const periodsPerYear = q.by === 'month' ? 12 : q.by === 'quarter' ? 4 : 1;
    const byGeo = new Map<string, SeriesPoint[]>();
    for (const r of values) {
      r.vintages.forEach((v) => vintageIds.add(v));
      const pop = population.get(r.target)?.get(r.period) ?? null;
      const rate = q.per && pop ? (r.value / pop) * q.per * (q.annualize ? periodsPerYear : 1) : null;
      const point: SeriesPoint = {
        geo: r.target,
        name: names.get(r.target) ?? null,
        period: periodCode(r.period, q.by),
        start: r.period,
        value: r.value,
        population: pop,
        rate,
      };
      const list = byGeo.get(r.target);
      if (list) list.push(point);
      else byGeo.set(r.target, [point]);
    }
    for (const geo of targets) {
      series.push({
        geo,
        name: names.get(geo) ?? null,
        method: plan.method,
        source: plan.source,
        points: byGeo.get(geo) ?? [],
      });
    }
  }
  const order = new Map(geos.map((g, i) => [g, i]));
  series.sort((a, b) => order.get(a.geo)! - order.get(b.geo)!);
  const vintages = meta.vintages
    .filter((v) => vintageIds.has(v.id))
    .map(({ id, source, file_name, sha256, imported_at }) => ({
      id,
      source,
      file_name,
      sha256,
      imported_at,
    }));
  return {
    query: q,
    measure: { id: measure.id, unit: measure.unit },
    populationSource: popSources.size ? [...popSources].join(', ') : null,
    series,
    vintages,
  };
}

/** The first day of the earliest and the last day of the latest bucket of `values`, within `span`. */
function valueSpan(
  values: { period: string }[],
  by: string,
  span: { from: string; to: string },
): { from: string; to: string } {
  if (values.length === 0) return span;
  let first = values[0]!.period;
  let last = first;
  for (const v of values) {
    if (v.period < first) first = v.period;
    if (v.period > last) last = v.period;
  }
  const months = by === 'month' ? 1 : by === 'quarter' ? 3 : 12;
  const end = new Date(`${last}T00:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() + months);
  end.setUTCDate(0);
  const to = end.toISOString().slice(0, 10);
  return { from: first > span.from ? first : span.from, to: to < span.to ? to : span.to };
}

/** `2019-04-01` → `2019`, `2019-Q2` or `2019-04`; `2018-10-01` by fiscal year → `FY2019`. */
function periodCode(start: string, by: 'month' | 'quarter' | 'year' | 'fiscal_year'): string {
  const [y, m] = start.split('-');
  if (by === 'fiscal_year') return `FY${Number(y) + (Number(m) >= 10 ? 1 : 0)}`;
  if (by === 'year') return y!;
  if (by === 'quarter') return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
  return `${y}-${m}`;
}

function choosePopulation(coverage: Coverage[], level: string): (Plan & { granularity: string }) | undefined {
  // The finest granularity published for the place itself, else the sum of its children.
  const rank = (g: string) => (g === 'month' ? 0 : g === 'quarter' ? 1 : 2);
  for (const lvl of [level, ...(CHILD_LEVELS[level] ?? [])]) {
    const best = coverage
      .filter((c) => c.geo_level === lvl)
      .sort((a, b) => rank(a.granularity) - rank(b.granularity) || a.source.localeCompare(b.source))[0];
    if (best)
      return {
        source: best.source,
        level: lvl,
        method: lvl === level ? 'published' : 'sum',
        granularity: best.granularity,
      };
  }
  return undefined;
}

async function bucketed(
  stats: StatsStore,
  p: {
    measure: string;
    source: string;
    level: string;
    targets: string[];
    targetLevel: string;
    by: string;
    from: string;
    to: string;
    dims: string;
    overTime: 'sum' | 'mean' | 'last';
    spread?: boolean;
  },
): Promise<{ target: string; period: string; value: number; vintages: number[] }[]> {
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
  const agg = p.overTime === 'sum' ? 'sum(v)' : p.overTime === 'mean' ? 'avg(v)' : 'arg_max(v, period)';
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
  const vintages = (await stats.metadata()).vintages.filter((v) => v.source === p.source);
  if (vintages.length === 0) return [];
  const from_ = vintages
    .map(
      (v) =>
        `select ${observationColumns({ id: v.id, source: v.source, constants: v.constants === null ? null : (JSON.parse(v.constants) as Record<string, string>) })} from ${v.table_name}`,
    )
    .join(' union all ');
  const filter = `measure = ${sqlString(p.measure)} and geo_level = ${sqlString(p.level)}
        and ${where} and period between ${first} and ${sqlString(p.to)}::date ${p.dims}`;
  // Places are summed within each stored period first; then periods combine by the measure's rule. For
  // a sum both steps are one aggregation.
  const sql =
    p.overTime === 'sum' && !p.spread
      ? `
    select ${target} as target, (year(bucket) * 100 + month(bucket))::integer as ym, sum(value)::double as value
    from (select *, ${bucketOf('period')} as bucket from (${from_}) where ${filter})
    group by all
    order by target, ym`
      : `
    with per_period as (
      select ${target} as target, period, sum(value) as v
      from (${from_})
      where ${filter}
      group by all)
    select target, (year(bucket) * 100 + month(bucket))::integer as ym, (${agg})::double as value
    from (select *, ${bucketOf('period')} as bucket from ${periods})
    group by target, bucket
    order by target, bucket`;
  const wanted = new Set(p.targets);
  // The vintages behind the numbers: this source's vintages in force over the period asked for.
  const ids = vintages.filter((v) => v.period_from <= p.to && v.period_to >= p.from).map((v) => v.id);
  // Read as arrays with the period as a number: converting thousands of rows to objects and decoding a
  // date string for each was most of a large query's time.
  const reader = await stats.con.runAndReadAll(sql);
  const out: { target: string; period: string; value: number; vintages: number[] }[] = [];
  for (const [target, ym, value] of reader.getRowsJS() as [string, number, number][]) {
    if (!wanted.has(target)) continue;
    const month = ym % 100;
    out.push({
      target,
      period: `${(ym - month) / 100}-${month < 10 ? '0' : ''}${month}-01`,
      value,
      vintages: ids,
    });
  }
  return out;
}
