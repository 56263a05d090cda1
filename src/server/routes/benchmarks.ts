/**
 * Framework benchmarks: indicators owned by a framework node and co-owned by both countries. Anyone may
 * read them, with each target's approvals and, where the benchmark links to statistics, its actuals; a
 * reporter of either country proposes benchmarks and targets; an approver approves a target for their
 * own country, and it takes effect once both countries have.
 * @module
 */
import { z } from 'zod';
import { benchmarkProgress } from '../../benchmarks/benchmark-progress.js';
import { approveBenchmarkTarget, saveBenchmarks } from '../../benchmarks/benchmark-service.js';
import { BenchmarkInput } from '../../domain/benchmark.js';
import { NodeRef, PeriodCode } from '../../domain/common-schema.js';
import { listBenchmarks } from '../../records/benchmark-repository.js';
import { Lang } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

const BenchmarksQuery = z.object({ node: NodeRef.optional(), lang: Lang }).strict();
const BenchmarksBody = z.object({ benchmarks: z.array(BenchmarkInput).min(1).max(200) }).strict();
const ApproveBody = z.object({ version: z.number().int().min(1).optional() }).strict();

export const benchmarks = route({
  method: 'get',
  path: '/benchmarks',
  operationId: 'listBenchmarks',
  response: R.BenchmarkList,
  tag: 'frameworks',
  permission: 'read',
  summary:
    'Framework benchmarks (of one node with `node`), each with its targets, both countries’ approvals of each, whether it is in effect, and its actuals from the linked statistics',
  query: BenchmarksQuery,
  async handle({ store, stats, query }) {
    const list = await listBenchmarks(store, query.node ? [query.node] : undefined);
    return Promise.all(
      list.map(async (b) => {
        const p = await benchmarkProgress(stats, b);
        return {
          ...b,
          baseline: b.baseline,
          actuals: { baseline: p.baseline, targets: p.targets, gaps: p.gaps },
        };
      }),
    );
  },
});

export const saveBenchmarksRoute = route({
  method: 'post',
  path: '/benchmarks',
  operationId: 'saveBenchmarks',
  response: R.BenchmarksSaved,
  tag: 'frameworks',
  permission: 'write:records',
  summary:
    'Propose or change benchmarks and their targets (reporters of either country), all or none. A target whose value changes needs both countries’ approval again',
  body: BenchmarksBody,
  async handle({ store, viewer, body, write }) {
    const saved = await saveBenchmarks(store, viewer, body.benchmarks, write);
    return { saved: saved.map((s, i) => ({ code: body.benchmarks[i]!.code, ...s })) };
  },
});

export const approveTargetRoute = route({
  method: 'post',
  path: '/benchmarks/{code}/targets/{period}/approve',
  operationId: 'approveBenchmarkTarget',
  response: R.TargetApproved,
  params: { period: PeriodCode },
  tag: 'frameworks',
  permission: 'write:results',
  summary:
    'Approve a benchmark’s target for the approver’s own country; send the `version` you read to refuse a value changed since (409). In effect once both countries approve',
  body: ApproveBody,
  optionalBody: true,
  async handle({ store, viewer, params, body, write }) {
    const version = (body as { version?: number } | undefined)?.version;
    return approveBenchmarkTarget(store, viewer, params.code, params.period, write, version);
  },
});
