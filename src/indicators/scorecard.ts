/**
 * The scorecard: every indicator of the selected programs scored against its targets (actuals from
 * results, or from the statistics store for a linked indicator), rolled up by program and framework
 * node, with outcome coverage and GAO monitoring-practice compliance. Records come from the records
 * store, filtered by what the viewer may see; the arithmetic is the pure `domain/scorecard.ts`.
 * @module
 */
import { countStatuses, outcomeCoverage, rollupNodes } from '../domain/rollup.js';
import {
  DEFAULT_THRESHOLDS,
  type IndicatorScore,
  type ScoreResult,
  type StatusCounts,
  type Thresholds,
} from '../domain/score-types.js';
import {
  complianceScore,
  portfolioCompliance,
  practiceConsistency,
  type ComplianceScore,
  type PracticeRecord,
} from '../domain/practices.js';
import { scoreIndicator } from '../domain/scorecard.js';
import type { SeriesLink } from '../domain/workspace-schema.js';
import type { RecordsStore } from '../records/database.js';
import { readScorecardRecords, type ScorecardSelection } from '../records/scorecard-records.js';
import { placeSelector } from '../domain/place-tree.js';
import type { StatsStore } from '../stats/stats-store.js';
import { linkedActuals, type LinkedActuals, type LinkedGap } from './linked-actuals.js';

export interface ScorecardOptions extends ScorecardSelection {
  thresholds?: Thresholds | undefined;
  /** The statistics store, for statistics-linked indicators. */
  stats?: StatsStore | undefined;
}

export interface IndicatorCard extends IndicatorScore {
  name: { en: string; es: string };
  unit: { en: string; es: string };
  baseline: { value: number; period: string | null } | null;
  /** For a statistics-linked indicator: its series query, and the periods without an actual and why. */
  series?: SeriesLink;
  seriesGaps?: LinkedGap[];
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
  const {
    nodes: selectedNodes,
    nodeSet,
    programs,
    indicators,
    targets,
    results,
    practices,
  } = await readScorecardRecords(store, options);

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
  const linked = new Map<number, LinkedActuals>();
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

  const selected = placeSelector(options.places ?? {});
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
          ? link.results.filter((r) => selected(r.place))
          : (resultsOf.get(i.id) ?? []).map((r): ScoreResult => ({
              period: r.period_code,
              place: r.place,
              disaggregation: r.disaggregation,
              value: r.value,
              numerator: r.numerator,
              denominator: r.denominator,
              unapproved: r.status === 'draft' || r.status === 'submitted',
            })),
        thresholds,
      );
      return {
        ...score,
        name: { en: i.name_en, es: i.name_es },
        unit: { en: i.unit_en, es: i.unit_es },
        baseline,
        ...(i.series ? { series: i.series, seriesGaps: link?.gaps ?? [] } : {}),
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
