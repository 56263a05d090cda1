/**
 * GAO key monitoring practices (GAO-20-388): the eight-item checklist each program is assessed against, a
 * compliance score per program and for the portfolio, and consistency checks between what a checklist
 * claims and what the indicator records show.
 * @module
 */

/** The eight key monitoring practices, in GAO's order. */
export const GAO_PRACTICES = [
  'staff_assigned',
  'plan_goals_objectives',
  'plan_risks',
  'indicators_baselines_targets',
  'performance_data_tracked',
  'partner_data_verified',
  'corrective_actions',
  'closeout_evaluation',
] as const;

/** One of {@link GAO_PRACTICES}. */
export type PracticeKey = (typeof GAO_PRACTICES)[number];

/** The assessment of one practice for one program. */
export type PracticeState = 'met' | 'partial' | 'not_met' | 'not_applicable' | 'not_assessed';

/** Every {@link PracticeState}, for validation and pick lists. */
export const PRACTICE_STATES: readonly PracticeState[] = [
  'met',
  'partial',
  'not_met',
  'not_applicable',
  'not_assessed',
];

/** A checklist entry. */
export interface PracticeRecord {
  practice: PracticeKey;
  state: PracticeState;
}

/** A program's compliance: `score` is points over applicable practices (met 1, partial ½). */
export interface ComplianceScore {
  score: number | null;
  met: number;
  partial: number;
  notMet: number;
  notAssessed: number;
  notApplicable: number;
  applicable: number;
}

const PRACTICE_SET: ReadonlySet<string> = new Set(GAO_PRACTICES);
const STATE_SET: ReadonlySet<string> = new Set(PRACTICE_STATES);

/** The state of every practice; unrecorded ones are `not_assessed`. Throws on duplicates or unknown keys. */
function practiceStates(records: PracticeRecord[]): Record<PracticeKey, PracticeState> {
  const states = Object.fromEntries(GAO_PRACTICES.map((p) => [p, 'not_assessed'])) as Record<
    PracticeKey,
    PracticeState
  >;
  const seen = new Set<string>();
  for (const r of records) {
    if (!PRACTICE_SET.has(r.practice)) throw new Error(`Unknown monitoring practice "${r.practice}"`);
    if (!STATE_SET.has(r.state)) throw new Error(`Unknown state "${r.state}" for practice "${r.practice}"`);
    if (seen.has(r.practice))
      throw new Error(`Monitoring practice "${r.practice}" is recorded more than once`);
    seen.add(r.practice);
    states[r.practice] = r.state;
  }
  return states;
}

/**
 * Scores a program's checklist over all eight practices. A practice without a record counts as
 * not assessed and earns nothing: in GAO's view undocumented monitoring is not monitoring. Only
 * not-applicable practices leave the denominator, so the score is null when none applies. A practice
 * recorded twice throws, because there is no way to tell which record is right.
 */
export function complianceScore(records: PracticeRecord[]): ComplianceScore {
  const states = practiceStates(records);
  const out: ComplianceScore = {
    score: null,
    met: 0,
    partial: 0,
    notMet: 0,
    notAssessed: 0,
    notApplicable: 0,
    applicable: 0,
  };
  for (const p of GAO_PRACTICES) {
    const s = states[p];
    if (s === 'met') out.met += 1;
    else if (s === 'partial') out.partial += 1;
    else if (s === 'not_met') out.notMet += 1;
    else if (s === 'not_assessed') out.notAssessed += 1;
    else out.notApplicable += 1;
  }
  out.applicable = GAO_PRACTICES.length - out.notApplicable;
  out.score = out.applicable === 0 ? null : (out.met + out.partial * 0.5) / out.applicable;
  return out;
}

/**
 * Portfolio compliance: the mean of program scores (each program weighs the same, whatever its size;
 * programs with no applicable practice are left out), and per practice the share of programs meeting it
 * among those where it applies, to show which practice is weakest across the portfolio.
 */
export function portfolioCompliance(programs: { code: string; practices: PracticeRecord[] }[]): {
  score: number | null;
  programs: number;
  byPractice: Record<PracticeKey, { met: number; applicable: number; share: number | null }>;
} {
  const byPractice = Object.fromEntries(
    GAO_PRACTICES.map((p) => [p, { met: 0, applicable: 0, share: null as number | null }]),
  ) as Record<PracticeKey, { met: number; applicable: number; share: number | null }>;
  let sum = 0;
  let scored = 0;
  for (const program of programs) {
    const score = complianceScore(program.practices).score;
    if (score !== null) {
      sum += score;
      scored += 1;
    }
    const states = practiceStates(program.practices);
    for (const p of GAO_PRACTICES) {
      if (states[p] === 'not_applicable') continue;
      byPractice[p].applicable += 1;
      if (states[p] === 'met') byPractice[p].met += 1;
    }
  }
  for (const p of GAO_PRACTICES) {
    const b = byPractice[p];
    b.share = b.applicable === 0 ? null : b.met / b.applicable;
  }
  return { score: scored === 0 ? null : sum / scored, programs: programs.length, byPractice };
}

/**
 * Flags checklist claims the records contradict, so an assessor can't mark "indicators with baselines and
 * targets" as met while an indicator lacks a baseline or has no target (one flag per such indicator), or
 * while the program has no indicators at all (one flag with an empty code). Only `met` is checked:
 * `partial` already admits gaps.
 */
export function practiceConsistency(
  practices: PracticeRecord[],
  indicators: { code: string; hasBaseline: boolean; targetCount: number }[],
): { practice: PracticeKey; code: string }[] {
  const states = practiceStates(practices);
  const flags: { practice: PracticeKey; code: string }[] = [];
  const practice: PracticeKey = 'indicators_baselines_targets';
  if (states[practice] === 'met') {
    if (indicators.length === 0) flags.push({ practice, code: '' });
    for (const i of indicators) {
      if (!i.hasBaseline || !(i.targetCount > 0)) flags.push({ practice, code: i.code });
    }
  }
  return flags;
}
