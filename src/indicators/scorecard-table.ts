/**
 * The long table of a scorecard: one row per indicator and target (period, and place where the target
 * has one), with the baseline, target, actual, share met, status and why, and whether it counts
 * unapproved results. Downloaded from `GET /api/v1/scorecards` as CSV.
 * @module
 */
import type { Scorecard } from './scorecard.js';

export const SCORECARD_COLUMNS = [
  'program',
  'indicator',
  'level',
  'direction',
  'period',
  'place',
  'baseline',
  'target',
  'actual',
  'percent_met',
  'status',
  'reason',
  'provisional',
  'results',
] as const;

export function scorecardTable(card: Scorecard) {
  return {
    columns: SCORECARD_COLUMNS,
    rows: card.programs.flatMap((p) =>
      p.indicators.flatMap((i) =>
        i.periods.map((s) => [
          p.code,
          i.code,
          i.level,
          i.direction,
          s.period,
          s.place,
          s.baseline,
          s.target,
          s.actual,
          s.percentMet,
          s.status,
          s.reason,
          s.provisional,
          s.results,
        ]),
      ),
    ),
  };
}
