/**
 * Funding lines as the API, the CLI and the pages change and read them, with the rules of results:
 *
 * - a reporter writes lines of their own country and agency (the operator, any); a batch is checked
 *   whole (schema, accounts, programs, nodes, rates, duplicates) and written all or none;
 * - obligations above the appropriation of the same year, account and target are flagged, not
 *   refused: real data has transfers and reprogramming;
 * - the owners submit a line, and an approver of the counterpart country approves or returns it;
 * - anonymous and public readers see approved lines only; a draft or submitted line is seen by its own
 *   country's officials, and a submitted one by the counterpart's approvers (`canSeeResult`).
 * @module
 */
import type { Transaction } from 'kysely';
import { assertCanApprove, assertCanSubmit, canSeeResult, ownerIssues, writeGuard } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import { checkFunding, fundingKey } from '../domain/funding/funding-check.js';
import type { FundingLineInput } from '../domain/funding/funding-schema.js';
import { NotFoundError, RefusedError, ValidationError, textIssue, type Issue } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import {
  accountsIn,
  exchangeRatesIn,
  lineInput,
  listFundingLines,
  saveFundingLineIn,
  setFundingStatusIn,
  type FundingFilter,
  type StoredFundingLine,
} from '../records/funding-repository.js';
import type { FundingStatus } from '../records/funding-schema.js';
import type { Ownership, WriteAction } from '../records/record-writer.js';
import type { RecordsDatabase } from '../records/schema.js';
import { writeTransaction, type WriteOptions } from '../records/transaction.js';

/** What a save did to each line, and the flags it raised. */
export interface FundingSaved {
  saved: { key: string; id: number; action: WriteAction }[];
  /** Obligations above appropriations, over the stored lines with these applied. */
  flags: Issue[];
}

/** The programs and framework nodes a line may name, read in the transaction. */
async function targetsIn(trx: Transaction<RecordsDatabase>) {
  const [programs, nodes] = await Promise.all([
    trx.selectFrom('programs').select('code').execute(),
    trx
      .selectFrom('framework_nodes')
      .innerJoin('frameworks', 'frameworks.id', 'framework_nodes.framework_id')
      .select(['frameworks.code as framework', 'framework_nodes.code as node'])
      .execute(),
  ]);
  return {
    programs: new Set(programs.map((p) => p.code)),
    nodes: new Set(nodes.map((n) => `${n.framework}:${n.node}`)),
  };
}

/**
 * Checks `lines` against the store and writes them all, or none; `viewer` 'operator' writes for any
 * owner. `owner` gives each line's owner when it names none; `paths` names each line in errors.
 */
export async function saveFundingLines(
  store: RecordsStore,
  viewer: Viewer | 'operator',
  lines: readonly FundingLineInput[],
  owner: Ownership,
  write: WriteOptions,
  paths: (i: number) => string = (i) => `lines[${i}]`,
): Promise<FundingSaved> {
  const own = (l: FundingLineInput): Ownership => ({
    country: l.country ?? owner.country,
    agency: l.agency ?? owner.agency,
    classification: l.classification ?? owner.classification,
  });
  const guard = viewer === 'operator' || viewer === null ? undefined : writeGuard(viewer);
  return writeTransaction(store, { ...write, ...(guard ? { guard } : {}) }, async (trx, ctx) => {
    const [accounts, rates, targets] = await Promise.all([
      accountsIn(trx),
      exchangeRatesIn(trx),
      targetsIn(trx),
    ]);
    const owned = lines.map((l) => ({ ...l, country: own(l).country }));
    const { issues } = checkFunding(owned, { accounts, rates, ...targets }, paths);
    // Each line's owner: a known organisation of its country.
    const agencies = new Map(
      (await trx.selectFrom('organisations').select(['code', 'country']).execute()).map((o) => [
        o.code,
        o.country,
      ]),
    );
    lines.forEach((l, i) =>
      issues.push(
        ...ownerIssues(own(l), agencies, { country: `${paths(i)}.country`, agency: `${paths(i)}.agency` }),
      ),
    );
    if (issues.length > 0) throw new ValidationError(issues, 'funding');
    const saved: FundingSaved['saved'] = [];
    for (const line of lines) saved.push(await saveFundingLineIn(trx, ctx, { line, owner: own(line) }));
    // The flags look at every stored line once these are written: an obligation may exceed an
    // appropriation entered earlier.
    const all = (await listFundingLines(trx)).map(lineInput);
    const { flags } = checkFunding(all, { accounts, rates }, (i) => {
      const key = fundingKey(all[i]!, all[i]!.country);
      const mine = saved.findIndex((s) => s.key === key);
      return mine >= 0 ? paths(mine) : key;
    });
    return { saved, flags };
  });
}

/** The lines `viewer` may see, narrowed by `filter`. */
export async function visibleFundingLines(
  store: RecordsStore,
  viewer: Viewer,
  filter: FundingFilter = {},
): Promise<StoredFundingLine[]> {
  const lines = await listFundingLines(store.db, filter);
  return lines.filter((l) => canSeeResult(viewer, l));
}

/** The line `id`, when `viewer` may see it. */
async function lineFor(store: RecordsStore, viewer: Viewer, id: number): Promise<StoredFundingLine> {
  const [line] = await listFundingLines(store.db, { ids: [id] });
  if (!line || !canSeeResult(viewer, line)) throw new NotFoundError('funding line', String(id));
  return line;
}

export type FundingReview = 'submit' | 'approve' | 'return';

/** The status each review moves a line to, and the status it must be in. */
const REVIEWS: Record<FundingReview, { from: readonly FundingStatus[]; to: FundingStatus }> = {
  submit: { from: ['draft'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted', 'approved'], to: 'draft' },
};

/**
 * Moves the line `id` through review: its owners submit it; an approver of the counterpart country
 * approves or returns it, with a comment (a return needs one). `version`, when given, must be current.
 */
export async function reviewFundingLine(
  store: RecordsStore,
  viewer: Viewer,
  id: number,
  review: FundingReview,
  write: WriteOptions,
  options: { comment?: string; version?: number } = {},
): Promise<StoredFundingLine> {
  const line = await lineFor(store, viewer, id);
  const what = { entity: 'funding line', key: fundingKey(lineInput(line), line.country) };
  if (review === 'submit') assertCanSubmit(viewer, line, what);
  else assertCanApprove(viewer, line, what);
  const step = REVIEWS[review];
  if (!step.from.includes(line.status))
    throw new RefusedError(
      { key: 'funding.wrongStatus', values: { key: what.key, status: line.status, review } },
      'status',
    );
  if (review === 'return' && !options.comment?.trim())
    throw new ValidationError([textIssue('comment', 'funding.returnNeedsComment')], 'funding');
  await writeTransaction(store, write, (trx, ctx) =>
    setFundingStatusIn(
      trx,
      ctx,
      line,
      step.to,
      review === 'submit' ? undefined : { comment: options.comment?.trim() || null },
      options.version,
    ),
  );
  // The reviewer is shown the line as their review left it, even a draft they can no longer see.
  const [after] = await listFundingLines(store.db, { ids: [id] });
  return after!;
}
