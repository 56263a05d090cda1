/**
 * The `measure × place × period` query: values by month, quarter or year for places, with rates per N
 * inhabitants from the population of the same place and period, and the source vintages behind every
 * number. Each period is served by the source that precedence gives it (`precedence/plan.ts`), period
 * by period, so a value never depends on the window asked; each point names its source, method and
 * vintage, a change of source is a break in the series, and a period its source does not cover whole is
 * flagged partial with the months it covers.
 * @module
 */
import type { z } from 'zod';
import {
  monthCode,
  monthEnd,
  monthIndex,
  monthStart,
  MONTHS_OF,
  periodCode,
  periodStarts,
  type By,
} from './precedence/buckets.js';
import { type PartialPeriod, type PartialReason } from './precedence/plan.js';
import { choosePopulation } from './precedence/population.js';
import { populationLine } from './precedence/interpolate.js';
import { sourceById } from './sources/index.js';
import { pointVintage } from './precedence/vintages.js';
import { keepAnswer, keptAnswer } from './answers-cache.js';
import { bucketedAll, type Bucketed, type BucketedQuery } from './series-sql.js';
import { planSeries } from './series-plan.js';
import type { StatsStore } from './stats-store.js';
import type { SeriesQuery } from './series-plan.js';
export { SeriesQuery, bounds, queryPlaces } from './series-plan.js';

export interface SeriesPoint {
  geo: string;
  name: string | null;
  /** The period's code: `2019`, `2019-Q1`, `2019-03` or `FY2019`. */
  period: string;
  /** Its first day. */
  start: string;
  value: number;
  population: number | null;
  /** The source of `population` (see `precedence/population.ts` for the rule), or null without one. */
  populationSource: string | null;
  /** Set when `population: interpolated` filled a period between two published figures. */
  populationMethod?: 'interpolated';
  rate: number | null;
  /**
   * Why a rate asked for is missing: `no_population_source` (no population is imported for places of
   * this level), `no_population` (the population source has no figure for this place and period, e.g.
   * CONAPO's municipal projections for 2007–2009), or `zero_population`.
   */
  rateGap?: 'no_population_source' | 'no_population' | 'zero_population';
  /** The source of this point, how it was made (`published`, `sum of states`), and its vintage. */
  source: string;
  method: string;
  vintage: number | null;
  /** Whether its source holds less than the whole period, or holds it incompletely. */
  partial: boolean;
  /** For a partial point: the first and last month (`2025-06`) its source holds in the period, and why. */
  covers?: { from: string; to: string };
  partialReason?: PartialReason;
}

/** Where a series changes source (or method): the first period served by the new one. */
export interface SeriesBreak {
  period: string;
  /** The period's first day. */
  start: string;
  from: { source: string; method: string };
  to: { source: string; method: string };
}

export interface Series {
  geo: string;
  name: string | null;
  /**
   * The method and source of its latest period (of all of them when there is no break): `published`
   * when a source publishes this place directly, else `sum of <level>`.
   */
  method: string;
  source: string;
  /** Every change of source or method along the series, oldest first. */
  breaks: SeriesBreak[];
  points: SeriesPoint[];
  /**
   * The periods inside the series' span that have no point, and why: `no_rows`, its source covers
   * the period but has no row for this place (or none matching the filters); `not_listed`, its source lists only places and
   * periods with at least one event, so none was listed (absent when none is missing).
   */
  missing?: { period: string; start: string; reason: 'no_rows' | 'not_listed'; source: string }[];
}

/** Why a place asked for has no point in the answer. */
export interface SeriesGap {
  geo: string;
  /**
   * `no_source`: no source publishes the measure for places of its level or their children;
   * `outside_coverage`: the sources hold other periods (`covered`, first and last month);
   * `no_values`: a source covers the window but holds no value for this place.
   */
  reason: 'no_source' | 'outside_coverage' | 'no_values';
  covered?: { from: string; to: string };
}

export interface SeriesResult {
  query: z.output<typeof SeriesQuery>;
  /** The places asked for that have no point, and why: an empty answer says why it is empty. */
  gaps: SeriesGap[];
  measure: { id: string; unit: { en: string; es: string } };
  populationSource: string | null;
  series: Series[];
  /** Every vintage behind the numbers, with its file and checksum. */
  vintages: { id: number; source: string; file_name: string; sha256: string; imported_at: string }[];
}

/** Runs a series query; see the module documentation. */
export async function querySeries(stats: StatsStore, input: unknown): Promise<SeriesResult> {
  const { q, measure, meta, geos, names, levels } = await planSeries(stats, input);
  const popCoverage = q.per ? meta.coverage.filter((c) => c.measure === 'population') : [];
  const vintageIds = new Set<number>();
  const series: Series[] = [];
  const gaps: SeriesGap[] = [];
  const popSources = new Set<string>();
  for (const { country, level, targets, planned, parts } of levels) {
    if (!planned.best) {
      for (const geo of targets) gaps.push({ geo, reason: 'no_source' });
      continue;
    }
    const popPlan = q.per ? choosePopulation(popCoverage, level, q.by, country) : undefined;
    const popSource = popPlan?.source ?? null;
    const interpolate = q.population === 'interpolated';
    // The population is read in the same statement as the values, over the whole periods they may fill
    // (interpolation reads the published figures on both sides of a gap, wherever the window ends), and
    // only the figures of the periods that have values are used and named below.
    const span = interpolate
      ? { from: '1800-01-01', to: '2200-12-31' }
      : parts.length > 0
        ? { from: parts[0]!.from, to: parts.at(-1)!.to }
        : undefined;
    const popQuery: BucketedQuery | undefined =
      popPlan && span
        ? {
            measure: 'population',
            source: popPlan.source,
            level: popPlan.level,
            targets,
            targetLevel: level,
            by: q.by,
            ...span,
            dims: 'totals',
            overTime: 'mean',
            // A quarter of monthly figures is their mean, to a whole person: 3,806,455, not 3,806,455.33.
            whole: true,
            // Yearly population figures serve every month and quarter of their year.
            spread: popPlan.granularity === 'year' && q.by !== 'year',
          }
        : undefined;
    // The same places' population is asked again and again: it is kept until the store's next write.
    const kept = popQuery && keptAnswer(meta, popQuery);
    const read = popQuery && !kept;
    const answers = await bucketedAll(stats, read ? [...parts, popQuery] : parts);
    const pop = read ? answers.pop() : kept;
    if (read && pop) keepAnswer(meta, popQuery, pop);
    // A source's run may hold none of these places (the 1990s extract has 308 municipalities): the
    // population source is named, with its vintages, only for the periods that have values.
    const held = interpolate ? span : valueSpan(answers, q.by);
    // Population by place, then period: nested maps, as joined string keys cost most of a large query.
    const population = new Map<string, Map<string, number>>();
    let supplied = false;
    if (pop && held) {
      for (let i = 0; i < pop.targets.length; i++) {
        const target = pop.targets[i]!;
        const period = pop.periods[i]!;
        if (period >= held.from && period <= held.to) supplied = true;
        const byPeriod = population.get(target);
        if (byPeriod) byPeriod.set(period, pop.values[i]!);
        else population.set(target, new Map([[period, pop.values[i]!]]));
      }
    }
    // With `population: interpolated`, one straight-line reader per place, made when a gap asks for it.
    const lines = new Map<string, ReturnType<typeof populationLine> | null>();
    const lineOf = (geo: string) => {
      let line = lines.get(geo);
      if (line === undefined) {
        const published = population.get(geo);
        lines.set(geo, (line = published ? populationLine(published) : null));
      }
      return line;
    };
    // Named only when it supplied a figure.
    if (popPlan && held && supplied) {
      popSources.add(popPlan.source);
      for (const v of meta.vintages)
        if (v.source === popPlan.source && v.period_from <= held.to && v.period_to >= held.from)
          vintageIds.add(v.id);
    }
    const periodsPerYear = q.by === 'month' ? 12 : q.by === 'quarter' ? 4 : 1;
    const vintageOf = pointVintage(meta, q.by);
    const byGeo = new Map<string, SeriesPoint[]>();
    // Every place shares the periods' codes and partial flags: each is worked out once.
    const periods = new Map<string, { code: string; partial: PartialPeriod | undefined }>();
    const periodOf = (start: string) => {
      let known = periods.get(start);
      if (!known) {
        known = { code: periodCode(start, q.by), partial: planned.partial.get(monthIndex(start)) };
        periods.set(start, known);
      }
      return known;
    };
    const k = q.annualize ? periodsPerYear : 1;
    for (const [i, segment] of planned.segments.entries()) {
      const rows = answers[i]!;
      if (rows.targets.length > 0) for (const v of rows.vintages) vintageIds.add(v);
      const { source, method } = segment.plan;
      for (let j = 0; j < rows.targets.length; j++) {
        const target = rows.targets[j]!;
        const start = rows.periods[j]!;
        const value = rows.values[j]!;
        let pop = population.get(target)?.get(start) ?? null;
        let interpolated = false;
        if (pop === null && interpolate) {
          const line = lineOf(target)?.(start);
          if (line) ({ value: pop, interpolated } = line);
        }
        const rate = q.per && pop ? (value / pop) * q.per * k : null;
        const { code, partial } = periodOf(start);
        const point: SeriesPoint = {
          geo: target,
          name: names.get(target) ?? null,
          period: code,
          start,
          value,
          population: pop,
          populationSource: pop === null ? null : popSource,
          rate,
          source,
          method,
          vintage: vintageOf(source, start),
          partial: partial !== undefined,
        };
        if (interpolated) point.populationMethod = 'interpolated';
        if (q.per && rate === null)
          point.rateGap =
            popSource === null ? 'no_population_source' : pop === null ? 'no_population' : 'zero_population';
        if (partial) {
          point.covers = { from: monthCode(partial.from), to: monthCode(partial.to) };
          point.partialReason = partial.reason;
        }
        const list = byGeo.get(target);
        if (list) list.push(point);
        else byGeo.set(target, [point]);
      }
    }
    const breaks = planned.segments.slice(1).map((segment, i) => {
      const before = planned.segments[i]!.plan;
      return {
        period: periodCode(monthStart(segment.first), q.by),
        start: monthStart(segment.first),
        from: { source: before.source, method: before.method },
        to: { source: segment.plan.source, method: segment.plan.method },
      };
    });
    const latest = planned.segments.at(-1)?.plan ?? planned.best;
    const served = planned.segments.flatMap((s) =>
      periodStarts(s.first, s.last, q.by).map((start) => ({ start, source: s.plan.source })),
    );
    for (const geo of targets) {
      if (!byGeo.has(geo))
        gaps.push(
          planned.segments.length === 0 && planned.held
            ? {
                geo,
                reason: 'outside_coverage',
                covered: { from: monthCode(planned.held.first), to: monthCode(planned.held.last) },
              }
            : { geo, reason: 'no_values' },
        );
      const points = (byGeo.get(geo) ?? []).sort((a, b) =>
        a.start < b.start ? -1 : a.start > b.start ? 1 : 0,
      );
      const one: Series = {
        geo,
        name: names.get(geo) ?? null,
        method: latest.method,
        source: latest.source,
        breaks,
        points,
      };
      // A place with points but not in every period its sources serve: the periods between say why.
      if (points.length > 0 && points.length < served.length) {
        const held = new Set(points.map((p) => p.start));
        const first = points[0]!.start;
        const last = points.at(-1)!.start;
        one.missing = served
          .filter(({ start }) => start > first && start < last && !held.has(start))
          .map(({ start, source }) => ({
            period: periodOf(start).code,
            start,
            reason: sourceById(source)?.listsOnlyEvents ? ('not_listed' as const) : ('no_rows' as const),
            source,
          }));
        if (one.missing.length === 0) delete one.missing;
      }
      series.push(one);
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
  gaps.sort((a, b) => order.get(a.geo)! - order.get(b.geo)!);
  return {
    query: q,
    gaps,
    measure: { id: measure.id, unit: measure.unit },
    populationSource: popSources.size ? [...popSources].join(', ') : null,
    series,
    vintages,
  };
}

/** The first day of the earliest and the last day of the latest period of `answers`, or undefined. */
function valueSpan(answers: Bucketed[], by: By): { from: string; to: string } | undefined {
  let first: string | undefined;
  let last: string | undefined;
  for (const { periods } of answers)
    for (const period of periods) {
      if (first === undefined || period < first) first = period;
      if (last === undefined || period > last) last = period;
    }
  if (first === undefined || last === undefined) return undefined;
  return { from: first, to: monthEnd(monthIndex(last) + MONTHS_OF[by]! - 1) };
}
