/**
 * Reads programs, indicators, targets, results and practices from the records store and hands them to
 * the pure scorecard and monitoring-practice engines.
 * @module
 */
import { OPERATOR, type Viewer } from '../access/viewer.js';
import { canSee } from '../access/rules.js';
import { NotFoundError } from '../error.js';
import {
  complianceScore,
  portfolioCompliance,
  practiceConsistency,
  type ComplianceScore,
  type PracticeRecord,
} from '../domain/practices.js';
import {
  DEFAULT_THRESHOLDS,
  countStatuses,
  outcomeCoverage,
  rollupNodes,
  scoreIndicator,
  type IndicatorScore,
  type ScoreResult,
  type StatusCounts,
  type Thresholds,
} from '../domain/scorecard.js';
import type { RecordsStore } from './database.js';
import type { SeriesLink } from './schema.js';
import { measureById } from '../stats/measures.js';
import { querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';
import { parsePeriod } from '../domain/periods.js';
import { listNodes } from './framework-repository.js';

export interface ScorecardOptions {
  program?: string | undefined;
  /** A node reference `framework:code`: programs serving it or any node below it. */
  node?: string | undefined;
  thresholds?: Thresholds | undefined;
  /** Whose scorecard: records the viewer may not see are left out (default: everything, for the CLI). */
  viewer?: Viewer;
  /** The statistics store, for statistics-linked indicators. */
  stats?: StatsStore | undefined;
}

export interface IndicatorCard extends IndicatorScore {
  name: { en: string; es: string };
  unit: { en: string; es: string };
  baseline: { value: number; period: string | null } | null;
  /** For a statistics-linked indicator: its series query, and why actuals are missing, if they are. */
  series?: SeriesLink;
  seriesNote?: string | null;
}

export interface ProgramCard {
  code: string;
  title: { en: string; es: string };
  status: string;
  serves: string[];
  counts: StatusCounts;
  hasOutcomeIndicator: boolean;
  compliance: ComplianceScore;
  practiceFlags: { practice: string; code: string }[];
  indicators: IndicatorCard[];
}

export interface NodeCard extends StatusCounts {
  ref: string;
  parent: string | null;
  level: string;
  title: { en: string; es: string };
  programs: number;
}

export interface Scorecard {
  thresholds: Thresholds;
  programs: ProgramCard[];
  nodes: NodeCard[];
  coverage: ReturnType<typeof outcomeCoverage>;
  portfolio: ReturnType<typeof portfolioCompliance>;
}

/** Scores every indicator of the selected programs and rolls the statuses up by program and node. */
export async function buildScorecard(
  store: RecordsStore,
  options: ScorecardOptions = {},
): Promise<Scorecard> {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const db = store.db;
  const allNodes = await listNodes(store);
  let selectedNodes = allNodes;
  if (options.node !== undefined) {
    if (!allNodes.some((n) => n.ref === options.node))
      throw new NotFoundError('framework node', options.node);
    const below = new Set([options.node]);
    for (const n of allNodes) if (n.parent !== null && below.has(n.parent)) below.add(n.ref); // definition order: parents first
    selectedNodes = allNodes.filter((n) => below.has(n.ref));
  }
  const nodeSet = new Set(selectedNodes.map((n) => n.ref));

  let programQuery = db.selectFrom('programs').selectAll().orderBy('code');
  if (options.program !== undefined) programQuery = programQuery.where('code', '=', options.program);
  const viewer = options.viewer === undefined ? OPERATOR : options.viewer;
  const visible = <
    T extends { classification: 'public' | 'official_use' | 'restricted'; country: 'US' | 'MX' },
  >(
    rows: T[],
  ) => rows.filter((row) => canSee(viewer, row));
  let programs = visible(await programQuery.execute());
  if (options.program !== undefined && programs.length === 0)
    throw new NotFoundError('program', options.program);
  if (options.node !== undefined) programs = programs.filter((p) => p.serves.some((ref) => nodeSet.has(ref)));
  const ids = programs.map((p) => p.id);

  const none = [-1];
  const [indicators, targets, results, practices] = await Promise.all([
    db
      .selectFrom('indicators')
      .selectAll()
      .where('program_id', 'in', ids.length ? ids : none)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('targets')
      .innerJoin('indicators', 'indicators.id', 'targets.indicator_id')
      .select([
        'targets.indicator_id',
        'targets.period_code',
        'targets.place',
        'targets.value',
        'targets.classification',
        'targets.country',
      ])
      .where('indicators.program_id', 'in', ids.length ? ids : none)
      .execute(),
    db
      .selectFrom('results')
      .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
      .select([
        'results.indicator_id',
        'results.period_code',
        'results.place',
        'results.disaggregation',
        'results.value',
        'results.numerator',
        'results.denominator',
        'results.classification',
        'results.country',
      ])
      .where('indicators.program_id', 'in', ids.length ? ids : none)
      .execute(),
    db
      .selectFrom('practices')
      .selectAll()
      .where('program_id', 'in', ids.length ? ids : none)
      .execute(),
  ]).then(([i, t, r, p]) => [visible(i), visible(t), visible(r), visible(p)] as const);

  const group = <T, K>(rows: T[], key: (row: T) => K) => {
    const map = new Map<K, T[]>();
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
    return map;
  };
  const targetsOf = group(targets, (t) => t.indicator_id);
  const resultsOf = group(results, (r) => r.indicator_id);
  const indicatorsOf = group(indicators, (i) => i.program_id);
  const practicesOf = new Map<number, PracticeRecord[]>();
  for (const x of practices) {
    const record: PracticeRecord = { practice: x.practice as PracticeRecord['practice'], state: x.state };
    practicesOf.set(x.program_id, [...(practicesOf.get(x.program_id) ?? []), record]);
  }

  // Statistics-linked indicators: actuals for each target period (and a baseline given as a period only)
  // come from the statistics store.
  const linked = new Map<number, { results: ScoreResult[]; baseline: number | null; note: string | null }>();
  for (const i of indicators) {
    if (!i.series) continue;
    const periods = [...new Set((targetsOf.get(i.id) ?? []).map((t) => t.period_code))];
    linked.set(
      i.id,
      await linkedActuals(
        options.stats,
        i.series,
        periods,
        i.baseline_value === null ? i.baseline_period : null,
      ),
    );
  }

  const cards: ProgramCard[] = programs.map((p) => {
    const inds = indicatorsOf.get(p.id) ?? [];
    const scored: IndicatorCard[] = inds.map((i) => {
      const link = linked.get(i.id);
      const baselineValue = i.baseline_value ?? link?.baseline ?? null;
      const baseline = baselineValue === null ? null : { value: baselineValue, period: i.baseline_period };
      const score = scoreIndicator(
        {
          code: i.code,
          level: i.level,
          direction: i.direction,
          aggregation: i.aggregation,
          factor: i.factor,
          baseline,
          targets: (targetsOf.get(i.id) ?? []).map((t) => ({
            period: t.period_code,
            value: t.value,
            place: t.place,
          })),
          lopTarget: i.lop_target,
        },
        link
          ? link.results
          : (resultsOf.get(i.id) ?? []).map((r): ScoreResult => ({
              period: r.period_code,
              place: r.place,
              disaggregation: r.disaggregation,
              value: r.value,
              numerator: r.numerator,
              denominator: r.denominator,
            })),
        thresholds,
      );
      return {
        ...score,
        name: { en: i.name_en, es: i.name_es },
        unit: { en: i.unit_en, es: i.unit_es },
        baseline,
        ...(i.series ? { series: i.series, seriesNote: link?.note ?? null } : {}),
      };
    });
    const records = practicesOf.get(p.id) ?? [];
    return {
      code: p.code,
      title: { en: p.title_en, es: p.title_es },
      status: p.status,
      serves: p.serves,
      counts: countStatuses(scored.map((s) => s.status)),
      hasOutcomeIndicator: inds.some((i) => i.level === 'outcome' || i.level === 'impact'),
      compliance: complianceScore(records),
      practiceFlags: practiceConsistency(
        records,
        inds.map((i) => ({
          code: i.code,
          hasBaseline: i.baseline_value !== null,
          targetCount: targetsOf.get(i.id)?.length ?? 0,
        })),
      ),
      indicators: scored,
    };
  });

  const rolled = rollupNodes(
    selectedNodes.map((n) => ({
      id: n.ref,
      parent: n.parent !== null && nodeSet.has(n.parent) ? n.parent : null,
    })),
    cards.map((c) => ({
      code: c.code,
      nodes: c.serves.filter((ref) => nodeSet.has(ref)),
      indicators: c.indicators,
    })),
  );

  return {
    thresholds,
    programs: cards,
    nodes: selectedNodes.map((n) => ({
      ref: n.ref,
      parent: n.parent,
      level: n.level,
      title: n.title,
      ...(rolled.get(n.ref) ?? { green: 0, amber: 0, red: 0, no_data: 0, total: 0, programs: 0 }),
    })),
    coverage: outcomeCoverage(cards.map((c) => ({ code: c.code, levels: c.indicators.map((i) => i.level) }))),
    portfolio: portfolioCompliance(
      programs.map((p) => ({ code: p.code, practices: practicesOf.get(p.id) ?? [] })),
    ),
  };
}

/**
 * The actual of a statistics-linked indicator for each period, one result per period: a calendar year,
 * quarter or month is one point of the series, and so is a U.S. fiscal year (`by=fiscal_year`); any other
 * span (a half, a range) combines its months by the measure's rule. A rate over such a span is the
 * span's count over its mean monthly population, times `per`, as for a calendar year.
 */
async function linkedActuals(
  stats: StatsStore | undefined,
  link: SeriesLink,
  periods: string[],
  baselinePeriod: string | null,
): Promise<{ results: ScoreResult[]; baseline: number | null; note: string | null }> {
  if (!stats) return { results: [], baseline: null, note: 'no statistics store is open' };
  const valueFor = async (code: string): Promise<number | null> => {
    const p = parsePeriod(code);
    if (!p) return null;
    const by =
      p.kind === 'year' || p.kind === 'quarter' || p.kind === 'month'
        ? p.kind
        : p.kind === 'fiscal-year'
          ? 'fiscal_year'
          : 'month';
    const single = by !== 'month' || p.kind === 'month';
    const result = await querySeries(stats, {
      measure: link.measure,
      geo: [link.geo],
      by,
      from: p.start.slice(0, 7),
      to: p.end.slice(0, 7),
      ...(link.per ? { per: link.per } : {}),
      ...(link.filters ? { filters: link.filters } : {}),
      ...(link.source ? { source: link.source } : {}),
    });
    const points = result.series[0]?.points ?? [];
    if (single) return points.length === 1 ? (link.per ? points[0]!.rate : points[0]!.value) : null;
    const months =
      (Number(p.end.slice(0, 4)) - Number(p.start.slice(0, 4))) * 12 +
      Number(p.end.slice(5, 7)) -
      Number(p.start.slice(5, 7)) +
      1;
    if (points.length < months) return null;
    const rule = measureById(link.measure)?.overTime ?? 'sum';
    const total = points.reduce((sum, x) => sum + x.value, 0);
    const value = rule === 'last' ? points.at(-1)!.value : rule === 'mean' ? total / points.length : total;
    if (!link.per) return value;
    if (points.some((x) => x.population === null)) return null;
    const population = points.reduce((sum, x) => sum + x.population!, 0) / points.length;
    return population > 0 ? (value / population) * link.per : null;
  };
  const results: ScoreResult[] = [];
  let missing = 0;
  for (const period of periods) {
    const value = await valueFor(period).catch(() => null);
    if (value === null) missing++;
    else
      results.push({
        period,
        place: link.geo,
        disaggregation: {},
        value,
        numerator: null,
        denominator: null,
      });
  }
  const baseline = baselinePeriod ? await valueFor(baselinePeriod).catch(() => null) : null;
  return {
    results,
    baseline,
    note: missing
      ? `${missing} of ${periods.length} target periods have no data in the statistics store`
      : null,
  };
}
