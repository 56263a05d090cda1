/**
 * Read models of programs, indicators (with targets and definition history), results and practices,
 * filtered by what the viewer may see; and single-record updates with optimistic concurrency.
 * @module
 */
import { type Viewer } from '../access/viewer.js';
import { canSee } from '../access/rules.js';
import { writeTransaction, type WriteOptions } from './transaction.js';
import type { ColumnType } from 'kysely';
import type { Classification, Country } from '../domain/common-schema.js';
import { ConflictError, NotFoundError, ValidationError, textIssue } from '../error.js';
import { complianceScore, type PracticeRecord } from '../domain/practices.js';
import type { RecordsStore } from './database.js';
import { upsertRecord } from './record-writer.js';
import type { IndicatorTable, ProgramTable } from './schema.js';

type Row<T> = {
  [K in keyof T]: T[K] extends ColumnType<infer S, unknown, unknown> ? S : T[K];
};

export const owner = (r: {
  country: Country;
  agency: string;
  classification: Classification;
  version: number;
  updated_at: string;
  updated_by: string;
}) => ({
  country: r.country,
  agency: r.agency,
  classification: r.classification,
  version: r.version,
  updated_at: r.updated_at,
  updated_by: r.updated_by,
});

function programView(p: Row<ProgramTable>) {
  return {
    code: p.code,
    title: { en: p.title_en, es: p.title_es },
    description: { en: p.description_en, es: p.description_es },
    start: p.start_date,
    end: p.end_date,
    status: p.status,
    implementing: p.implementing,
    funding: p.funding,
    serves: p.serves,
    locations: p.locations,
    iati: p.iati,
    ...owner(p),
  };
}

/** An indicator's reference sheet as the API and the pages give it. */
export function indicatorView(i: Row<IndicatorTable>, program: string) {
  return {
    code: i.code,
    program,
    name: { en: i.name_en, es: i.name_es },
    definition: { en: i.definition_en, es: i.definition_es },
    level: i.level,
    unit: { en: i.unit_en, es: i.unit_es },
    numerator: { en: i.numerator_en, es: i.numerator_es },
    denominator: { en: i.denominator_en, es: i.denominator_es },
    factor: i.factor,
    direction: i.direction,
    disaggregations: i.disaggregations,
    source: i.data_source,
    method: i.method,
    frequency: i.frequency,
    responsible: i.responsible,
    baseline:
      i.baseline_value === null
        ? null
        : { value: i.baseline_value, period: i.baseline_period, source: i.baseline_source },
    lop_target: i.lop_target,
    aggregation: i.aggregation,
    quality_notes: i.quality_notes,
    ...owner(i),
  };
}

export async function listPrograms(store: RecordsStore, viewer: Viewer) {
  const rows = await store.db.selectFrom('programs').selectAll().orderBy('code').execute();
  return rows.filter((r) => canSee(viewer, r)).map(programView);
}

export async function getProgram(store: RecordsStore, viewer: Viewer, code: string) {
  const p = await store.db.selectFrom('programs').selectAll().where('code', '=', code).executeTakeFirst();
  if (!p || !canSee(viewer, p)) throw new NotFoundError('program', code);
  const [indicators, practices, risks, lessons] = await Promise.all([
    store.db.selectFrom('indicators').selectAll().where('program_id', '=', p.id).orderBy('code').execute(),
    store.db.selectFrom('practices').selectAll().where('program_id', '=', p.id).orderBy('practice').execute(),
    store.db.selectFrom('risks').selectAll().where('program_id', '=', p.id).orderBy('code').execute(),
    store.db.selectFrom('lessons').selectAll().where('program_id', '=', p.id).orderBy('code').execute(),
  ]);
  const visiblePractices = practices.filter((x) => canSee(viewer, x));
  return {
    ...programView(p),
    indicators: indicators.filter((i) => canSee(viewer, i)).map((i) => indicatorView(i, p.code)),
    practices: visiblePractices.map((x) => ({
      practice: x.practice,
      state: x.state,
      evidence: x.evidence,
      date: x.assessed_on,
      note: x.note,
      ...owner(x),
    })),
    compliance: complianceScore(
      visiblePractices.map((x) => ({ practice: x.practice as PracticeRecord['practice'], state: x.state })),
    ),
    risks: risks
      .filter((r) => canSee(viewer, r))
      .map((r) => ({
        code: r.code,
        description: { en: r.description_en, es: r.description_es },
        likelihood: r.likelihood,
        impact: r.impact,
        mitigation: r.mitigation,
        owner: r.owner,
        status: r.status,
        ...owner(r),
      })),
    lessons: lessons
      .filter((l) => canSee(viewer, l))
      .map((l) => ({
        code: l.code,
        date: l.recorded_on,
        category: l.category,
        lesson: { en: l.lesson_en, es: l.lesson_es },
        action: l.action,
        ...owner(l),
      })),
  };
}

export async function listIndicators(store: RecordsStore, viewer: Viewer, program?: string) {
  let query = store.db
    .selectFrom('indicators')
    .innerJoin('programs', 'programs.id', 'indicators.program_id')
    .selectAll('indicators')
    .select([
      'programs.code as program_code',
      'programs.classification as program_classification',
      'programs.country as program_country',
    ])
    .orderBy('indicators.code');
  if (program !== undefined) query = query.where('programs.code', '=', program);
  const rows = await query.execute();
  return rows
    .filter(
      (r) =>
        canSee(viewer, r) &&
        canSee(viewer, { classification: r.program_classification, country: r.program_country }),
    )
    .map((r) => indicatorView(r, r.program_code));
}

export async function getIndicator(store: RecordsStore, viewer: Viewer, code: string) {
  const [found] = (await listIndicators(store, viewer)).filter((i) => i.code === code);
  if (!found) throw new NotFoundError('indicator', code);
  const id = (
    await store.db.selectFrom('indicators').select('id').where('code', '=', code).executeTakeFirstOrThrow()
  ).id;
  const [targets, history] = await Promise.all([
    store.db
      .selectFrom('targets')
      .innerJoin('periods', 'periods.code', 'targets.period_code')
      .selectAll('targets')
      .where('indicator_id', '=', id)
      .orderBy('periods.start_date')
      .execute(),
    store.db
      .selectFrom('indicator_versions')
      .selectAll()
      .where('indicator_id', '=', id)
      .orderBy('version')
      .execute(),
  ]);
  return {
    ...found,
    targets: targets
      .filter((t) => canSee(viewer, t))
      .map((t) => ({ period: t.period_code, place: t.place, value: t.value, ...owner(t) })),
    history: history.map((h) => ({
      version: h.version,
      changed_at: h.changed_at,
      changed_by: h.changed_by,
      definition: h.definition,
    })),
  };
}

export interface ProgramPatch {
  version: number;
  title?: { en: string; es: string } | undefined;
  description?: { en?: string | undefined; es?: string | undefined } | undefined;
  status?: ProgramTable['status'] | undefined;
  start?: string | null | undefined;
  end?: string | null | undefined;
}

/** Updates a program's own fields; a stale `version` is refused with a conflict. */
export async function updateProgram(
  store: RecordsStore,
  code: string,
  patch: ProgramPatch,
  options: WriteOptions,
) {
  return writeTransaction(store, options, async (trx, ctx) => {
    const row = await trx.selectFrom('programs').selectAll().where('code', '=', code).executeTakeFirst();
    if (!row) throw new NotFoundError('program', code);
    const values: Record<string, unknown> = {};
    if (patch.title) Object.assign(values, { title_en: patch.title.en, title_es: patch.title.es });
    if (patch.description)
      Object.assign(values, {
        description_en: patch.description.en ?? null,
        description_es: patch.description.es ?? null,
      });
    if (patch.status) values.status = patch.status;
    if (patch.start !== undefined) values.start_date = patch.start;
    if (patch.end !== undefined) values.end_date = patch.end;
    const start = ('start_date' in values ? values.start_date : row.start_date) as string | null;
    const end = ('end_date' in values ? values.end_date : row.end_date) as string | null;
    if (start && end && end < start)
      throw new ValidationError([textIssue('end', 'validation.schema.endBeforeStart')]);
    if (patch.version !== row.version && Object.keys(values).length > 0) {
      // Refuse stale edits even when the values happen to match, so clients learn they were behind.
      throw new ConflictError('program', code, patch.version, row.version);
    }
    const { row: written } = await upsertRecord(trx, ctx, {
      table: 'programs',
      entity: 'program',
      key: code,
      where: { code },
      values,
      expectedVersion: patch.version,
    });
    return programView(written as unknown as Row<ProgramTable>);
  });
}
