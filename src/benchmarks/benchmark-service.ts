/**
 * Framework benchmarks as the API, the pages and the CLI change them: proposing (a reporter of either
 * country, or the CLI's operator), and approving a target (an approver, for their own country). Each
 * change is one audited transaction; a file of several benchmarks is saved all or none.
 * @module
 */
import { assertCanApproveBenchmark, assertCanProposeBenchmark } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import type { BenchmarkInput, TargetApprovals } from '../domain/benchmark.js';
import { approveTargetIn, saveBenchmarkIn, type BenchmarkSaved } from '../records/benchmark-repository.js';
import type { RecordsStore } from '../records/database.js';
import { writeTransaction, type WriteOptions } from '../records/transaction.js';

/** Saves benchmarks (each with its proposed targets), all or none; `viewer` null is the operator. */
export async function saveBenchmarks(
  store: RecordsStore,
  viewer: Viewer | 'operator',
  inputs: readonly BenchmarkInput[],
  write: WriteOptions,
  paths: (i: number) => string = (i) => `benchmarks[${i}]`,
): Promise<BenchmarkSaved[]> {
  if (viewer !== 'operator')
    for (const b of inputs) assertCanProposeBenchmark(viewer, { entity: 'benchmark', key: b.code });
  return writeTransaction(store, write, async (trx, ctx) => {
    const out: BenchmarkSaved[] = [];
    for (const [i, input] of inputs.entries()) out.push(await saveBenchmarkIn(trx, ctx, input, paths(i)));
    return out;
  });
}

/** `viewer`'s country approves the target of `code` for `period` (at `version`, when given). */
export async function approveBenchmarkTarget(
  store: RecordsStore,
  viewer: Viewer,
  code: string,
  period: string,
  write: WriteOptions,
  version?: number,
): Promise<{ country: 'US' | 'MX'; approvals: TargetApprovals; changed: boolean }> {
  const country = assertCanApproveBenchmark(viewer, { entity: 'benchmark target', key: `${code}@${period}` });
  const done = await writeTransaction(store, write, (trx, ctx) =>
    approveTargetIn(trx, ctx, code, period, country, version),
  );
  return { country, ...done };
}
