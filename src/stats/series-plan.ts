/**
 * The plan of a series query before any value is read: the query checked (measure, filters, window,
 * places), its places grouped by country and level, and for each level the runs of periods each source
 * serves (`precedence/plan.ts`) as bucketed SQL parts. `querySeries` reads the parts and adds
 * population; anomaly detection scores the same parts inside DuckDB, so both see the same values.
 * @module
 */
import { z } from 'zod';
import { parsePeriod } from '../domain/periods.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { NotFoundError, textIssue, ValidationError } from '../error.js';
import { measureById, type Measure } from './measures.js';
import { monthEnd, monthStart } from './precedence/buckets.js';
import { COUNTRY_OF, FITS, LEVEL_OF, planPeriods } from './precedence/plan.js';
import { seriesQueryIssues } from './discover/checks.js';
import type { BucketedQuery } from './series-sql.js';
import type { StatsMetadata, StatsStore } from './stats-store.js';

export const SeriesQuery = z
  .object({
    measure: z.string().regex(/^[a-z0-9_]+$/, { message: 'validation.schema.measureIdSuch' }),
    geo: z
      .array(z.string().regex(/^(MX|US|\d{2}|\d{5}|[A-Z]{2})$/, { message: 'validation.schema.placeCode' }))
      .max(3000)
      .optional(),
    /**
     * All places of a level at once, for maps: the states of a country (`within` MX, the default, or US),
     * or every municipality of the state `within`.
     */
    level: z.enum(['state', 'municipality']).optional(),
    within: z
      .string()
      .regex(/^(MX|US|\d{2})$/, { message: 'validation.schema.within' })
      .optional(),
    /** `fiscal_year`: the U.S. federal fiscal year, October to September, coded `FY2020`. */
    by: z.enum(['month', 'quarter', 'year', 'fiscal_year']).default('year'),
    from: z.string().optional(),
    to: z.string().optional(),
    per: z.number().positive().max(1e9).optional(),
    annualize: z.boolean().optional(),
    filters: z.record(z.string(), z.string()).optional(),
    source: z.string().optional(),
    /**
     * `published` (the default): a rate needs a population figure for its own period. `interpolated`: a
     * period between two published figures uses the straight line between them, and its point says so.
     */
    population: z.enum(['published', 'interpolated']).optional(),
  })
  .strict()
  .refine((q) => (q.geo?.length ?? 0) > 0 || q.level !== undefined, {
    message: 'validation.schema.geoOrLevel',
    path: ['geo'],
  });
export type SeriesQuery = z.input<typeof SeriesQuery>;

export function bounds(q: { from?: string | undefined; to?: string | undefined }): {
  from: string;
  to: string;
} {
  const issues = [];
  const from = q.from ? parsePeriod(q.from) : undefined;
  const to = q.to ? parsePeriod(q.to) : undefined;
  for (const [field, value, period] of [
    ['from', q.from, from],
    ['to', q.to, to],
  ] as const)
    if (value && !period) issues.push(textIssue(field, 'query.notAPeriod', { value: JSON.stringify(value) }));
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

export interface LevelPlan {
  country: 'MX' | 'US';
  level: string;
  targets: string[];
  planned: ReturnType<typeof planPeriods>;
  /** Each run of periods from its source: one bucketed query each, read in one statement. */
  parts: BucketedQuery[];
}

export interface SeriesPlan {
  q: z.output<typeof SeriesQuery>;
  measure: Measure;
  meta: StatsMetadata;
  geos: string[];
  names: Map<string, string | null>;
  coverage: StatsMetadata['coverage'];
  levels: LevelPlan[];
}

/** Checks a series query and plans it; see the module documentation. */
export async function planSeries(stats: StatsStore, input: unknown): Promise<SeriesPlan> {
  const parsed = safeParseInput(SeriesQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'series query', 'query');
  const q = parsed.data;
  const measure = measureById(q.measure);
  if (!measure) throw new NotFoundError('measure', q.measure, { key: 'notFound.hint.measures' });
  if (measure.requiresFilter && q.filters?.[measure.requiresFilter] === undefined)
    throw new ValidationError(
      [
        textIssue(`filters.${measure.requiresFilter}`, 'query.requiresFilter', {
          measure: measure.id,
          name: measure.requiresFilter,
        }),
      ],
      undefined,
      'query',
    );
  const { from, to } = bounds(q);

  const meta = await stats.metadata();
  const impossible = await seriesQueryIssues(stats, meta, q, { from, to });
  if (impossible.length > 0) throw new ValidationError(impossible, undefined, 'query');
  const geos = queryPlaces(q, meta);
  const names = new Map(geos.map((g) => [g, meta.places.get(g)?.name ?? null] as const));
  const coverage = meta.coverage.filter((c) => c.measure === q.measure);
  const filtered = Object.keys(q.filters ?? {}).length > 0;

  // Places by level: the periods of a level are planned once, and each run of periods served by one
  // source is one query however many places it serves.
  const byLevel = new Map<string, string[]>();
  for (const geo of geos) {
    const key = `${COUNTRY_OF(geo)}|${LEVEL_OF(geo)}`;
    const list = byLevel.get(key);
    if (list) list.push(geo);
    else byLevel.set(key, [geo]);
  }
  const levels: LevelPlan[] = [];
  for (const [key, targets] of byLevel) {
    const [country, level] = key.split('|') as ['MX' | 'US', string];
    const planned = planPeriods(coverage, measure, level, { from, to, by: q.by }, q.source, country);
    if (planned.blocked) throw cannotGiveBy(q.measure, planned.blocked, q.by);
    for (const { plan } of planned.segments) {
      const grain = coverage.find(
        (c) => c.source === plan.source && c.geo_level === plan.level && !FITS[c.granularity]?.includes(q.by),
      );
      if (grain) throw cannotGiveBy(q.measure, grain, q.by);
    }
    const parts: BucketedQuery[] = planned.segments.map(({ plan, first, last }) => ({
      measure: q.measure,
      source: plan.source,
      level: plan.level,
      targets,
      targetLevel: level,
      by: q.by,
      from: monthStart(first),
      to: monthEnd(last),
      // Without filters: the dimension-free totals when the source has them, else every breakdown row.
      dims: filtered
        ? { values: q.filters! }
        : coverage.some((c) => c.source === plan.source && c.geo_level === plan.level && c.totals)
          ? 'totals'
          : 'all',
      overTime: measure.overTime,
    }));
    levels.push({ country, level, targets, planned, parts });
  }
  return { q, measure, meta, geos, names, coverage, levels };
}

/** The refusal of a `by` that a source's periods cannot be combined into. */
function cannotGiveBy(measure: string, blocked: { source: string; granularity: string }, by: string) {
  const g = blocked.granularity;
  return new ValidationError(
    [
      textIssue('by', 'query.cannotGiveBy', {
        measure,
        source: blocked.source,
        grain: g,
        by,
        ask: (FITS[g] ?? [g]).map((f) => `by=${f}`).join(', '),
      }),
    ],
    undefined,
    'query',
  );
}
