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
 * The arithmetic is `domain/funding/analysis.ts`; this module chooses the lines and converts them.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import { canSee, canSeeResult } from '../access/rules.js';
import type { Account } from '../domain/funding/accounts.js';
import {
  costPerUnit,
  outcomeCoverageOfDollars,
  pipeline,
  sectorShare,
  type PipelineRow,
  type ShareRow,
} from '../domain/funding/analysis.js';
import { dollarConverter, type Dollars } from '../domain/funding/deflator.js';
import { inDollars } from '../domain/funding/funding-check.js';
import type { FundingLineInput } from '../domain/funding/funding-schema.js';
import { FUNDING_STAGES, type FundingStage } from '../domain/funding/stages.js';
import { NotFoundError } from '../error.js';
import { buildScorecard } from '../indicators/scorecard.js';
import type { RecordsStore } from '../records/database.js';
import { listNodes } from '../records/framework-repository.js';
import {
  accountsIn,
  approvedLineFacts,
  exchangeRatesIn,
  listFundingLines,
  publishedOutcomeResults,
  type LineFacts,
  type StoredFundingLine,
} from '../records/funding-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import { deflatorInForce, type DeflatorOrigin } from './deflator-service.js';
import { inScope, nodeTree, topShares, type FundingScope } from './funding-scope.js';

export type { FundingScope } from './funding-scope.js';

/** One program's money beside its indicators. */
export interface ProgramFunding {
  code: string;
  title: { en: string; es: string };
  stages: Record<FundingStage, number>;
  indicators: {
    code: string;
    name: { en: string; es: string };
    unit: { en: string; es: string };
    level: string;
    actual: number | null;
    percentMet: number | null;
    status: string;
    /** Disbursed dollars per unit delivered, for an output indicator with units delivered. */
    costPerUnit: number | null;
  }[];
}

export interface FundingAnalysis {
  scope: FundingScope;
  dollars: Dollars;
  deflator: { origin: DeflatorOrigin; base: string | null; sources: string[] };
  /** Approved lines counted, and those left out: no dollar rate, or no index for constant dollars. */
  counted: number;
  leftOut: { fiscal_year: string; reason: 'noIndex' | 'noRate' }[];
  fiscalYears: string[];
  totals: { fiscal_year: string; account: string; stage: FundingStage; amount: number }[];
  /**
   * Each fiscal year's money by stage, and its budget: appropriated, or allocated for an account
   * without an appropriation (null when neither is recorded).
   */
  flow: { fiscal_year: string; stages: Record<FundingStage, number>; budget: number | null }[];
  pipeline: PipelineRow[];
  share: { stage: FundingStage; security: string[]; development: string[]; rows: ShareRow[] };
  byTopNode: { fiscal_year: string; node: string; title: { en: string; es: string }; obligated: number }[];
  coverage: { obligated: number; covered: number; share: number | null };
  /** Programs with money in scope; `programs` holds the first ones by obligations (all, unless limited). */
  programCount: number;
  programs: ProgramFunding[];
}

const zero = (): Record<FundingStage, number> =>
  Object.fromEntries(FUNDING_STAGES.map((s) => [s, 0])) as Record<FundingStage, number>;

/** The stage the share is read at: obligations where there are any, else appropriations. */
function shareStage(lines: readonly FundingLineInput[]): FundingStage {
  for (const stage of ['obligation', 'appropriation', 'allocation', 'request'] as const)
    if (lines.some((l) => l.stage === stage)) return stage;
  return 'obligation';
}

/**
 * The approved lines of `scope` that `viewer` may read (a line of a program the viewer may not see is
 * left out), as `read` gives them (whole for a download, their facts for the analysis), with what the
 * analysis needs of the programs and the framework. An unknown program or node is not found.
 */
export async function scopedFundingLines<L extends LineFacts | StoredFundingLine = StoredFundingLine>(
  store: RecordsStore,
  viewer: Viewer,
  scope: FundingScope,
  read: (db: RecordsStore['db']) => Promise<L[]> = (db) =>
    listFundingLines(db, { statuses: ['approved'] }) as Promise<L[]>,
) {
  const [stored, nodes, programs] = await Promise.all([
    read(store.db),
    listNodes(store),
    store.db
      .selectFrom('programs')
      .select(['code', 'serves', 'country', 'agency', 'classification'])
      .orderBy('code')
      .execute(),
  ]);
  const visiblePrograms = programs.filter((p) => canSee(viewer, p));
  if (scope.kind === 'program' && !visiblePrograms.some((p) => p.code === scope.code))
    throw new NotFoundError('program', scope.code);
  if (scope.kind === 'node' && !nodes.some((n) => n.ref === scope.ref))
    throw new NotFoundError('framework node', scope.ref);
  const serves = new Map(visiblePrograms.map((p) => [p.code, p.serves as string[]]));
  const tree = nodeTree(nodes);
  const counts = inScope(scope, serves, tree);
  const lines = stored.filter(
    (l) => canSeeResult(viewer, l) && (l.program === null || serves.has(l.program)) && counts(l),
  );
  return { lines, serves, tree, programs: visiblePrograms.map((p) => p.code) };
}

/** The analysis of `scope` as `viewer` may read it, in `dollars` (current by default). */
export async function analyseFunding(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  scope: FundingScope,
  dollars: Dollars = { kind: 'current' },
  options: { programLimit?: number } = {},
): Promise<FundingAnalysis> {
  const [{ lines: stored, serves, tree, programs }, rates, accounts, deflator, outcomes] = await Promise.all([
    scopedFundingLines(store, viewer, scope, approvedLineFacts),
    exchangeRatesIn(store.db),
    accountsIn(store.db),
    deflatorInForce(store, stats),
    publishedOutcomeResults(store.db),
  ]);
  const convert = dollarConverter(deflator.rows, dollars);
  const leftOut: FundingAnalysis['leftOut'] = [];
  // Each line in US dollars of the chosen kind, as a USD line the pure arithmetic reads.
  const lines: (FundingLineInput & { program: string | undefined })[] = [];
  const targets: { program: string | null; node: string | null }[] = [];
  for (const l of stored) {
    const usd = inDollars({ ...l, program: undefined, node: undefined, note: undefined, source: '' }, rates);
    const amount = usd === undefined ? undefined : convert(l.fiscal_year, usd);
    if (amount === undefined) {
      leftOut.push({ fiscal_year: l.fiscal_year, reason: usd === undefined ? 'noRate' : 'noIndex' });
      continue;
    }
    lines.push({
      fiscal_year: l.fiscal_year,
      account: l.account,
      stage: l.stage,
      program: l.program ?? undefined,
      ...(l.node !== null ? { node: l.node } : {}),
      amount,
      currency: 'USD',
      source: '',
    });
    targets.push({ program: l.program, node: l.node });
  }
  const fiscalYears = [...new Set(lines.map((l) => l.fiscal_year))].sort();
  const totals = new Map<string, number>();
  const flow = new Map<string, Record<FundingStage, number>>();
  for (const l of lines) {
    const key = `${l.fiscal_year}|${l.account}|${l.stage}`;
    totals.set(key, (totals.get(key) ?? 0) + l.amount);
    const f = flow.get(l.fiscal_year) ?? zero();
    f[l.stage] += l.amount;
    flow.set(l.fiscal_year, f);
  }
  const piped = pipeline(lines, []);
  const stage = shareStage(lines);
  const side = (s: Account['sector']) =>
    [...accounts.values()].filter((a) => a.sector === s).map((a) => a.code);
  const byTop = new Map<string, number>();
  lines.forEach((l, i) => {
    if (l.stage !== 'obligation') return;
    for (const { ref, share } of topShares(targets[i]!, serves, tree)) {
      const key = `${l.fiscal_year}|${ref}`;
      byTop.set(key, (byTop.get(key) ?? 0) + l.amount * share);
    }
  });
  // Each program's lines and dollars by stage, ranked by obligations; the scorecard is read for the
  // ones shown only (a page shows the first `programLimit`; the API, all).
  const own = new Map<string, typeof lines>();
  for (const l of lines) {
    if (l.program === undefined) continue;
    const list = own.get(l.program);
    if (list) list.push(l);
    else own.set(l.program, [l]);
  }
  const staged = (list: typeof lines = []) => {
    const stages = zero();
    for (const l of list) stages[l.stage] += l.amount;
    return stages;
  };
  const ranked = [...own]
    .map(([code, list]) => ({ code, stages: staged(list) }))
    .sort(
      (a, b) =>
        b.stages.obligation - a.stages.obligation ||
        b.stages.disbursement - a.stages.disbursement ||
        a.code.localeCompare(b.code),
    );
  const chosen =
    scope.kind === 'program'
      ? [scope.code]
      : ranked.slice(0, options.programLimit ?? ranked.length).map((r) => r.code);
  const cards = new Map((await programCards(store, stats, viewer, chosen, programs)).map((c) => [c.code, c]));
  // Measured: an outcome or impact indicator with an approved result the viewer may read.
  const measured = new Set(outcomes.filter((r) => canSeeResult(viewer, r)).map((r) => r.program));
  return {
    scope,
    dollars,
    deflator: { origin: deflator.origin, base: deflator.base, sources: deflator.sources },
    counted: lines.length,
    leftOut,
    fiscalYears,
    totals: [...totals]
      .map(([key, amount]) => {
        const [fiscal_year, account, stage] = key.split('|') as [string, string, FundingStage];
        return { fiscal_year, account, stage, amount };
      })
      .sort(
        (a, b) =>
          a.fiscal_year.localeCompare(b.fiscal_year) ||
          a.account.localeCompare(b.account) ||
          FUNDING_STAGES.indexOf(a.stage) - FUNDING_STAGES.indexOf(b.stage),
      ),
    flow: fiscalYears.map((fiscal_year) => {
      const ceilings = piped
        .filter((p) => p.fiscal_year === fiscal_year)
        .map((p) => p.stages.appropriation || p.stages.allocation);
      return {
        fiscal_year,
        stages: flow.get(fiscal_year)!,
        budget: ceilings.some((c) => c > 0) ? ceilings.reduce((a, b) => a + b, 0) : null,
      };
    }),
    pipeline: piped,
    share: {
      stage,
      security: side('security'),
      development: side('development'),
      rows: sectorShare(lines, [], accounts, stage),
    },
    byTopNode: [...byTop]
      .map(([key, obligated]) => {
        const [fiscal_year, node] = key.split('|') as [string, string];
        return { fiscal_year, node, title: tree.byRef.get(node)!.title, obligated };
      })
      .sort((a, b) => a.fiscal_year.localeCompare(b.fiscal_year) || a.node.localeCompare(b.node)),
    coverage: outcomeCoverageOfDollars(lines, [], measured),
    programCount: scope.kind === 'program' ? 1 : ranked.length,
    programs: chosen
      .filter((code) => cards.has(code))
      .map((code) => {
        const card = cards.get(code)!;
        const list = own.get(code) ?? [];
        return {
          code,
          title: card.title,
          stages: staged(list),
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

/** The programs in scope, with their indicators' life-of-program scores, as the viewer's scorecard gives them. */
async function programCards(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  codes: readonly string[],
  visible: readonly string[],
) {
  if (codes.length === 0) return [];
  const card = await buildScorecard(store, { viewer, stats, programs: codes });
  return card.programs
    .filter((p) => visible.includes(p.code))
    .map((p) => ({
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
