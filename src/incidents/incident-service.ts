/**
 * Incidents as the API, the web forms and the CLI read and change them:
 *
 * - a reporter writes incidents of their own country and agency (the operator, any); a batch is checked
 *   whole (schema, codes given twice, owners, places that exist) and written all or none, each write
 *   audited;
 * - an incident is seen as its classification allows (`canSee`): a public one by everyone, an
 *   official-use one by any official, a restricted one by its own country's officials. An incident the
 *   API or a form creates without a classification is `official_use`: a reporter publishes one on
 *   purpose.
 * @module
 */
import { canSee, ownerIssues, writeGuard } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import { placeChecker, type SpinePlace } from '../domain/place-check.js';
import { placeWithin } from '../domain/place-tree.js';
import type { IncidentInput } from '../domain/incidents/incident-schema.js';
import { NotFoundError, ValidationError, textIssue, type Issue } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import {
  listIncidents,
  saveIncidentIn,
  type IncidentFilter,
  type StoredIncident,
} from '../records/incident-repository.js';
import type { Ownership, WriteAction } from '../records/record-writer.js';
import { writeTransaction, type WriteOptions } from '../records/transaction.js';

/** The classification of an incident whose writer names none. */
export const DEFAULT_INCIDENT_CLASSIFICATION = 'official_use' as const;

export interface IncidentsSaved {
  saved: { code: string; id: number; action: WriteAction }[];
}

/** The places that exist (the statistics store's spine); without them places are checked by format only. */
export type KnownPlaces = ReadonlyMap<string, SpinePlace> | undefined;

/** The problems of a batch that the schema cannot see: a code given twice, a place that does not exist. */
export function incidentBatchIssues(
  incidents: readonly IncidentInput[],
  places: KnownPlaces,
  paths: (i: number) => string,
): Issue[] {
  const issues: Issue[] = [];
  const unknownPlace = places ? placeChecker(places) : undefined;
  const first = new Map<string, number>();
  incidents.forEach((incident, i) => {
    const at = first.get(incident.code);
    if (at !== undefined)
      issues.push(
        textIssue(`${paths(i)}.code`, 'validation.records.incidentTwice', {
          code: incident.code,
          first: paths(at),
        }),
      );
    else first.set(incident.code, i);
    incident.places.forEach((place, j) => {
      const issue = unknownPlace?.(place, `${paths(i)}.places[${j}]`);
      if (issue) issues.push(issue);
    });
  });
  return issues;
}

/**
 * Checks `incidents` against the store and writes them all, or none; `viewer` 'operator' writes for
 * any owner. `owner` gives each incident's owner when it names none; `paths` names each in errors.
 */
export async function saveIncidents(
  store: RecordsStore,
  viewer: Viewer | 'operator',
  incidents: readonly IncidentInput[],
  owner: Ownership,
  write: WriteOptions & { places?: KnownPlaces },
  paths: (i: number) => string = (i) => `incidents[${i}]`,
): Promise<IncidentsSaved> {
  const guard = viewer === 'operator' || viewer === null ? undefined : writeGuard(viewer);
  return writeTransaction(store, { ...write, ...(guard ? { guard } : {}) }, async (trx, ctx) => {
    const stored = new Map(
      (await listIncidents(trx, { codes: [...new Set(incidents.map((i) => i.code))] })).map((i) => [
        i.code,
        i,
      ]),
    );
    // A change that names no classification keeps the stored one: leaving it out never publishes a
    // restricted incident, nor hides a public one.
    const own = (i: IncidentInput): Ownership => ({
      country: i.country ?? owner.country,
      agency: i.agency ?? owner.agency,
      classification: i.classification ?? stored.get(i.code)?.classification ?? owner.classification,
    });
    const issues = incidentBatchIssues(incidents, write.places, paths);
    // The code of an incident the writer may not see is taken, and that is all they learn of it.
    incidents.forEach((incident, i) => {
      const prior = stored.get(incident.code);
      if (prior && viewer !== 'operator' && !canSee(viewer, prior))
        issues.push(
          textIssue(`${paths(i)}.code`, 'validation.records.incidentCodeTaken', { code: incident.code }),
        );
    });
    const agencies = new Map(
      (await trx.selectFrom('organisations').select(['code', 'country']).execute()).map((o) => [
        o.code,
        o.country,
      ]),
    );
    incidents.forEach((incident, i) =>
      issues.push(
        ...ownerIssues(own(incident), agencies, {
          country: `${paths(i)}.country`,
          agency: `${paths(i)}.agency`,
        }),
      ),
    );
    if (issues.length > 0) throw new ValidationError(issues, 'incidents');
    const saved: IncidentsSaved['saved'] = [];
    for (const incident of incidents) {
      const { id, action } = await saveIncidentIn(trx, ctx, incident, own(incident));
      saved.push({ code: incident.code, id, action });
    }
    return { saved };
  });
}

/**
 * The incidents `viewer` may see, narrowed by `filter`, newest first; a place filter keeps the incidents
 * in that place or in a place within it (`08` finds one in `08037`).
 */
export async function visibleIncidents(
  store: RecordsStore,
  viewer: Viewer,
  filter: IncidentFilter & { places?: readonly string[] } = {},
): Promise<StoredIncident[]> {
  const { places, ...rest } = filter;
  return (await listIncidents(store.db, rest)).filter(
    (i) => canSee(viewer, i) && (!places || i.places.some((p) => places.some((q) => placeWithin(p, q)))),
  );
}

/** The incident `code`, when `viewer` may see it; else not found (an unseen incident is not told of). */
export async function incidentFor(
  store: RecordsStore,
  viewer: Viewer,
  code: string,
): Promise<StoredIncident> {
  const [incident] = await listIncidents(store.db, { codes: [code] });
  if (!incident || !canSee(viewer, incident))
    throw new NotFoundError('incident', code, { key: 'notFound.hint.incidents' });
  return incident;
}
