/**
 * Importing a bulk file of results, all or nothing, with an import summary as DHIS2 gives one: how many
 * were imported (new), updated, ignored (the same values as stored), and every conflict with its row and
 * reason. The rules are those of a single result: a row needs an indicator the importer sees and reports
 * for, a declared period of the indicator's frequency that is not locked, a known place, declared
 * dimensions, numbers that settle, and no second row for the same result; a changed approved result goes
 * back to `submitted`. Any conflict refuses the whole file and writes nothing; a dry run reports what an
 * import would do and writes nothing either. Every write is audited, in the one transaction.
 * @module
 */
import { sql } from 'kysely';
import { canSee } from '../../access/rules.js';
import type { Official } from '../../access/viewer.js';
import type { SpinePlace } from '../../domain/place-check.js';
import { examplePeriods, periodSuits } from '../../domain/result-entry.js';
import { settledNumbers } from '../../domain/result-value.js';
import { disaggregationKey, resultKey } from '../../domain/workspace-check.js';
import { MarcoError, EXIT, type Text } from '../../error.js';
import { translator, type Locale } from '../../i18n/index.js';
import type { RecordsStore } from '../../records/database.js';
import { lockingPeriodCode } from '../../records/period-locks.js';
import { ENTRY_INDICATOR_COLUMNS } from '../../records/result-entry.js';
import { insertRecords, upsertRecord } from '../../records/record-writer.js';
import { writeTransaction, type WriteOptions } from '../../records/transaction.js';
import { resultCreator } from '../result-creator.js';
import type { ExchangeRow } from './format.js';

/** Why a row cannot be imported. */
export type ConflictReason =
  | 'unknown_indicator'
  | 'not_allowed'
  | 'unknown_period'
  | 'wrong_frequency'
  | 'period_locked'
  | 'unknown_place'
  | 'undeclared_dimension'
  | 'bad_numbers'
  | 'duplicate'
  | 'stale_version';

export interface Conflict {
  /** Where the row is: `file:line` or `file: results[3]`. */
  where: string;
  key: string;
  reason: ConflictReason;
  /** What is wrong and how to fix it, in the importer's language. */
  message: string;
}

export interface ImportSummary {
  dryRun: boolean;
  rows: number;
  imported: number;
  updated: number;
  ignored: number;
  conflicts: Conflict[];
}

/** A file with conflicts: nothing was written, and the summary says why, row by row. */
export class ImportRefused extends MarcoError {
  readonly code = 'import_refused';
  readonly status = 409;
  readonly exitCode = EXIT.conflict;
  constructor(
    message: Text,
    readonly summary: ImportSummary,
  ) {
    super(message);
  }
  override details() {
    return { summary: this.summary };
  }
}

export interface ImportOptions extends WriteOptions {
  /** The importer: rights are theirs (the CLI's operator may do everything). */
  official: Official;
  locale: Locale;
  /** New results are `submitted` rather than `draft`. */
  submit?: boolean;
  /** The geography spine to check places against, when the caller has the statistics store. */
  places?: ReadonlyMap<string, SpinePlace>;
}

/** Imports `rows` (read by `format.ts`) as one transaction; see the module documentation. */
export async function importResults(
  store: RecordsStore,
  rows: readonly ExchangeRow[],
  options: ImportOptions,
): Promise<ImportSummary> {
  const t = translator(options.locale);
  const creator = resultCreator(options.official, options.places);
  const summary: ImportSummary = {
    dryRun: options.dryRun === true,
    rows: rows.length,
    imported: 0,
    updated: 0,
    ignored: 0,
    conflicts: [],
  };
  return writeTransaction(store, options, async (trx, ctx) => {
    const codes = [...new Set(rows.map((r) => r.indicator))];
    const periodCodes = [...new Set(rows.map((r) => r.period))];
    const [indicators, periods, existing] = await Promise.all([
      codes.length === 0
        ? []
        : trx
            .selectFrom('indicators')
            .innerJoin('programs', 'programs.id', 'indicators.program_id')
            .select(ENTRY_INDICATOR_COLUMNS)
            .where('indicators.code', 'in', codes)
            .execute(),
      periodCodes.length === 0
        ? []
        : trx
            .selectFrom('periods')
            .select((eb) => [
              'periods.code',
              sql<string>`periods.start_date::text`.as('start'),
              sql<string>`periods.end_date::text`.as('end'),
              lockingPeriodCode(eb),
            ])
            .where('periods.code', 'in', periodCodes)
            .execute(),
      codes.length === 0
        ? []
        : trx
            .selectFrom('results')
            .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
            .selectAll('results')
            .select('indicators.code as indicator_code')
            .where('indicators.code', 'in', codes)
            .forUpdate()
            .execute(),
    ]);
    const indicatorBy = new Map(
      indicators
        .filter(
          (i) =>
            canSee(options.official, i) &&
            canSee(options.official, {
              classification: i.program_classification,
              country: i.program_country,
            }),
        )
        .map((i) => [i.code, i]),
    );
    const periodBy = new Map(periods.map((p) => [p.code, p]));
    const stored = new Map(
      existing.map((r) => [resultKey(r.indicator_code, r.period_code, r.place, r.disaggregation_key), r]),
    );
    const seen = new Map<string, string>();
    const plans: (() => Promise<void>)[] = [];
    const creates: Parameters<typeof insertRecords>[4][number][] = [];
    const conflict = (
      row: ExchangeRow,
      key: string,
      reason: ConflictReason,
      values: Record<string, unknown>,
    ) =>
      summary.conflicts.push({
        where: row.where,
        key,
        reason,
        message: t(`exchange.conflict.${reason}`, { ...values, key }),
      });

    for (const row of rows) {
      const dkey = disaggregationKey(row.disaggregation);
      const key = resultKey(row.indicator, row.period, row.place, dkey);
      const indicator = indicatorBy.get(row.indicator);
      if (!indicator) {
        conflict(row, key, 'unknown_indicator', { indicator: row.indicator });
        continue;
      }
      const first = seen.get(key);
      if (first !== undefined) {
        conflict(row, key, 'duplicate', { first });
        continue;
      }
      seen.set(key, row.where);
      const period = periodBy.get(row.period);
      if (!period) {
        conflict(row, key, 'unknown_period', { period: row.period });
        continue;
      }
      if (!periodSuits(indicator, period)) {
        conflict(row, key, 'wrong_frequency', {
          period: row.period,
          indicator: indicator.code,
          example: examplePeriods(indicator.frequency),
        });
        continue;
      }
      const placeIssue = creator.place?.(row.place, 'place');
      if (placeIssue) {
        conflict(row, key, 'unknown_place', { place: row.place });
        continue;
      }
      const undeclared = Object.keys(row.disaggregation).filter(
        (d) => !indicator.disaggregations.includes(d),
      );
      if (undeclared.length > 0) {
        conflict(row, key, 'undeclared_dimension', {
          dimensions: undeclared.join(', '),
          declared: indicator.disaggregations.join(', ') || '—',
        });
        continue;
      }
      let numbers;
      try {
        numbers = settledNumbers(
          { value: row.value, numerator: row.numerator, denominator: row.denominator },
          indicator.factor,
          row.value,
        );
      } catch (error) {
        conflict(row, key, 'bad_numbers', {
          reason: error instanceof MarcoError ? error.messageIn(options.locale) : String(error),
        });
        continue;
      }
      const before = stored.get(key);
      const same =
        before !== undefined &&
        before.value === numbers.value &&
        before.numerator === numbers.numerator &&
        before.denominator === numbers.denominator &&
        (before.comment ?? null) === row.comment &&
        (before.evidence ?? null) === row.evidence;
      // A row with the values stored changes nothing: it is ignored, whoever may write it (an export
      // holds the other country's results too, and imports back unchanged).
      if (same) {
        summary.ignored++;
        continue;
      }
      try {
        creator.authorize(indicator);
      } catch (error) {
        conflict(row, key, 'not_allowed', {
          reason: error instanceof MarcoError ? error.messageIn(options.locale) : String(error),
        });
        continue;
      }
      if (period.locked_period) {
        conflict(row, key, 'period_locked', { period: period.locked_period });
        continue;
      }
      if (before && row.version !== undefined && row.version !== before.version) {
        conflict(row, key, 'stale_version', { version: row.version, current: before.version });
        continue;
      }
      const values = {
        disaggregation: row.disaggregation,
        ...numbers,
        comment: row.comment,
        evidence: row.evidence,
      };
      const owned = {
        country: indicator.country,
        agency: indicator.agency,
        classification: indicator.classification,
      };
      if (!before) {
        summary.imported++;
        creates.push({
          key,
          where: {
            indicator_id: indicator.id,
            period_code: row.period,
            place: row.place,
            disaggregation_key: dkey,
          },
          values: { ...values, status: options.submit ? 'submitted' : 'draft', ...owned },
        });
        continue;
      }
      summary.updated++;
      // A changed approved result goes back for approval, as a single edit sends it.
      const status = before.status === 'approved' ? 'submitted' : before.status;
      plans.push(async () => {
        await upsertRecord(trx, ctx, {
          table: 'results',
          entity: 'result',
          key,
          where: { id: before.id },
          values: { ...values, status },
          existing: before as unknown as Record<string, unknown>,
          expectedVersion: before.version,
        });
      });
    }
    if (summary.conflicts.length > 0) {
      const shown = summary.conflicts.slice(0, 10).map((c) => `  ${c.where}: ${c.message}`);
      throw new ImportRefused(
        {
          key: 'exchange.refused',
          values: {
            conflicts: summary.conflicts.length,
            rows: rows.length,
            list: shown.join('\n') + (summary.conflicts.length > 10 ? '\n  …' : ''),
          },
        },
        { ...summary, imported: 0, updated: 0 },
      );
    }
    await insertRecords(trx, ctx, 'results', 'result', creates);
    for (const plan of plans) await plan();
    return summary;
  });
}
