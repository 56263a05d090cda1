/**
 * Funding lines: anyone reads the approved ones (officials also their own country's drafts and, as
 * approvers, the counterpart's submitted lines); a reporter saves lines of their own country and agency,
 * all or none, with obligations above appropriations flagged; the owners submit a line and an approver
 * of the counterpart country approves or returns it. `docs/funding.md` defines the records.
 * @module
 */
import { z } from 'zod';
import { NodeRef } from '../../domain/common-schema.js';
import { FiscalYear, FundingLine, FundingStage } from '../../domain/funding/funding-schema.js';
import { reviewFundingLine, saveFundingLines, visibleFundingLines } from '../../funding/funding-service.js';
import { countryActuals } from '../../funding/country-actuals.js';
import { chosenDollars, deflatorInForce } from '../../funding/deflator-service.js';
import type { FundingScope } from '../../funding/funding-analysis.js';
import { keptAnalysis } from '../../funding/analysis-cache.js';
import { accountsIn } from '../../records/funding-repository.js';
import { Code } from '../../domain/common-schema.js';
import { Lang, ResultId, listOf } from '../api-schemas.js';
import { requireStats, route } from '../route.js';
import * as R from '../responses/funding.js';

const FundingQuery = z
  .object({
    program: listOf(Code),
    node: listOf(NodeRef),
    fiscal_year: listOf(FiscalYear),
    account: listOf(Code),
    stage: listOf(FundingStage),
    lang: Lang,
  })
  .strict();

const FundingBody = z.object({ lines: z.array(FundingLine).min(1).max(5000) }).strict();
const ReviewBody = z
  .object({ comment: z.string().max(2000).optional(), version: z.number().int().min(1).optional() })
  .strict();

export const fundingLines = route({
  method: 'get',
  path: '/funding',
  operationId: 'listFundingLines',
  response: R.FundingLineList,
  tag: 'funding',
  permission: 'read',
  summary:
    'Funding lines (fiscal year × account × stage × program or framework node × country), narrowed by `program`, `node`, `fiscal_year`, `account` and `stage` (each one or a comma-separated list); anonymous readers see approved lines only',
  query: FundingQuery,
  handle: ({ store, viewer, query }) =>
    visibleFundingLines(store, viewer, {
      ...(query.program ? { programs: query.program } : {}),
      ...(query.node ? { nodes: query.node } : {}),
      ...(query.fiscal_year ? { fiscalYears: query.fiscal_year } : {}),
      ...(query.account ? { accounts: query.account } : {}),
      ...(query.stage ? { stages: query.stage } : {}),
    }),
});

export const saveFunding = route({
  method: 'post',
  path: '/funding',
  operationId: 'saveFundingLines',
  response: R.FundingSaved,
  tag: 'funding',
  permission: 'write:records',
  summary:
    'Create or change funding lines of your country and agency, all or none (422 lists every problem). A line is keyed by fiscal year, account, stage, target and country; a changed amount goes back to draft. Obligations above the appropriation are returned as `flags`, not refused',
  body: FundingBody,
  async handle({ store, viewer, body, write }) {
    const official = viewer!;
    const { saved, flags } = await saveFundingLines(
      store,
      official,
      body.lines,
      { country: official.country, agency: official.agency, classification: 'public' },
      write,
    );
    return { saved, flags: flags.map((f) => ({ path: f.path, message: f.message })) };
  },
});

const review = (action: 'submit' | 'approve' | 'return', operationId: string, summary: string) =>
  route({
    method: 'post',
    path: `/funding/{id}/${action}`,
    operationId,
    response: R.FundingLineRecord,
    params: { id: ResultId },
    tag: 'funding',
    permission: 'write:results',
    summary,
    body: ReviewBody,
    optionalBody: true,
    handle: ({ store, viewer, params, body, write }) => {
      const b = (body ?? {}) as z.output<typeof ReviewBody>;
      return reviewFundingLine(store, viewer, Number(params.id), action, write, {
        ...(b.comment !== undefined ? { comment: b.comment } : {}),
        ...(b.version !== undefined ? { version: b.version } : {}),
      });
    },
  });

export const submitFunding = review(
  'submit',
  'submitFundingLine',
  'Submit a draft funding line for approval (its own country and agency); send the `version` you read to refuse a line changed since (409)',
);
export const approveFunding = review(
  'approve',
  'approveFundingLine',
  'Approve a submitted funding line (an approver of the counterpart country), with an optional comment; only approved lines are public',
);
export const returnFunding = review(
  'return',
  'returnFundingLine',
  'Return a submitted or approved funding line to its reporters (an approver of the counterpart country), saying why in `comment`',
);

export const fundingAccounts = route({
  method: 'get',
  path: '/funding/accounts',
  operationId: 'listFundingAccounts',
  response: R.FundingAccountList,
  tag: 'funding',
  permission: 'read',
  summary:
    'The accounts funding lines name: the built-in State, USAID and DoD accounts and those a deployment added, each with its side of the security–development split',
  query: z.object({ lang: Lang }).strict(),
  handle: async ({ store }) =>
    [...(await accountsIn(store.db)).values()].map(({ code, name, sector, manager, authority }) => ({
      code,
      name,
      sector,
      manager,
      authority,
    })),
});

export const fundingActuals = route({
  method: 'get',
  path: '/funding/actuals',
  operationId: 'getCountryActuals',
  response: R.CountryActuals,
  tag: 'funding',
  permission: 'read',
  usesStats: true,
  summary:
    'All U.S. assistance to Mexico by fiscal year, obligated and disbursed, in current and constant dollars, from USAID’s Foreign Aid Explorer in the statistics store (`available: false` until it is imported), with the deflator its constant dollars imply',
  query: z.object({ from: FiscalYear.optional(), to: FiscalYear.optional(), lang: Lang }).strict(),
  handle: ({ stats, query }) =>
    countryActuals(requireStats(stats), {
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
    }),
});

export const fundingDeflator = route({
  method: 'get',
  path: '/funding/deflator',
  operationId: 'getDeflator',
  response: R.Deflator,
  tag: 'funding',
  permission: 'read',
  usesStats: true,
  summary:
    'The deflator in force for constant dollars: the table imported with `marco funding deflator import`, else the index implied by USAID’s Foreign Aid Explorer, else none; with its base year and sources',
  query: z.object({ lang: Lang }).strict(),
  handle: ({ store, stats }) => deflatorInForce(store, stats),
});

const SummaryQuery = z
  .object({
    program: Code.optional(),
    node: NodeRef.optional(),
    dollars: z.enum(['current', 'constant']).optional(),
    base: FiscalYear.optional(),
    lang: Lang,
  })
  .strict()
  .refine((q) => q.program === undefined || q.node === undefined, {
    message: 'validation.schema.oneScope',
    path: ['node'],
  });

export const fundingSummary = route({
  method: 'get',
  path: '/funding/summary',
  operationId: 'getFundingSummary',
  response: R.FundingAnalysis,
  statuses: [404],
  tag: 'funding',
  permission: 'read',
  usesStats: true,
  summary:
    'What the approved funding lines add up to for the country, a `program` or a framework `node`: dollars by fiscal year, account and stage, the flow, the pipeline and burn rate, the security–development share, obligations by top-level node, the outcome coverage of dollars, and each program’s dollars beside its indicators’ % of target met and cost per unit. `dollars=constant` uses the deflator in force, in dollars of `base` (its base year by default)',
  query: SummaryQuery,
  async handle({ store, stats, viewer, query }) {
    const dollars = chosenDollars(
      await deflatorInForce(store, stats),
      { constant: query.dollars === 'constant', base: query.base },
      'base',
    );
    const scope: FundingScope = query.program
      ? { kind: 'program', code: query.program }
      : query.node
        ? { kind: 'node', ref: query.node }
        : { kind: 'country' };
    return keptAnalysis(store, stats, viewer, scope, dollars);
  },
});
