/**
 * Loads a workspace document into the records store in one transaction. A load validates everything
 * first (schema, references, locks) and writes nothing when anything is wrong.
 * @module
 */
import type { Transaction } from 'kysely';
import { ValidationError, type Issue, textIssue } from '../error.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import {
  checkWorkspace,
  lockedResultFingerprint,
  lockedTargetFingerprint,
  resultKey,
  type KnownRecords,
} from '../domain/workspace-check.js';
import type { SpinePlace } from '../domain/place-check.js';
import { Workspace } from '../domain/workspace-schema.js';
import type { RecordsStore } from './database.js';
import { addedAccountsIn, exchangeRatesIn } from './funding-repository.js';
import { withinLockedPeriod } from './period-locks.js';
import type { RecordsDatabase } from './schema.js';
import { writeTransaction, type WriteOptions } from './transaction.js';
import { writeWorkspace, type LoadSummary } from './workspace-write.js';

export interface LoadOptions extends WriteOptions {
  /** Locates a JSON path in the source file, for error messages. */
  locate?: (path: readonly PropertyKey[]) => string;
  /** Name of the input, for error messages. */
  source?: string;
  /** Called as results are written (every 500 and at the end), for progress on large files. */
  onProgress?: (done: number, total: number) => void;
  /**
   * The geography spine to check place codes against (`KnownRecords.places`), from the caller's
   * statistics store; without it, places are checked by format only.
   */
  places?: ReadonlyMap<string, SpinePlace>;
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

/** `issues` with where each is in the source file, when `locate` can tell. */
export function withLocations(
  issues: Issue[],
  locate: LoadOptions['locate'],
  error?: { issues: { path: PropertyKey[]; code?: string; keys?: PropertyKey[] }[] },
): Issue[] {
  if (!locate) return issues;
  // An unknown field is found at its own line, not at the start of the object that holds it.
  const at = (i: number): PropertyKey[] => {
    const z = error?.issues[i];
    if (!z) return [];
    return z.code === 'unrecognized_keys' && z.keys?.length ? [...z.path, z.keys[0]!] : z.path;
  };
  return issues.map((issue, i) => ({
    ...issue,
    location: locate(error ? at(i) : pathParts(issue.path)),
  }));
}

/** `programs[2].indicators[0].code` → `['programs', 2, 'indicators', 0, 'code']`. */
function pathParts(path: string): PropertyKey[] {
  const parts: PropertyKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return parts;
}

/** Reads what a workspace may refer to, inside the load's transaction. */
export async function knownRecords(trx: Transaction<RecordsDatabase>): Promise<KnownRecords> {
  const [orgs, programs, indicators, nodes, periods, lockedResults, lockedTargets, accounts, rates] =
    await Promise.all([
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
      addedAccountsIn(trx),
      exchangeRatesIn(trx),
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
    funding: {
      accounts,
      rates,
    },
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
    const known = { ...(await knownRecords(trx)), ...(options.places ? { places: options.places } : {}) };
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
          issues.push(
            textIssue(`programs[${pi}].indicators[${ii}].targets`, 'validation.records.lockedTarget', {
              period: row.period_code,
            }),
          );
      }
    }),
  );
  return issues;
}
