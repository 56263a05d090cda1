/**
 * The money half of a funding analysis: the approved lines in scope that the reader may see, converted
 * to current or constant dollars, and added up by fiscal year, account, stage, framework node and
 * program. It reads the funding records, the programs and the framework only (never results or
 * scorecards), so it is kept apart from them (`analysis-cache.ts`): a line saved recomputes this half
 * alone.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import { canSee, canSeeResult } from '../access/rules.js';
import type { Account } from '../domain/funding/accounts.js';
import { pipeline, sectorShare, type PipelineRow, type ShareRow } from '../domain/funding/analysis.js';
import { dollarConverter, type Dollars } from '../domain/funding/deflator.js';
import { inDollars } from '../domain/funding/funding-check.js';
import type { FundingLineInput } from '../domain/funding/funding-schema.js';
import { FUNDING_STAGES, type FundingStage } from '../domain/funding/stages.js';
import { NotFoundError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { listNodes } from '../records/framework-repository.js';
import {
  accountsIn,
  approvedLineFacts,
  exchangeRatesIn,
  listFundingLines,
  type LineFacts,
  type StoredFundingLine,
} from '../records/funding-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import { deflatorInForce, type DeflatorOrigin } from './deflator-service.js';
import { inScope, nodeTree, topShares, type FundingScope } from './funding-scope.js';

/** A line in US dollars of the chosen kind, as the pure arithmetic reads it. */
export type DollarLine = FundingLineInput & { program: string | undefined };

export interface FundingMoney {
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
  /** Every line counted, in dollars. */
  lines: DollarLine[];
  /** The programs with money in scope, ranked by obligations, then disbursements, then code. */
  ranked: { code: string; stages: Record<FundingStage, number>; lines: DollarLine[] }[];
  /** The programs the reader may see. */
  visible: string[];
}

export const zeroStages = (): Record<FundingStage, number> =>
  Object.fromEntries(FUNDING_STAGES.map((s) => [s, 0])) as Record<FundingStage, number>;

/** Each stage's dollars in `lines`. */
export function stagesOf(lines: readonly DollarLine[]): Record<FundingStage, number> {
  const stages = zeroStages();
  for (const l of lines) stages[l.stage] += l.amount;
  return stages;
}

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

/** The money of `scope` as `viewer` may read it, in `dollars`. */
export async function fundingMoney(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  scope: FundingScope,
  dollars: Dollars,
): Promise<FundingMoney> {
  const [{ lines: stored, serves, tree, programs }, rates, accounts, deflator] = await Promise.all([
    scopedFundingLines(store, viewer, scope, approvedLineFacts),
    exchangeRatesIn(store.db),
    accountsIn(store.db),
    deflatorInForce(store, stats),
  ]);
  const convert = dollarConverter(deflator.rows, dollars);
  const leftOut: FundingMoney['leftOut'] = [];
  const lines: DollarLine[] = [];
  // Each target's top nodes and shares, found once per program or node (not once per line).
  const tops = new Map<string, { ref: string; share: number }[]>();
  const topsOf = (target: { program: string | null; node: string | null }) => {
    const key = target.node !== null ? `n${target.node}` : `p${target.program ?? ''}`;
    let found = tops.get(key);
    if (!found) tops.set(key, (found = topShares(target, serves, tree)));
    return found;
  };
  const targets: { ref: string; share: number }[][] = [];
  for (const l of stored) {
    const usd = inDollars(l, rates);
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
    targets.push(l.stage === 'obligation' ? topsOf(l) : []);
  }
  const fiscalYears = [...new Set(lines.map((l) => l.fiscal_year))].sort();
  const totals = new Map<string, number>();
  const flow = new Map<string, Record<FundingStage, number>>();
  const own = new Map<string, DollarLine[]>();
  const byTop = new Map<string, number>();
  lines.forEach((l, i) => {
    const key = `${l.fiscal_year}|${l.account}|${l.stage}`;
    totals.set(key, (totals.get(key) ?? 0) + l.amount);
    const f = flow.get(l.fiscal_year) ?? zeroStages();
    f[l.stage] += l.amount;
    flow.set(l.fiscal_year, f);
    if (l.program !== undefined) {
      const list = own.get(l.program);
      if (list) list.push(l);
      else own.set(l.program, [l]);
    }
    for (const { ref, share } of targets[i]!) {
      const top = `${l.fiscal_year}|${ref}`;
      byTop.set(top, (byTop.get(top) ?? 0) + l.amount * share);
    }
  });
  const piped = pipeline(lines, []);
  const stage = shareStage(lines);
  const side = (s: Account['sector']) =>
    [...accounts.values()].filter((a) => a.sector === s).map((a) => a.code);
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
    lines,
    ranked: [...own]
      .map(([code, list]) => ({ code, stages: stagesOf(list), lines: list }))
      .sort(
        (a, b) =>
          b.stages.obligation - a.stages.obligation ||
          b.stages.disbursement - a.stages.disbursement ||
          a.code.localeCompare(b.code),
      ),
    visible: programs,
  };
}
