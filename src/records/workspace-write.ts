/**
 * Writes a validated workspace inside a load's transaction: each record is created, updated (version + 1)
 * or left unchanged, and the summary counts what happened to each kind of record.
 * @module
 */
import { saveIncidentIn } from './incident-repository.js';
import type { Transaction } from 'kysely';
import { ValidationError, textIssue } from '../error.js';
import { parsePeriod } from '../domain/periods.js';
import { disaggregationKey, resolvedValue, resultKey, type KnownRecords } from '../domain/workspace-check.js';
import type {
  IndicatorInput,
  OrganisationInput,
  ProgramInput,
  Workspace,
} from '../domain/workspace-schema.js';
import { lockPeriodIn } from './period-locks.js';
import { writeWorkspaceFunding } from './workspace-write-funding.js';
import {
  deleteRecords,
  upsertRecord,
  type Ownership,
  type WriteAction,
  type WriteContext,
} from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

type OwnershipInput = {
  country?: Ownership['country'] | undefined;
  agency?: string | undefined;
  classification?: Ownership['classification'] | undefined;
};

export type LoadSummary = Record<string, Record<WriteAction | 'deleted', number>>;

function tally(summary: LoadSummary, entity: string, action: WriteAction | 'deleted', n = 1) {
  summary[entity] ??= { create: 0, update: 0, unchanged: 0, deleted: 0 };
  summary[entity][action] += n;
}

export async function writeWorkspace(
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
  for (const [pi, program] of (ws.programs ?? []).entries()) {
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
    for (const [ii, ind] of (program.indicators ?? []).entries()) {
      const id = await writeIndicator(
        trx,
        ctx,
        programId,
        ind,
        own,
        summary,
        `programs[${pi}].indicators[${ii}]`,
      );
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
  await writeWorkspaceFunding(trx, ctx, ws, own, (entity, action) => tally(summary, entity, action));
  // An incident the file classifies nowhere is for official use: a file publishes one on purpose.
  for (const incident of ws.incidents ?? []) {
    const classification = incident.classification ?? ws.defaults.classification ?? 'official_use';
    tally(
      summary,
      'incidents',
      (await saveIncidentIn(trx, ctx, incident, own({ ...incident, classification }))).action,
    );
  }
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
    iati: p.iati ?? null,
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
    change_reason: ind.change_reason ?? null,
  };
}

async function writeIndicator(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  programId: number,
  ind: IndicatorInput,
  own: (r: OwnershipInput) => Ownership,
  summary: LoadSummary,
  path: string,
): Promise<number> {
  const definition = indicatorDefinition(ind);
  await requireChangeReason(trx, ind, path);
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
      .select(['id', 'period_code', 'place', 'disaggregation_key', 'numerator', 'denominator', 'status'])
      .where('indicator_id', '=', id)
      .where('numerator', 'is not', null)
      .where('status', '!=', 'locked')
      .execute();
    for (const r of computed) {
      const { action: resultAction } = await upsertRecord(trx, ctx, {
        table: 'results',
        entity: 'result',
        key: resultKey(ind.code, r.period_code, r.place, r.disaggregation_key),
        where: { id: r.id },
        values: {
          value: (r.numerator! / r.denominator!) * (row.factor as number),
          // An approved value that changes needs approving again.
          ...(r.status === 'approved' ? { status: 'submitted' } : {}),
        },
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

/**
 * Refuses a change to an indicator's baseline, life-of-program target or period targets, once it has
 * results, unless the file gives the reason (`change_reason`): the goalposts do not move silently. The
 * reason is stored on the indicator, so its audit entry and its sheet's version hold it.
 */
async function requireChangeReason(trx: Transaction<RecordsDatabase>, ind: IndicatorInput, path: string) {
  const stored = await trx
    .selectFrom('indicators')
    .select(['id', 'baseline_value', 'baseline_period', 'lop_target', 'change_reason'])
    .where('code', '=', ind.code)
    .executeTakeFirst();
  if (!stored || (ind.change_reason && ind.change_reason !== stored.change_reason)) return;
  const [targets, results] = await Promise.all([
    trx
      .selectFrom('targets')
      .select(['period_code', 'place', 'value'])
      .where('indicator_id', '=', stored.id)
      .execute(),
    trx.selectFrom('results').select('id').where('indicator_id', '=', stored.id).limit(1).execute(),
  ]);
  if (results.length === 0) return;
  const key = (t: { period: string; place: string | null; value: number }) =>
    `${t.period}|${t.place ?? ''}|${t.value}`;
  const before = targets.map((t) => key({ period: t.period_code, place: t.place, value: t.value })).sort();
  const after = (ind.targets ?? [])
    .map((t) => key({ period: t.period, place: t.place ?? null, value: t.value }))
    .sort();
  const moved =
    stored.baseline_value !== (ind.baseline?.value ?? null) ||
    stored.baseline_period !== (ind.baseline?.period ?? null) ||
    stored.lop_target !== (ind.lop_target ?? null) ||
    before.join('\n') !== after.join('\n');
  if (moved)
    throw new ValidationError([
      textIssue(`${path}.change_reason`, 'validation.workspace.changeReason', { code: ind.code }),
    ]);
}

/** Organisations ordered so that a parent declared in the same file is written before its children. */
function parentsFirst(orgs: OrganisationInput[]): OrganisationInput[] {
  const byCode = new Map(orgs.map((o) => [o.code, o]));
  const out: OrganisationInput[] = [];
  const seen = new Set<string>();
  const visit = (o: OrganisationInput, trail: Set<string>) => {
    if (seen.has(o.code)) return;
    if (trail.has(o.code))
      throw new ValidationError([
        textIssue('organisations', 'validation.records.parentCycle', { code: o.code }),
      ]);
    trail.add(o.code);
    const parent = o.parent ? byCode.get(o.parent) : undefined;
    if (parent) visit(parent, trail);
    seen.add(o.code);
    out.push(o);
  };
  for (const o of orgs) visit(o, new Set());
  return out;
}
