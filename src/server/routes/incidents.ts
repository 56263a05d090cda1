/**
 * Bilateral incidents (issue 17): anyone reads the public ones, officials also those for official use,
 * and a country's officials its restricted ones; a reporter saves incidents of their own country and
 * agency, all or none, each audited. `docs/threat-assessment.md` defines the record.
 * @module
 */
import { z } from 'zod';
import { Code, IsoDate, Place } from '../../domain/common-schema.js';
import { Incident, INCIDENT_KINDS } from '../../domain/incidents/incident-schema.js';
import {
  DEFAULT_INCIDENT_CLASSIFICATION,
  incidentFor,
  saveIncidents,
  visibleIncidents,
} from '../../incidents/incident-service.js';
import { Lang, listOf } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

const IncidentQuery = z
  .object({
    kind: listOf(z.enum(INCIDENT_KINDS)),
    place: listOf(Place),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    lang: Lang,
  })
  .strict();

const IncidentsBody = z.object({ incidents: z.array(Incident).min(1).max(1000) }).strict();

export const incidents = route({
  method: 'get',
  path: '/incidents',
  operationId: 'listIncidents',
  response: R.IncidentList,
  tag: 'incidents',
  permission: 'read',
  summary:
    'Bilateral incidents, newest first, as their classification lets the caller see them (anonymous callers: public ones only), narrowed by `kind` and `place` (each one or a comma-separated list) and the dates `from` and `to` (inclusive)',
  query: IncidentQuery,
  handle: ({ store, viewer, query }) =>
    visibleIncidents(store, viewer, {
      ...(query.kind ? { kinds: query.kind } : {}),
      ...(query.place ? { places: query.place } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
    }),
});

export const incident = route({
  method: 'get',
  path: '/incidents/{code}',
  operationId: 'getIncident',
  params: { code: Code },
  response: R.IncidentRecord,
  tag: 'incidents',
  permission: 'read',
  summary: 'One incident, when its classification lets the caller see it (404 otherwise)',
  query: z.object({ lang: Lang }).strict(),
  handle: ({ store, viewer, params }) => incidentFor(store, viewer, params.code),
});

export const saveIncidentsRoute = route({
  method: 'post',
  path: '/incidents',
  operationId: 'saveIncidents',
  response: R.IncidentsSaved,
  tag: 'incidents',
  permission: 'write:records',
  summary:
    'Create or change incidents of your country and agency, keyed by `code`, all or none (422 lists every problem: no source, a date after today, an unknown place, a code given twice). An incident without a `classification` is `official_use`; send the `version` you read to refuse one changed since (409)',
  body: IncidentsBody,
  async handle({ store, stats, viewer, body, write }) {
    const official = viewer!;
    return saveIncidents(
      store,
      official,
      body.incidents,
      { country: official.country, agency: official.agency, classification: DEFAULT_INCIDENT_CLASSIFICATION },
      { ...write, ...(stats ? { places: (await stats.metadata()).places } : {}) },
    );
  },
});
