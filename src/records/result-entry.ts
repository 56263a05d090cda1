/**
 * Entering a new result: one indicator's value for a period, a place and a disaggregation, written in one
 * audited transaction. The indicator, its period and any lock on that period are read in the write's own
 * transaction, so the rules judge the records as they stand: the indicator must be one the writer may see
 * and report for, the period declared, suited to the indicator's frequency and not locked, the dimensions
 * declared by the indicator, and the result not entered before. The result is owned like its indicator.
 * Also the choices a result-entry form offers for an indicator.
 * @module
 */
import { sql } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import { canSee } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import type { Classification, Country } from '../domain/common-schema.js';
import { examplePeriods, periodSuits, type NewResult } from '../domain/result-entry.js';
import { settledNumbers } from '../domain/result-value.js';
import { disaggregationKey, resultKey } from '../domain/workspace-check.js';
import { ConflictError, RefusedError, ValidationError, textIssue, type Issue } from '../error.js';
import type { RecordsStore } from './database.js';
import { attachIn, type StoredEvidence } from './evidence-store.js';
import { upsertRecord } from './record-writer.js';
import { lockingPeriodCode, withinLockedPeriod } from './period-locks.js';
import { indicatorView } from './program-repository.js';
import type { RecordsDatabase } from './schema.js';
import { writeTransaction, type WriteOptions } from './transaction.js';
import type { Kysely } from 'kysely';

/** The indicator a result is entered for, as the rules judge it. */
export interface EntryIndicator {
  code: string;
  country: Country;
  agency: string;
  classification: Classification;
}

/**
 * Who is entering, and what they may do: `viewer` must see the indicator (else it is unknown to them),
 * and `authorize` checks their right to report for it, throwing to refuse. `place` checks a place code
 * against the geography spine, when the caller has one.
 */
export interface ResultCreator {
  viewer: Viewer;
  authorize(indicator: EntryIndicator): void;
  place?: ((code: string, path: string) => Issue | undefined) | undefined;
}

/** The columns of an indicator (and its program) that the rules of a new result read. */
export const ENTRY_INDICATOR_COLUMNS = [
  'indicators.id',
  'indicators.code',
  'indicators.country',
  'indicators.agency',
  'indicators.classification',
  'indicators.frequency',
  'indicators.aggregation',
  'indicators.disaggregations',
  'indicators.factor',
  'programs.classification as program_classification',
  'programs.country as program_country',
] as const;

function indicatorQuery(db: Kysely<RecordsDatabase>) {
  return db
    .selectFrom('indicators')
    .innerJoin('programs', 'programs.id', 'indicators.program_id')
    .selectAll('indicators')
    .select([
      'programs.code as program',
      'programs.title_en as program_title_en',
      'programs.title_es as program_title_es',
      'programs.locations as program_locations',
      'programs.classification as program_classification',
      'programs.country as program_country',
    ]);
}

type IndicatorRow = Awaited<ReturnType<ReturnType<typeof indicatorQuery>['execute']>>[number];

const visibleIndicator = (
  viewer: Viewer,
  r: Pick<IndicatorRow, 'classification' | 'country' | 'program_classification' | 'program_country'>,
) =>
  canSee(viewer, r) &&
  canSee(viewer, { classification: r.program_classification, country: r.program_country });

/**
 * Creates one result and returns its id. Refuses, changing nothing: an indicator the writer cannot see
 * (422, at `indicator`), a writer who may not report for it (403), an undeclared period or one of another
 * frequency (422, at `period`), a place the spine does not know (422, at `place`), a dimension the
 * indicator does not declare (422), numbers that do not settle (422), a locked period (409) and a result
 * entered before (409, naming its id). `files` are attached as its evidence in the same transaction.
 */
export async function createResult(
  store: RecordsStore,
  input: NewResult,
  options: WriteOptions,
  creator: ResultCreator,
  files: readonly StoredEvidence[] = [],
): Promise<{ id: number; key: string; version: number }> {
  return writeTransaction(store, options, async (trx, ctx) => {
    // The indicator's fields that the rules read, and the period, in one round trip: each query is a
    // turn of the embedded store, and each column of the sheet it does not need is parsed for nothing.
    const found = await trx
      .selectFrom('indicators')
      .innerJoin('programs', 'programs.id', 'indicators.program_id')
      .select(ENTRY_INDICATOR_COLUMNS)
      .select((eb) =>
        jsonObjectFrom(
          eb
            .selectFrom('periods')
            .select((pe) => [
              sql<string>`periods.start_date::text`.as('start'),
              sql<string>`periods.end_date::text`.as('end'),
              lockingPeriodCode(pe),
            ])
            .where('periods.code', '=', input.period),
        ).as('period'),
      )
      .where('indicators.code', '=', input.indicator)
      .executeTakeFirst();
    if (!found || !visibleIndicator(creator.viewer, found))
      throw new ValidationError([
        textIssue('indicator', 'validation.workspace.unknownIndicator', {
          code: JSON.stringify(input.indicator),
        }),
      ]);
    const { period, ...indicator } = found;
    creator.authorize(indicator);
    const issues: Issue[] = [];
    if (!period)
      issues.push(
        textIssue('period', 'validation.records.periodUndeclared', { period: JSON.stringify(input.period) }),
      );
    else if (!periodSuits(indicator, period))
      issues.push(
        textIssue('period', 'validation.records.periodFrequency', {
          code: indicator.code,
          period: input.period,
          example: examplePeriods(indicator.frequency),
        }),
      );
    const unknownPlace = creator.place?.(input.place, 'place');
    if (unknownPlace) issues.push(unknownPlace);
    for (const dimension of Object.keys(input.disaggregation ?? {}))
      if (!indicator.disaggregations.includes(dimension))
        issues.push(
          textIssue(
            `disaggregation.${dimension}`,
            indicator.disaggregations.length
              ? 'validation.workspace.notDisaggregatedDeclares'
              : 'validation.workspace.notDisaggregated',
            {
              code: indicator.code,
              dimension: JSON.stringify(dimension),
              declared: indicator.disaggregations.join(', '),
            },
          ),
        );
    if (issues.length > 0) throw new ValidationError(issues);
    const dkey = disaggregationKey(input.disaggregation);
    const key = resultKey(indicator.code, input.period, input.place, dkey);
    if (period?.locked_period)
      throw new RefusedError(
        { key: 'records.periodLocked', values: { key, period: period.locked_period } },
        'period_locked',
      );
    const numbers = settledNumbers(
      {
        value: input.value ?? null,
        numerator: input.numerator ?? null,
        denominator: input.denominator ?? null,
      },
      indicator.factor,
      input.value,
    );
    const where = {
      indicator_id: indicator.id,
      period_code: input.period,
      place: input.place,
      disaggregation_key: dkey,
    };
    const owned = {
      country: indicator.country,
      agency: indicator.agency,
      classification: indicator.classification,
    };
    // Inserted without reading first: a result entered before makes the insert do nothing.
    const row = await upsertRecord(trx, ctx, {
      table: 'results',
      entity: 'result',
      key,
      where,
      values: {
        disaggregation: input.disaggregation ?? {},
        ...numbers,
        comment: input.comment ?? null,
        evidence: input.evidence ?? null,
        status: input.status ?? 'draft',
        ...owned,
      },
      createOnly: true,
    }).then(
      (written) => written.row,
      async (error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
        const before = await trx
          .selectFrom('results')
          .select(['id', 'version'])
          .where('indicator_id', '=', where.indicator_id)
          .where('period_code', '=', where.period_code)
          .where('place', '=', where.place)
          .where('disaggregation_key', '=', where.disaggregation_key)
          .executeTakeFirstOrThrow();
        throw new ConflictError('result', key, 0, before.version, {
          key: 'records.resultExists',
          values: { key, id: before.id },
        });
      },
    );
    const id = row.id as number;
    await attachIn(trx, ctx, { id, key, ...owned }, files);
    return { id, key, version: row.version as number };
  });
}

/** What a result-entry form offers for one indicator. */
export interface EntryChoices {
  indicator: ReturnType<typeof indicatorView> & { programTitle: { en: string; es: string } };
  /** Declared, unlocked periods that suit the indicator's frequency, latest first. */
  periods: string[];
  /** The program's locations, then the indicator's country: the places results are usually for. */
  places: string[];
  /** Categories already used per dimension, for suggestions. */
  categories: Record<string, string[]>;
}

/** The choices of the entry form for indicator `code`, or undefined when `viewer` cannot see it. */
export async function entryChoices(
  store: RecordsStore,
  viewer: Viewer,
  code: string,
): Promise<EntryChoices | undefined> {
  const r = await indicatorQuery(store.db).where('indicators.code', '=', code).executeTakeFirst();
  if (!r || !visibleIndicator(viewer, r)) return undefined;
  const [periods, used] = await Promise.all([
    store.db
      .selectFrom('periods')
      .select(['code', sql<string>`start_date::text`.as('start'), sql<string>`end_date::text`.as('end')])
      .where((eb) => eb.not(withinLockedPeriod(eb)))
      .orderBy('start_date', 'desc')
      .orderBy('end_date')
      .execute(),
    store.db
      .selectFrom('results')
      .select(sql<string>`disaggregation::text`.as('d'))
      .distinct()
      .where('indicator_id', '=', r.id)
      .execute(),
  ]);
  const categories: Record<string, string[]> = Object.fromEntries(r.disaggregations.map((d) => [d, []]));
  for (const { d } of used)
    for (const [dimension, category] of Object.entries(JSON.parse(d) as Record<string, string>))
      if (categories[dimension] && !categories[dimension].includes(category))
        categories[dimension].push(category);
  for (const list of Object.values(categories)) list.sort();
  return {
    indicator: {
      ...indicatorView(r, r.program),
      programTitle: { en: r.program_title_en, es: r.program_title_es },
    },
    periods: periods.filter((p) => periodSuits(r, p)).map((p) => p.code),
    places: [...new Set([...r.program_locations, r.country])],
    categories,
  };
}

/** The indicators `viewer` may see, with their programs, for choosing one to enter a result for. */
export async function reportableIndicators(store: RecordsStore, viewer: Viewer) {
  const rows = await indicatorQuery(store.db).orderBy('programs.code').orderBy('indicators.code').execute();
  return rows
    .filter((r) => visibleIndicator(viewer, r))
    .map((r) => ({
      code: r.code,
      name: { en: r.name_en, es: r.name_es },
      program: r.program,
      programTitle: { en: r.program_title_en, es: r.program_title_es },
      country: r.country as Country,
      agency: r.agency,
      classification: r.classification as Classification,
    }));
}
