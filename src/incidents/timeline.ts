/**
 * The events of a timeline: the incidents a viewer may see and the dated interventions (the shipped
 * file's and those officials added), in one place's history and a window of dates, oldest first and
 * numbered, so that a chart can mark each one and a list beside it can say what it was.
 *
 * An event belongs to a place's timeline when it names that place, a place within it, or a place that
 * contains it: the national chart of Mexico shows an incident in Culiacán, and Culiacán's chart shows an
 * incident that names all of Mexico or Sinaloa. The United States and its states are matched the same
 * way; an incident naming both countries is on both.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import { placeWithin } from '../domain/place-tree.js';
import type { IncidentKind } from '../domain/incidents/incident-schema.js';
import { listInterventions } from '../eval/interventions.js';
import type { RecordsStore } from '../records/database.js';
import type { StoredIncident } from '../records/incident-repository.js';
import { visibleIncidents } from './incident-service.js';

type Dated = { date: string; places: string[] };
type IncidentEvent = Dated & { kind: 'incident'; incident: StoredIncident };
type InterventionEvent = Dated & {
  kind: 'intervention';
  intervention: { id: string; type: string; name: string; source: string; addedBy: string };
};

/** One event on a timeline, numbered from 1 in date order. */
export type TimelineEvent = (IncidentEvent | InterventionEvent) & { number: number };

export interface TimelineFilter {
  /** The place whose timeline it is: `MX`, `US`, an INEGI state or municipality, a U.S. state. */
  geo: string;
  from?: string;
  to?: string;
  /** The kinds of incident to show; all when omitted. */
  kinds?: readonly IncidentKind[];
  /** Whether to show interventions (yes when omitted). */
  interventions?: boolean;
}

/**
 * Whether an event naming `places` belongs to the timeline of `geo`: it names `geo`, a place within it,
 * or a place that holds it.
 */
export function onTimelineOf(geo: string, places: readonly string[]): boolean {
  return places.some((p) => placeWithin(p, geo) || placeWithin(geo, p));
}

const within = (date: string, f: TimelineFilter) =>
  (f.from === undefined || date >= f.from) && (f.to === undefined || date <= f.to);

/** The events of `filter.geo`'s timeline that `viewer` may see, oldest first, numbered. */
export async function timelineEvents(
  store: RecordsStore,
  viewer: Viewer,
  filter: TimelineFilter,
): Promise<TimelineEvent[]> {
  const [incidents, interventions] = await Promise.all([
    visibleIncidents(store, viewer, {
      ...(filter.kinds ? { kinds: filter.kinds } : {}),
      ...(filter.from ? { from: filter.from } : {}),
      ...(filter.to ? { to: filter.to } : {}),
    }),
    filter.interventions === false ? [] : listInterventions(store),
  ]);
  const events: (IncidentEvent | InterventionEvent)[] = [
    ...incidents
      .filter((i) => onTimelineOf(filter.geo, i.places))
      .map((incident) => ({
        kind: 'incident' as const,
        date: incident.date,
        places: incident.places,
        incident,
      })),
    ...interventions
      .filter((e) => within(e.date, filter) && onTimelineOf(filter.geo, e.places))
      .map((e) => ({
        kind: 'intervention' as const,
        date: e.date,
        places: e.places,
        intervention: { id: e.id, type: e.type, name: e.name, source: e.source, addedBy: e.added_by },
      })),
  ];
  const key = (e: IncidentEvent | InterventionEvent) =>
    `${e.date}|${e.kind}|${e.kind === 'incident' ? e.incident.code : e.intervention.id}`;
  return events
    .sort((a, b) => (key(a) < key(b) ? -1 : 1))
    .map((e, i): TimelineEvent => ({ ...e, number: i + 1 }));
}
