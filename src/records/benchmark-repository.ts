/**
 * Benchmarks in the records store: saved by code (a new value of a target clears both countries'
 * approvals of it), approved one country at a time, and listed with their targets. Every change is
 * audited with the record before and after.
 * @module
 */
import type { Selectable, Transaction, Updateable } from 'kysely';
import type { Approval, BenchmarkInput, TargetApprovals } from '../domain/benchmark.js';
import type { SeriesLink } from '../domain/workspace-schema.js';
import { ConflictError, NotFoundError, ValidationError, textIssue } from '../error.js';
import { canonicalJson } from './canonical-json.js';
import type { RecordsStore } from './database.js';
import type { WriteContext } from './record-writer.js';
import type { BenchmarkTargetTable, RecordsDatabase } from './schema.js';

type Trx = Transaction<RecordsDatabase>;

/** What a save changed. */
export interface BenchmarkSaved {
  benchmark: 'created' | 'updated' | 'unchanged';
  /** Targets created or changed (a changed one awaits both approvals again). */
  targets: { period: string; action: 'created' | 'changed' | 'unchanged' }[];
}

// jsonb keeps keys in its own order: compared as canonical JSON.
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** Whether `ref` (`framework:code`) names a node of a loaded framework. */
async function nodeExists(trx: Trx, ref: string): Promise<boolean> {
  const [framework, code] = ref.split(':') as [string, string];
  const row = await trx
    .selectFrom('framework_nodes as n')
    .innerJoin('frameworks as f', 'f.id', 'n.framework_id')
    .select('n.id')
    .where('f.code', '=', framework)
    .where('n.code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

/** Saves one benchmark and its proposed targets in the caller's write; `path` locates it in the input. */
export async function saveBenchmarkIn(
  trx: Trx,
  ctx: WriteContext,
  input: BenchmarkInput,
  path = '',
): Promise<BenchmarkSaved> {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!(await nodeExists(trx, input.node)))
    throw new ValidationError([
      textIssue(at('node'), 'validation.records.unknownBenchmarkNode', { node: input.node }),
    ]);
  const values = {
    node_ref: input.node,
    name_en: input.name.en,
    name_es: input.name.es,
    definition_en: input.definition.en,
    definition_es: input.definition.es,
    unit_en: input.unit.en,
    unit_es: input.unit.es,
    direction: input.direction,
    series: input.series ?? null,
    baseline_period: input.baseline?.period ?? null,
    baseline_value: input.baseline?.value ?? null,
  };
  const before = await trx
    .selectFrom('benchmarks')
    .selectAll()
    .where('code', '=', input.code)
    .forUpdate()
    .executeTakeFirst();
  let id: number;
  let action: BenchmarkSaved['benchmark'];
  const stored = { ...values, series: values.series === null ? null : JSON.stringify(values.series) };
  if (!before) {
    const row = await trx
      .insertInto('benchmarks')
      .values({
        code: input.code,
        ...stored,
        created_at: ctx.now,
        created_by: ctx.actor,
        updated_at: ctx.now,
        updated_by: ctx.actor,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'create',
      entity: 'benchmark',
      key: input.code,
      before: null,
      after: row,
    });
    id = row.id;
    action = 'created';
  } else {
    id = before.id;
    const changed = (Object.keys(values) as (keyof typeof values)[]).some((k) => !same(before[k], values[k]));
    if (changed) {
      const row = await trx
        .updateTable('benchmarks')
        .set({ ...stored, updated_at: ctx.now, updated_by: ctx.actor, version: before.version + 1 })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'update',
        entity: 'benchmark',
        key: input.code,
        before,
        after: row,
      });
    }
    action = changed ? 'updated' : 'unchanged';
  }
  const targets: BenchmarkSaved['targets'] = [];
  for (const target of input.targets ?? []) {
    const key = `${input.code}@${target.period}`;
    const old = await trx
      .selectFrom('benchmark_targets')
      .selectAll()
      .where('benchmark_id', '=', id)
      .where('period_code', '=', target.period)
      .forUpdate()
      .executeTakeFirst();
    if (!old) {
      const row = await trx
        .insertInto('benchmark_targets')
        .values({
          benchmark_id: id,
          period_code: target.period,
          value: target.value,
          proposed_at: ctx.now,
          proposed_by: ctx.actor,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'create',
        entity: 'benchmark target',
        key,
        before: null,
        after: row,
      });
      targets.push({ period: target.period, action: 'created' });
    } else if (old.value !== target.value) {
      // A new value is a new proposal: neither country has approved it.
      await changeTarget(trx, ctx, old, key, {
        value: target.value,
        proposed_at: ctx.now,
        proposed_by: ctx.actor,
        approved_us_at: null,
        approved_us_by: null,
        approved_mx_at: null,
        approved_mx_by: null,
        version: old.version + 1,
      });
      targets.push({ period: target.period, action: 'changed' });
    } else targets.push({ period: target.period, action: 'unchanged' });
  }
  return { benchmark: action, targets };
}

/** Changes a target and audits the change. */
async function changeTarget(
  trx: Trx,
  ctx: WriteContext,
  old: Selectable<BenchmarkTargetTable>,
  key: string,
  set: Updateable<BenchmarkTargetTable>,
) {
  const row = await trx
    .updateTable('benchmark_targets')
    .set(set)
    .where('id', '=', old.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  ctx.audit.push({
    at: ctx.now,
    actor: ctx.actor,
    action: 'update',
    entity: 'benchmark target',
    key,
    before: old,
    after: row,
  });
  return row;
}

/**
 * Records `country`'s approval of a benchmark's target for `period`, as `ctx.actor`; `version`, when
 * given, must be the target's (a value changed since it was read is a conflict). Approving twice
 * changes nothing. Returns the target's approvals after.
 */
export async function approveTargetIn(
  trx: Trx,
  ctx: WriteContext,
  code: string,
  period: string,
  country: 'US' | 'MX',
  version?: number,
): Promise<{ approvals: TargetApprovals; changed: boolean }> {
  const old = await trx
    .selectFrom('benchmark_targets as t')
    .innerJoin('benchmarks as b', 'b.id', 't.benchmark_id')
    .selectAll('t')
    .where('b.code', '=', code)
    .where('t.period_code', '=', period)
    .forUpdate()
    .executeTakeFirst();
  if (!old)
    throw new NotFoundError('benchmark target', `${code}@${period}`, { key: 'notFound.hint.benchmarks' });
  if (version !== undefined && version !== old.version)
    throw new ConflictError('benchmark target', `${code}@${period}`, version, old.version);
  const column = country === 'US' ? 'us' : 'mx';
  if (old[`approved_${column}_at`] !== null) return { approvals: approvalsOf(old), changed: false };
  const row = await changeTarget(
    trx,
    ctx,
    old,
    `${code}@${period}`,
    country === 'US'
      ? { approved_us_at: ctx.now, approved_us_by: ctx.actor }
      : { approved_mx_at: ctx.now, approved_mx_by: ctx.actor },
  );
  return { approvals: approvalsOf(row), changed: true };
}

const approval = (by: string | null, at: string | null): Approval | null =>
  by && at ? { by, at: new Date(at).toISOString() } : null;

const approvalsOf = (r: {
  approved_us_by: string | null;
  approved_us_at: string | null;
  approved_mx_by: string | null;
  approved_mx_at: string | null;
}): TargetApprovals => ({
  US: approval(r.approved_us_by, r.approved_us_at),
  MX: approval(r.approved_mx_by, r.approved_mx_at),
});

/** A benchmark as listed, with its targets and their approvals. */
export interface BenchmarkView {
  code: string;
  node: string;
  name: { en: string; es: string };
  definition: { en: string; es: string };
  unit: { en: string; es: string };
  direction: 'increase' | 'decrease';
  series: SeriesLink | null;
  baseline: { period: string; value: number | null } | null;
  updatedAt: string;
  targets: {
    period: string;
    value: number;
    version: number;
    proposedBy: string;
    proposedAt: string;
    approvals: TargetApprovals;
  }[];
}

/** Every benchmark, or those of the nodes named, by code. */
export async function listBenchmarks(
  store: RecordsStore,
  nodes?: readonly string[],
): Promise<BenchmarkView[]> {
  if (nodes && nodes.length === 0) return [];
  let query = store.db.selectFrom('benchmarks').selectAll().orderBy('code');
  if (nodes) query = query.where('node_ref', 'in', nodes);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const targets = await store.db
    .selectFrom('benchmark_targets')
    .selectAll()
    .where(
      'benchmark_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('period_code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    node: r.node_ref,
    name: { en: r.name_en, es: r.name_es },
    definition: { en: r.definition_en, es: r.definition_es },
    unit: { en: r.unit_en, es: r.unit_es },
    direction: r.direction,
    series: r.series as SeriesLink | null,
    baseline: r.baseline_period ? { period: r.baseline_period, value: r.baseline_value } : null,
    updatedAt: new Date(r.updated_at).toISOString(),
    targets: targets
      .filter((t) => t.benchmark_id === r.id)
      .map((t) => ({
        period: t.period_code,
        value: t.value,
        version: t.version,
        proposedBy: t.proposed_by,
        proposedAt: new Date(t.proposed_at).toISOString(),
        approvals: approvalsOf(t),
      })),
  }));
}
