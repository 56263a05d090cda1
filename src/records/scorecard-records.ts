/**
 * The records a scorecard is computed from: the selected programs (by code or framework node), their
 * indicators, targets, results and monitoring practices, and the framework nodes, each filtered by what
 * the viewer may see. The scoring itself is the indicator service's (`src/indicators/`).
 * @module
 */
import { OPERATOR, type Viewer } from '../access/viewer.js';
import { canSee, canSeeResult, PUBLISHED } from '../access/rules.js';
import { NotFoundError } from '../error.js';
import type { RecordsStore } from './database.js';
import { listNodes } from './framework-repository.js';
import { placeSelector, type PlaceSelection } from '../domain/place-tree.js';

export interface ScorecardSelection {
  program?: string | undefined;
  /** Several programs at once, by code (the IATI export scores them in batches). */
  programs?: readonly string[] | undefined;
  /** A node reference `framework:code`: programs serving it or any node below it. */
  node?: string | undefined;
  /** Whose scorecard: records the viewer may not see are left out (default: everything, for the CLI). */
  viewer?: Viewer;
  /** Targets and results of these places only (`within=08`: Chihuahua and its municipalities). */
  places?: PlaceSelection | undefined;
  /** Count published results only (approved or locked), whoever the viewer (threshold notices). */
  publishedOnly?: boolean;
  /** Leave these results out: the scorecard as it stood before they were approved. */
  withoutResults?: ReadonlySet<number>;
}

/** Reads the selected records in four queries; a program or node that does not exist is a 404. */
export async function readScorecardRecords(store: RecordsStore, options: ScorecardSelection = {}) {
  const db = store.db;
  const allNodes = await listNodes(store);
  let selectedNodes = allNodes;
  if (options.node !== undefined) {
    if (!allNodes.some((n) => n.ref === options.node))
      throw new NotFoundError('framework node', options.node);
    const below = new Set([options.node]);
    for (const n of allNodes) if (n.parent !== null && below.has(n.parent)) below.add(n.ref); // definition order: parents first
    selectedNodes = allNodes.filter((n) => below.has(n.ref));
  }
  const nodeSet = new Set(selectedNodes.map((n) => n.ref));

  let programQuery = db.selectFrom('programs').selectAll().orderBy('code');
  if (options.program !== undefined) programQuery = programQuery.where('code', '=', options.program);
  if (options.programs !== undefined)
    programQuery = programQuery.where('code', 'in', ['', ...options.programs]);
  const viewer = options.viewer === undefined ? OPERATOR : options.viewer;
  const visible = <
    T extends { classification: 'public' | 'official_use' | 'restricted'; country: 'US' | 'MX' },
  >(
    rows: T[],
  ) => rows.filter((row) => canSee(viewer, row));
  let programs = visible(await programQuery.execute());
  if (options.program !== undefined && programs.length === 0)
    throw new NotFoundError('program', options.program);
  if (options.node !== undefined) programs = programs.filter((p) => p.serves.some((ref) => nodeSet.has(ref)));
  const ids = programs.map((p) => p.id);

  const none = [-1];
  const [indicators, targets, results, practices] = await Promise.all([
    db
      .selectFrom('indicators')
      .selectAll()
      .where('program_id', 'in', ids.length ? ids : none)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('targets')
      .innerJoin('indicators', 'indicators.id', 'targets.indicator_id')
      .select([
        'targets.indicator_id',
        'targets.period_code',
        'targets.place',
        'targets.value',
        'targets.classification',
        'targets.country',
      ])
      .where('indicators.program_id', 'in', ids.length ? ids : none)
      .execute(),
    db
      .selectFrom('results')
      .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
      .select([
        'results.id',
        'results.indicator_id',
        'results.period_code',
        'results.place',
        'results.disaggregation',
        'results.value',
        'results.numerator',
        'results.denominator',
        'results.classification',
        'results.country',
        'results.status',
      ])
      .where('indicators.program_id', 'in', ids.length ? ids : none)
      .execute()
      // Anonymous scorecards count published results only (approved or locked); an owner's scorecard
      // also counts its drafts and submissions, and marks the periods they enter as provisional.
      .then((rows) =>
        rows.filter(
          (r) =>
            canSeeResult(viewer, r) &&
            (!options.publishedOnly || (PUBLISHED as readonly string[]).includes(r.status)) &&
            !options.withoutResults?.has(r.id),
        ),
      ),
    db
      .selectFrom('practices')
      .selectAll()
      .where('program_id', 'in', ids.length ? ids : none)
      .execute(),
  ]).then(([i, t, r, p]) => {
    // A target for no place in particular covers every place, so also the selected ones; a target or
    // result of a place outside the selection is left out.
    const selected = placeSelector(options.places ?? {});
    const here = <T extends { place: string | null }>(rows: T[]) =>
      rows.filter((row) => row.place === null || selected(row.place));
    return [visible(i), here(visible(t)), here(visible(r)), visible(p)] as const;
  });
  return { nodes: selectedNodes, nodeSet, programs, indicators, targets, results, practices };
}

export type ScorecardRecords = Awaited<ReturnType<typeof readScorecardRecords>>;
