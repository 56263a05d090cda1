/**
 * What a funding page shows, for the country, a program or a framework node: approved lines only,
 * whoever reads (a published figure is an approved one, as for results), in current dollars or in
 * constant dollars of a base year through the deflator in force. It adds up:
 *
 * - dollars by fiscal year, account and stage (the stacked bars), and by stage (the flow from
 *   appropriation to obligation to disbursement);
 * - the pipeline and burn rate by fiscal year and account;
 * - the security–development share by fiscal year, with the split it used;
 * - obligations by top-level framework node (Mérida pillars, Bicentennial goals) over time;
 * - the share of obligated dollars in programs with a measured outcome;
 * - each program's dollars beside its indicators' % of target met, and the cost per unit of each
 *   output indicator.
 *
 * It is made of two halves read from different records: the money (`funding-money.ts`: funding records,
 * programs, framework) and the results beside it (approved outcome results, and the scorecards of the
 * programs shown). `completeAnalysis` joins them, so that `analysis-cache.ts` can keep each half under
 * the version of the records it reads. The arithmetic is `domain/funding/analysis.ts`.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import { canSeeResult } from '../access/rules.js';
import { costPerUnit, outcomeCoverageOfDollars } from '../domain/funding/analysis.js';
import type { Dollars } from '../domain/funding/deflator.js';
import type { FundingStage } from '../domain/funding/stages.js';
import { buildScorecard } from '../indicators/scorecard.js';
import type { RecordsStore } from '../records/database.js';
import { publishedOutcomeResults } from '../records/funding-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import { fundingMoney, stagesOf, type FundingMoney } from './funding-money.js';
import type { FundingScope } from './funding-scope.js';

export type { FundingScope } from './funding-scope.js';

/** One program's indicators as its scorecard scores them over the life of the program. */
export interface ProgramCard {
  code: string;
  title: { en: string; es: string };
  indicators: {
    code: string;
    name: { en: string; es: string };
    unit: { en: string; es: string };
    level: string;
    actual: number | null;
    percentMet: number | null;
    status: string;
  }[];
}

/** One program's money beside its indicators. */
export interface ProgramFunding {
  code: string;
  title: { en: string; es: string };
  stages: Record<FundingStage, number>;
  indicators: (ProgramCard['indicators'][number] & {
    /** Disbursed dollars per unit delivered, for an output indicator with units delivered. */
    costPerUnit: number | null;
  })[];
}

export type FundingAnalysis = Omit<FundingMoney, 'lines' | 'ranked' | 'visible'> & {
  coverage: { obligated: number; covered: number; share: number | null };
  /** Programs with money in scope; `programs` holds the first ones by obligations (all, unless limited). */
  programCount: number;
  programs: ProgramFunding[];
};

/** An approved outcome or impact result's program and ownership: what makes a program measured. */
export type OutcomeRow = Awaited<ReturnType<typeof publishedOutcomeResults>>[number];

/** The results half, read (or kept) by the caller. */
export interface ResultsBeside {
  outcomes: () => Promise<readonly OutcomeRow[]>;
  cards: (codes: readonly string[]) => Promise<readonly ProgramCard[]>;
}

/** The programs a page shows: the scoped program, or the first `programLimit` by obligations. */
export function chosenPrograms(money: FundingMoney, programLimit?: number): string[] {
  return money.scope.kind === 'program'
    ? [money.scope.code]
    : money.ranked.slice(0, programLimit ?? money.ranked.length).map((r) => r.code);
}

/** The money joined with the results beside it. */
export async function completeAnalysis(
  money: FundingMoney,
  viewer: Viewer,
  beside: ResultsBeside,
  options: { programLimit?: number } = {},
): Promise<FundingAnalysis> {
  const { lines, ranked, visible, ...sums } = money;
  const chosen = chosenPrograms(money, options.programLimit);
  const [cardList, outcomes] = await Promise.all([beside.cards(chosen), beside.outcomes()]);
  const cards = new Map(cardList.filter((c) => visible.includes(c.code)).map((c) => [c.code, c]));
  // Measured: an outcome or impact indicator with an approved result the viewer may read.
  const measured = new Set(outcomes.filter((r) => canSeeResult(viewer, r)).map((r) => r.program));
  const own = new Map(ranked.map((r) => [r.code, r.lines]));
  return {
    ...sums,
    coverage: outcomeCoverageOfDollars(lines, [], measured),
    programCount: money.scope.kind === 'program' ? 1 : ranked.length,
    programs: chosen
      .filter((code) => cards.has(code))
      .map((code) => {
        const card = cards.get(code)!;
        const list = own.get(code) ?? [];
        return {
          code,
          title: card.title,
          stages: stagesOf(list),
          indicators: card.indicators.map((i) => ({
            ...i,
            costPerUnit:
              i.level === 'output' && i.actual !== null && i.actual > 0
                ? costPerUnit(list, [], code, i.actual)
                : null,
          })),
        };
      }),
  };
}

/** The programs `codes`, with their indicators' life-of-program scores, as the viewer's scorecard gives them. */
export async function programCards(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  codes: readonly string[],
): Promise<ProgramCard[]> {
  if (codes.length === 0) return [];
  const card = await buildScorecard(store, { viewer, stats, programs: [...codes] });
  return card.programs.map((p) => ({
    code: p.code,
    title: p.title,
    indicators: p.indicators.map((i) => ({
      code: i.code,
      name: i.name,
      unit: i.unit,
      level: i.level,
      actual: i.lop.actual,
      percentMet: i.lop.percentMet,
      status: i.lop.status,
    })),
  }));
}

/** The analysis of `scope` as `viewer` may read it, in `dollars` (current by default), nothing kept. */
export async function analyseFunding(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  scope: FundingScope,
  dollars: Dollars = { kind: 'current' },
  options: { programLimit?: number } = {},
): Promise<FundingAnalysis> {
  const money = await fundingMoney(store, stats, viewer, scope, dollars);
  return completeAnalysis(
    money,
    viewer,
    {
      outcomes: () => publishedOutcomeResults(store.db),
      cards: (codes) => programCards(store, stats, viewer, codes),
    },
    options,
  );
}
