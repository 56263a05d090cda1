/**
 * Loads workspace files into the records store in one transaction, and exports the store back to the
 * same format. A load validates everything first (schema, references, locks) and writes nothing when
 * anything is wrong.
 * @module
 */
import type { ExpressionBuilder, Transaction } from 'kysely';
import { ValidationError, type Issue } from '../error.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { parsePeriod } from '../domain/periods.js';
import {
  checkWorkspace,
  disaggregationKey,
  lockedResultFingerprint,
  lockedTargetFingerprint,
  resolvedValue,
  resultKey,
  type KnownRecords,
} from '../domain/workspace-check.js';
import {
  WORKSPACE_FORMAT,
  Workspace,
  type IndicatorInput,
  type OrganisationInput,
  type ProgramInput,
} from '../domain/workspace-schema.js';
import { OPERATOR, canSee, type Viewer } from '../domain/visibility.js';
import { appendAudit } from './audit.js';
import type { RecordsStore } from './database.js';
import {
  deleteRecords,
  upsertRecord,
  type Ownership,
  type WriteAction,
  type WriteContext,
  type WriteGuard,
} from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

export interface WriteOptions {
  actor: string;
  /** The clock; injected so tests control timestamps. */
  now?: () => Date;
  /** Do all the work, then roll back: reports exactly what a real write would change. */
  dryRun?: boolean;
  /** Refuses individual writes the caller may not make (see {@link WriteGuard}). */
  guard?: WriteGuard;
}

/** Carries a dry run's result out of the transaction it rolls back. */
class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super('dry run rolled back');
  }
}

export interface LoadOptions extends WriteOptions {
  /** Locates a JSON path in the source file, for error messages. */
  locate?: (path: readonly PropertyKey[]) => string;
  /** Name of the input, for error messages. */
  source?: string;
  /** Called as results are written (every 500 and at the end), for progress on large files. */
  onProgress?: (done: number, total: number) => void;
}

type OwnershipInput = {
  country?: Ownership['country'] | undefined;
  agency?: string | undefined;
  classification?: Ownership['classification'] | undefined;
};

export type LoadSummary = Record<string, Record<WriteAction | 'deleted', number>>;

/** Runs `work` in a transaction that appends its audit entries before committing. */
export async function writeTransaction<T>(
  store: RecordsStore,
  options: WriteOptions,
  work: (trx: Transaction<RecordsDatabase>, ctx: WriteContext) => Promise<T>,
): Promise<T> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  try {
    return await store.db.transaction().execute(async (trx) => {
      const ctx: WriteContext = { actor: options.actor, now, audit: [], guard: options.guard };
      const result = await work(trx, ctx);
      await appendAudit(trx, ctx.audit);
      if (options.dryRun) throw new RolledBack(result);
      return result;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
}

/** Parses and validates `input` as a workspace, throwing a ValidationError that lists every problem. */
export function parseWorkspace(
  input: unknown,
  options: Pick<LoadOptions, 'locate' | 'source'> = {},
): Workspace {
  const parsed = safeParseInput(Workspace, input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new ValidationError(withLocations(issues, options.locate, parsed.error), options.source);
  }
  return parsed.data;
}

function withLocations(
  issues: Issue[],
  locate: LoadOptions['locate'],
  error?: { issues: { path: PropertyKey[] }[] },
): Issue[] {
  if (!locate) return issues;
  return issues.map((issue, i) => ({
    ...issue,
    location: locate(error ? (error.issues[i]?.path ?? []) : pathParts(issue.path)),
  }));
}

/** `programs[2].indicators[0].code` → `['programs', 2, 'indicators', 0, 'code']`. */
function pathParts(path: string): PropertyKey[] {
  const parts: PropertyKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return parts;
}

/**
 * True for rows whose period (joined as `periods`) lies within a locked period, whatever its code: a lock
 * on `2017` also covers `2017-Q3` and `2017-06`.
 */
function withinLockedPeriod(
  eb: ExpressionBuilder<RecordsDatabase & { periods: RecordsDatabase['periods'] }, 'periods'>,
) {
  return eb.exists(
    eb
      .selectFrom('periods as lock')
      .select('lock.code')
      .where('lock.locked_at', 'is not', null)
      .whereRef('lock.start_date', '<=', 'periods.start_date')
      .whereRef('lock.end_date', '>=', 'periods.end_date'),
  );
}

/** Reads what a workspace may refer to, inside the load's transaction. */
export async function knownRecords(trx: Transaction<RecordsDatabase>): Promise<KnownRecords> {
  const [orgs, programs, indicators, nodes, periods, lockedResults, lockedTargets] = await Promise.all([
    trx.selectFrom('organisations').select('code').execute(),
    trx.selectFrom('programs').select('code').execute(),
    trx
      .selectFrom('indicators')
      .innerJoin('programs', 'programs.id', 'indicators.program_id')
      .select([
        'indicators.code',
        'programs.code as program',
        'indicators.disaggregations',
        'indicators.factor',
      ])
      .execute(),
    trx
      .selectFrom('framework_nodes')
      .innerJoin('frameworks', 'frameworks.id', 'framework_nodes.framework_id')
      .select(['frameworks.code as framework', 'framework_nodes.code as node'])
      .execute(),
    trx.selectFrom('periods').select(['code', 'locked_at']).execute(),
    trx
      .selectFrom('results')
      .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
      .innerJoin('periods', 'periods.code', 'results.period_code')
      .where(withinLockedPeriod)
      .select([
        'indicators.code as indicator',
        'results.period_code',
        'results.place',
        'results.disaggregation_key',
        'results.value',
        'results.numerator',
        'results.denominator',
        'results.comment',
        'results.evidence',
        'results.country',
        'results.agency',
        'results.classification',
      ])
      .execute(),
    trx
      .selectFrom('targets')
      .innerJoin('indicators', 'indicators.id', 'targets.indicator_id')
      .innerJoin('periods', 'periods.code', 'targets.period_code')
      .where(withinLockedPeriod)
      .select([
        'indicators.code as indicator',
        'targets.period_code',
        'targets.place',
        'targets.value',
        'targets.country',
        'targets.agency',
        'targets.classification',
      ])
      .execute(),
  ]);
  return {
    organisations: new Set(orgs.map((o) => o.code)),
    programs: new Set(programs.map((p) => p.code)),
    indicators: new Map(
      indicators.map((i) => [
        i.code,
        {
          program: i.program,
          disaggregations: i.disaggregations,
          factor: i.factor,
          lockedComponents: lockedResults.some((r) => r.indicator === i.code && r.numerator !== null),
        },
      ]),
    ),
    nodes: new Set(nodes.map((n) => `${n.framework}:${n.node}`)),
    periods: new Map(periods.map((p) => [p.code, p.locked_at !== null])),
    lockedResults: new Map(
      lockedResults.map((r) => [
        resultKey(r.indicator, r.period_code, r.place, r.disaggregation_key),
        lockedResultFingerprint(r),
      ]),
    ),
    lockedTargets: new Map(
      lockedTargets.map((t) => [
        `${t.indicator}|${t.period_code}|${t.place ?? ''}`,
        lockedTargetFingerprint(t),
      ]),
    ),
  };
}

/**
 * Validates and writes a workspace in one transaction. Records are matched by code (results by
 * indicator, period, place and disaggregation); a record is created, updated (version + 1) or left
 * unchanged. An indicator's targets are replaced by those listed; nothing else is deleted.
 */
export async function loadWorkspace(
  store: RecordsStore,
  input: unknown,
  options: LoadOptions,
): Promise<LoadSummary> {
  const ws = parseWorkspace(input, options);
  return writeTransaction(store, options, async (trx, ctx) => {
    const known = await knownRecords(trx);
    const issues = checkWorkspace(ws, known);
    issues.push(...(await removedLockedTargets(trx, ws)));
    if (issues.length > 0) throw new ValidationError(withLocations(issues, options.locate), options.source);
    return writeWorkspace(trx, ctx, ws, known, options.onProgress);
  });
}

/** Targets in locked periods that a file's indicator definition would remove. */
async function removedLockedTargets(trx: Transaction<RecordsDatabase>, ws: Workspace): Promise<Issue[]> {
  const issues: Issue[] = [];
  const rows = await trx
    .selectFrom('targets')
    .innerJoin('indicators', 'indicators.id', 'targets.indicator_id')
    .innerJoin('periods', 'periods.code', 'targets.period_code')
    .where(withinLockedPeriod)
    .select(['indicators.code as indicator', 'targets.period_code', 'targets.place'])
    .execute();
  if (rows.length === 0) return issues;
  ws.programs?.forEach((program, pi) =>
    program.indicators?.forEach((ind, ii) => {
      for (const row of rows.filter((r) => r.indicator === ind.code)) {
        const listed = ind.targets?.some(
          (t) => t.period === row.period_code && (t.place ?? null) === row.place,
        );
        if (!listed)
          issues.push({
            path: `programs[${pi}].indicators[${ii}].targets`,
            message: `the target for locked period ${row.period_code} cannot be removed`,
          });
      }
    }),
  );
  return issues;
}

function tally(summary: LoadSummary, entity: string, action: WriteAction | 'deleted', n = 1) {
  summary[entity] ??= { create: 0, update: 0, unchanged: 0, deleted: 0 };
  summary[entity][action] += n;
}

async function writeWorkspace(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  ws: Workspace,
  known: KnownRecords,
  onProgress?: (done: number, total: number) => void,
): Promise<LoadSummary> {
  const summary: LoadSummary = {};
  const own = (r: OwnershipInput): Ownership => ({
    country: r.country ?? ws.defaults.country,
    agency: r.agency ?? ws.defaults.agency,
    classification: r.classification ?? ws.defaults.classification ?? 'public',
  });

  for (const org of parentsFirst(ws.organisations ?? [])) {
    const { action } = await upsertRecord(trx, ctx, {
      table: 'organisations',
      entity: 'organisation',
      key: org.code,
      where: { code: org.code },
      values: {
        name_en: org.name.en,
        name_es: org.name.es,
        kind: org.kind,
        parent_code: org.parent ?? null,
        ...own(org),
      },
      expectedVersion: org.version,
    });
    tally(summary, 'organisations', action);
  }

  const toLock: string[] = [];
  for (const period of ws.periods ?? []) {
    const parsed = parsePeriod(period.code)!;
    const { action, row } = await upsertRecord(trx, ctx, {
      table: 'periods',
      entity: 'period',
      key: period.code,
      where: { code: period.code },
      values: { kind: parsed.kind, start_date: parsed.start, end_date: parsed.end, ...own(period) },
      expectedVersion: period.version,
    });
    tally(summary, 'periods', action);
    if (period.locked && row.locked_at === null) toLock.push(period.code);
  }

  const indicatorIds = new Map<string, { id: number; factor: number }>();
  for (const program of ws.programs ?? []) {
    const { row, action } = await upsertRecord(trx, ctx, {
      table: 'programs',
      entity: 'program',
      key: program.code,
      where: { code: program.code },
      values: programValues(program, own(program)),
      expectedVersion: program.version,
    });
    tally(summary, 'programs', action);
    const programId = row.id as number;
    for (const ind of program.indicators ?? []) {
      const id = await writeIndicator(trx, ctx, programId, ind, own, summary);
      indicatorIds.set(ind.code, { id, factor: ind.factor ?? 1 });
    }
    for (const p of program.practices ?? []) {
      const { action } = await upsertRecord(trx, ctx, {
        table: 'practices',
        entity: 'practice',
        key: `${program.code}|${p.practice}`,
        where: { program_id: programId, practice: p.practice },
        values: {
          state: p.state,
          evidence: p.evidence ?? null,
          assessed_on: p.date ?? null,
          note: p.note ?? null,
          ...own(p),
        },
        expectedVersion: p.version,
      });
      tally(summary, 'practices', action);
    }
    for (const r of program.risks ?? []) {
      const { action } = await upsertRecord(trx, ctx, {
        table: 'risks',
        entity: 'risk',
        key: `${program.code}|${r.code}`,
        where: { program_id: programId, code: r.code },
        values: {
          description_en: r.description.en,
          description_es: r.description.es,
          likelihood: r.likelihood,
          impact: r.impact,
          mitigation: r.mitigation ?? null,
          owner: r.owner ?? null,
          status: r.status,
          ...own(r),
        },
        expectedVersion: r.version,
      });
      tally(summary, 'risks', action);
    }
    for (const l of program.lessons ?? []) {
      const { action } = await upsertRecord(trx, ctx, {
        table: 'lessons',
        entity: 'lesson',
        key: `${program.code}|${l.code}`,
        where: { program_id: programId, code: l.code },
        values: {
          recorded_on: l.date,
          category: l.category,
          lesson_en: l.lesson.en,
          lesson_es: l.lesson.es,
          action: l.action ?? null,
          ...own(l),
        },
        expectedVersion: l.version,
      });
      tally(summary, 'lessons', action);
    }
  }

  const missing = [...new Set((ws.results ?? []).map((r) => r.indicator))].filter(
    (c) => !indicatorIds.has(c),
  );
  if (missing.length > 0) {
    const rows = await trx
      .selectFrom('indicators')
      .select(['id', 'code', 'factor'])
      .where('code', 'in', missing)
      .execute();
    for (const r of rows) indicatorIds.set(r.code, { id: r.id, factor: r.factor });
  }
  const total = ws.results?.length ?? 0;
  for (const [i, r] of (ws.results ?? []).entries()) {
    if (onProgress && i > 0 && i % 500 === 0) onProgress(i, total);
    const indicator = indicatorIds.get(r.indicator)!;
    const dkey = disaggregationKey(r.disaggregation);
    const { action } = await upsertRecord(trx, ctx, {
      table: 'results',
      entity: 'result',
      key: resultKey(r.indicator, r.period, r.place, dkey),
      where: { indicator_id: indicator.id, period_code: r.period, place: r.place, disaggregation_key: dkey },
      values: {
        disaggregation: r.disaggregation ?? {},
        value: resolvedValue(r, indicator.factor),
        numerator: r.numerator ?? null,
        denominator: r.denominator ?? null,
        comment: r.comment ?? null,
        evidence: r.evidence ?? null,
        // A result of a period already locked stays locked (checkWorkspace has refused any other change).
        status: known.periods.get(r.period) === true ? 'locked' : (r.status ?? 'draft'),
        ...own(r),
      },
      expectedVersion: r.version,
    });
    tally(summary, 'results', action);
  }

  if (onProgress && total > 0) onProgress(total, total);
  for (const code of toLock) {
    const locked = await lockPeriodIn(trx, ctx, code);
    tally(summary, 'locked_periods', 'update');
    tally(summary, 'results', 'update', locked);
  }
  return summary;
}

function programValues(p: ProgramInput, owner: Ownership): Record<string, unknown> {
  return {
    title_en: p.title.en,
    title_es: p.title.es,
    description_en: p.description?.en ?? null,
    description_es: p.description?.es ?? null,
    start_date: p.start ?? null,
    end_date: p.end ?? null,
    status: p.status,
    implementing: p.implementing ?? [],
    funding: p.funding ?? [],
    serves: p.serves ?? [],
    locations: p.locations ?? [],
    ...owner,
  };
}

/** The reference-sheet columns of an indicator: what its version history records. */
export function indicatorDefinition(ind: IndicatorInput): Record<string, unknown> {
  return {
    name_en: ind.name.en,
    name_es: ind.name.es,
    definition_en: ind.definition.en,
    definition_es: ind.definition.es,
    level: ind.level,
    unit_en: ind.unit.en,
    unit_es: ind.unit.es,
    numerator_en: ind.numerator?.en ?? null,
    numerator_es: ind.numerator?.es ?? null,
    denominator_en: ind.denominator?.en ?? null,
    denominator_es: ind.denominator?.es ?? null,
    factor: ind.factor ?? 1,
    direction: ind.direction,
    disaggregations: ind.disaggregations ?? [],
    data_source: ind.source,
    method: ind.method ?? null,
    frequency: ind.frequency,
    responsible: ind.responsible,
    baseline_value: ind.baseline?.value ?? null,
    baseline_period: ind.baseline?.period ?? null,
    baseline_source: ind.baseline?.source ?? null,
    lop_target: ind.lop_target ?? null,
    aggregation: ind.aggregation,
    quality_notes: ind.quality_notes ?? null,
    series: ind.series ?? null,
  };
}

async function writeIndicator(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  programId: number,
  ind: IndicatorInput,
  own: (r: OwnershipInput) => Ownership,
  summary: LoadSummary,
): Promise<number> {
  const definition = indicatorDefinition(ind);
  const { row, action, before } = await upsertRecord(trx, ctx, {
    table: 'indicators',
    entity: 'indicator',
    key: ind.code,
    where: { code: ind.code },
    values: { program_id: programId, ...definition, ...own(ind) },
    expectedVersion: ind.version,
  });
  tally(summary, 'indicators', action);
  const id = row.id as number;
  if (before && before.factor !== row.factor) {
    // Stored values computed from numerator and denominator follow the new factor.
    const computed = await trx
      .selectFrom('results')
      .select(['id', 'period_code', 'place', 'disaggregation_key', 'numerator', 'denominator'])
      .where('indicator_id', '=', id)
      .where('numerator', 'is not', null)
      .execute();
    for (const r of computed) {
      const { action: resultAction } = await upsertRecord(trx, ctx, {
        table: 'results',
        entity: 'result',
        key: resultKey(ind.code, r.period_code, r.place, r.disaggregation_key),
        where: { id: r.id },
        values: { value: (r.numerator! / r.denominator!) * (row.factor as number) },
      });
      tally(summary, 'results', resultAction);
    }
  }
  if (action !== 'unchanged') {
    await trx
      .insertInto('indicator_versions')
      .values({
        indicator_id: id,
        version: row.version as number,
        definition: JSON.stringify(definition),
        changed_at: ctx.now,
        changed_by: ctx.actor,
      })
      .onConflict((oc) => oc.columns(['indicator_id', 'version']).doNothing())
      .execute();
  }
  const keep = new Set<string>();
  for (const t of ind.targets ?? []) {
    keep.add(`${t.period}|${t.place ?? ''}`);
    const { action } = await upsertRecord(trx, ctx, {
      table: 'targets',
      entity: 'target',
      key: `${ind.code}|${t.period}|${t.place ?? ''}`,
      where: { indicator_id: id, period_code: t.period, place: t.place ?? null },
      values: { value: t.value, ...own(t) },
      expectedVersion: t.version,
    });
    tally(summary, 'targets', action);
  }
  const stored = await trx
    .selectFrom('targets')
    .select(['id', 'period_code', 'place'])
    .where('indicator_id', '=', id)
    .execute();
  for (const t of stored) {
    if (keep.has(`${t.period_code}|${t.place ?? ''}`)) continue;
    const n = await deleteRecords(
      trx,
      ctx,
      'targets',
      'target',
      { id: t.id },
      () => `${ind.code}|${t.period_code}|${t.place ?? ''}`,
    );
    tally(summary, 'targets', 'deleted', n);
  }
  return id;
}

/** Organisations ordered so that a parent declared in the same file is written before its children. */
function parentsFirst(orgs: OrganisationInput[]): OrganisationInput[] {
  const byCode = new Map(orgs.map((o) => [o.code, o]));
  const out: OrganisationInput[] = [];
  const seen = new Set<string>();
  const visit = (o: OrganisationInput, trail: Set<string>) => {
    if (seen.has(o.code)) return;
    if (trail.has(o.code))
      throw new ValidationError([{ path: 'organisations', message: `parent cycle through ${o.code}` }]);
    trail.add(o.code);
    const parent = o.parent ? byCode.get(o.parent) : undefined;
    if (parent) visit(parent, trail);
    seen.add(o.code);
    out.push(o);
  };
  for (const o of orgs) visit(o, new Set());
  return out;
}

/**
 * Locks a period inside a transaction: the period records who locked it and when, and each of its
 * results moves to status `locked`. Returns the number of results locked.
 */
export async function lockPeriodIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  code: string,
): Promise<number> {
  const period = await trx.selectFrom('periods').selectAll().where('code', '=', code).executeTakeFirst();
  if (!period)
    throw new ValidationError([
      { path: 'period', message: `period ${JSON.stringify(code)} is not declared` },
    ]);
  if (period.locked_at !== null) return 0;
  await upsertRecord(trx, ctx, {
    table: 'periods',
    entity: 'period',
    key: code,
    where: { code },
    values: { locked_at: ctx.now, locked_by: ctx.actor },
  });
  // Every result whose period lies within the locked one: locking 2017 also locks 2017-Q3 and 2017-06.
  const results = await trx
    .selectFrom('results')
    .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
    .innerJoin('periods', 'periods.code', 'results.period_code')
    .select([
      'results.id',
      'results.period_code',
      'indicators.code as indicator',
      'results.place',
      'results.disaggregation_key',
    ])
    .where('periods.start_date', '>=', period.start_date)
    .where('periods.end_date', '<=', period.end_date)
    .where('results.status', '!=', 'locked')
    .execute();
  for (const r of results) {
    await upsertRecord(trx, ctx, {
      table: 'results',
      entity: 'result',
      key: resultKey(r.indicator, r.period_code, r.place, r.disaggregation_key),
      where: { id: r.id },
      values: { status: 'locked' },
    });
  }
  return results.length;
}

/**
 * Writes the records store (except frameworks) as a workspace document: everything for the operator
 * (the default), or only what `viewer` may see, children of hidden records included.
 */
export async function exportWorkspace(store: RecordsStore, viewer: Viewer = OPERATOR): Promise<Workspace> {
  const db = store.db;
  const [
    allOrgs,
    allPeriods,
    allPrograms,
    allIndicators,
    allTargets,
    allPractices,
    allRisks,
    allLessons,
    allResults,
  ] = await Promise.all([
    db.selectFrom('organisations').selectAll().orderBy('code').execute(),
    db.selectFrom('periods').selectAll().orderBy('start_date').orderBy('end_date').orderBy('code').execute(),
    db.selectFrom('programs').selectAll().orderBy('code').execute(),
    db.selectFrom('indicators').selectAll().orderBy('code').execute(),
    db
      .selectFrom('targets')
      .innerJoin('periods', 'periods.code', 'targets.period_code')
      .selectAll('targets')
      .orderBy('periods.start_date')
      .orderBy('periods.end_date')
      .orderBy('targets.place')
      .execute(),
    db.selectFrom('practices').selectAll().orderBy('practice').execute(),
    db.selectFrom('risks').selectAll().orderBy('code').execute(),
    db.selectFrom('lessons').selectAll().orderBy('code').execute(),
    db
      .selectFrom('results')
      .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
      .innerJoin('periods', 'periods.code', 'results.period_code')
      .selectAll('results')
      .select('indicators.code as indicator')
      .orderBy('indicators.code')
      .orderBy('periods.start_date')
      .orderBy('periods.end_date')
      .orderBy('results.place')
      .orderBy('results.disaggregation_key')
      .execute(),
  ]);
  const orgs = allOrgs.filter((o) => canSee(viewer, o));
  const periods = allPeriods.filter((p) => canSee(viewer, p));
  const programs = allPrograms.filter((p) => canSee(viewer, p));
  const programIds = new Set(programs.map((p) => p.id));
  const indicators = allIndicators.filter((i) => programIds.has(i.program_id) && canSee(viewer, i));
  const indicatorIds = new Set(indicators.map((i) => i.id));
  const visibleUnder = <T extends Ownership>(rows: T[], parent: (row: T) => boolean) =>
    rows.filter((row) => parent(row) && canSee(viewer, row));
  const targets = visibleUnder(allTargets, (t) => indicatorIds.has(t.indicator_id));
  const results = visibleUnder(allResults, (r) => indicatorIds.has(r.indicator_id));
  const practices = visibleUnder(allPractices, (x) => programIds.has(x.program_id));
  const risks = visibleUnder(allRisks, (x) => programIds.has(x.program_id));
  const lessons = visibleUnder(allLessons, (x) => programIds.has(x.program_id));

  const everything: Ownership[] = [
    orgs,
    periods,
    programs,
    indicators,
    targets,
    practices,
    risks,
    lessons,
    results,
  ].flat();
  const defaults = mostCommon(everything);
  const owned = (r: Ownership & { version: number }) => ({
    ...(r.country !== defaults.country ? { country: r.country } : {}),
    ...(r.agency !== defaults.agency ? { agency: r.agency } : {}),
    ...(r.classification !== defaults.classification ? { classification: r.classification } : {}),
    version: r.version,
  });
  const opt = <T>(value: T | null | undefined) => (value === null ? undefined : value);
  const text = (en: string | null, es: string | null) =>
    en === null && es === null
      ? undefined
      : { ...(en !== null ? { en } : {}), ...(es !== null ? { es } : {}) };
  const list = <T>(items: T[]) => (items.length > 0 ? items : undefined);
  const byParent = <T extends { program_id?: number; indicator_id?: number }>(
    rows: T[],
    key: 'program_id' | 'indicator_id',
  ) => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      const id = row[key]!;
      map.set(id, [...(map.get(id) ?? []), row]);
    }
    return map;
  };
  const indicatorsOf = byParent(indicators, 'program_id');
  const targetsOf = byParent(targets, 'indicator_id');
  const practicesOf = byParent(practices, 'program_id');
  const risksOf = byParent(risks, 'program_id');
  const lessonsOf = byParent(lessons, 'program_id');

  const ws: Workspace = {
    marco: WORKSPACE_FORMAT,
    defaults: { country: defaults.country, agency: defaults.agency, classification: defaults.classification },
    organisations: list(
      orgs.map((o) => ({
        code: o.code,
        name: { en: o.name_en, es: o.name_es },
        kind: o.kind,
        parent: opt(o.parent_code),
        ...owned(o),
      })),
    ),
    periods: list(
      periods.map((p) => ({ code: p.code, ...(p.locked_at !== null ? { locked: true } : {}), ...owned(p) })),
    ),
    programs: list(
      programs.map((p) => ({
        code: p.code,
        title: { en: p.title_en, es: p.title_es },
        description: text(p.description_en, p.description_es),
        implementing: list(p.implementing),
        funding: list(p.funding),
        start: opt(p.start_date),
        end: opt(p.end_date),
        status: p.status,
        serves: list(p.serves),
        locations: list(p.locations),
        indicators: list(
          (indicatorsOf.get(p.id) ?? []).map((i) => ({
            code: i.code,
            name: { en: i.name_en, es: i.name_es },
            definition: { en: i.definition_en, es: i.definition_es },
            level: i.level,
            unit: { en: i.unit_en, es: i.unit_es },
            numerator:
              i.numerator_en !== null && i.numerator_es !== null
                ? { en: i.numerator_en, es: i.numerator_es }
                : undefined,
            denominator:
              i.denominator_en !== null && i.denominator_es !== null
                ? { en: i.denominator_en, es: i.denominator_es }
                : undefined,
            factor: i.factor,
            direction: i.direction,
            disaggregations: list(i.disaggregations),
            source: i.data_source,
            method: opt(i.method),
            frequency: i.frequency,
            responsible: i.responsible,
            baseline:
              i.baseline_value !== null || i.baseline_period !== null
                ? {
                    value: opt(i.baseline_value),
                    period: opt(i.baseline_period),
                    source: opt(i.baseline_source),
                  }
                : undefined,
            targets: list(
              (targetsOf.get(i.id) ?? []).map((t) => ({
                period: t.period_code,
                value: t.value,
                place: opt(t.place),
                ...owned(t),
              })),
            ),
            lop_target: opt(i.lop_target),
            aggregation: i.aggregation,
            quality_notes: opt(i.quality_notes),
            series: opt(i.series),
            ...owned(i),
          })),
        ),
        practices: list(
          (practicesOf.get(p.id) ?? []).map((x) => ({
            practice: x.practice as never,
            state: x.state,
            evidence: opt(x.evidence),
            date: opt(x.assessed_on),
            note: opt(x.note),
            ...owned(x),
          })),
        ),
        risks: list(
          (risksOf.get(p.id) ?? []).map((r) => ({
            code: r.code,
            description: { en: r.description_en, es: r.description_es },
            likelihood: r.likelihood,
            impact: r.impact,
            mitigation: opt(r.mitigation),
            owner: opt(r.owner),
            status: r.status,
            ...owned(r),
          })),
        ),
        lessons: list(
          (lessonsOf.get(p.id) ?? []).map((l) => ({
            code: l.code,
            date: l.recorded_on,
            category: l.category,
            lesson: { en: l.lesson_en, es: l.lesson_es },
            action: opt(l.action),
            ...owned(l),
          })),
        ),
        ...owned(p),
      })),
    ),
    results: list(
      results.map((r) => ({
        indicator: r.indicator,
        period: r.period_code,
        place: r.place,
        disaggregation: Object.keys(r.disaggregation).length > 0 ? r.disaggregation : undefined,
        value: r.value,
        numerator: opt(r.numerator),
        denominator: opt(r.denominator),
        comment: opt(r.comment),
        evidence: opt(r.evidence),
        status: r.status,
        ...owned(r),
      })),
    ),
  };
  return dropUndefined(ws) as Workspace;
}

function mostCommon(records: Ownership[]): Ownership {
  const counts = new Map<string, number>();
  for (const r of records) {
    const key = `${r.country}|${r.agency}|${r.classification}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [
    'MX|SRE|public',
  ];
  const [country, agency, classification] = best.split('|') as [
    Ownership['country'],
    string,
    Ownership['classification'],
  ];
  return { country, agency, classification };
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, dropUndefined(v)]),
    );
  }
  return value;
}
