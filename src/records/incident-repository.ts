/**
 * Incidents in the records store. Every write goes through `upsertRecord`: versioned, audited, and
 * refused when the version the caller saw is stale. An incident is keyed by its code.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { IncidentInput, IncidentKind } from '../domain/incidents/incident-schema.js';
import { upsertRecord, type Ownership, type WriteAction, type WriteContext } from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

type Db = Kysely<RecordsDatabase> | Transaction<RecordsDatabase>;

/** An incident as stored: the input's fields, its owner and its version. */
export interface StoredIncident {
  id: number;
  code: string;
  date: string;
  kind: IncidentKind;
  places: string[];
  title: { en: string; es: string };
  summary: { en: string; es: string };
  sources: string[];
  country: 'US' | 'MX';
  agency: string;
  classification: Ownership['classification'];
  updated_at: string;
  updated_by: string;
  version: number;
}

/** What a list of incidents may be narrowed to; `from` and `to` are inclusive ISO dates. */
export interface IncidentFilter {
  codes?: readonly string[];
  kinds?: readonly IncidentKind[];
  from?: string;
  to?: string;
}

/** The stored incidents, newest first (then by code). */
export async function listIncidents(db: Db, filter: IncidentFilter = {}): Promise<StoredIncident[]> {
  let q = db.selectFrom('incidents').selectAll();
  if (filter.kinds?.length === 0 || filter.codes?.length === 0) return [];
  if (filter.kinds) q = q.where('kind', 'in', [...filter.kinds]);
  if (filter.codes) q = q.where('code', 'in', [...filter.codes]);
  if (filter.from) q = q.where('date', '>=', filter.from);
  if (filter.to) q = q.where('date', '<=', filter.to);
  const rows = await q.orderBy('date', 'desc').orderBy('code').execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    date: r.date,
    kind: r.kind,
    places: r.places,
    title: { en: r.title_en, es: r.title_es },
    summary: { en: r.summary_en, es: r.summary_es },
    sources: r.sources,
    country: r.country,
    agency: r.agency,
    classification: r.classification,
    updated_at: r.updated_at,
    updated_by: r.updated_by,
    version: r.version,
  }));
}

/** A stored incident as a workspace or the API gives it back. */
export function incidentInput(i: StoredIncident): IncidentInput & {
  country: 'US' | 'MX';
  agency: string;
  classification: Ownership['classification'];
} {
  return {
    code: i.code,
    date: i.date,
    kind: i.kind,
    places: i.places,
    title: i.title,
    summary: i.summary,
    sources: i.sources,
    country: i.country,
    agency: i.agency,
    classification: i.classification,
  };
}

/** Writes an incident, keyed by its code; `incident.version` is the version its editor saw. */
export async function saveIncidentIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  incident: IncidentInput,
  owner: Ownership,
): Promise<{ id: number; action: WriteAction }> {
  const existing = await trx
    .selectFrom('incidents')
    .selectAll()
    .where('code', '=', incident.code)
    .forUpdate()
    .executeTakeFirst();
  const { row, action } = await upsertRecord(trx, ctx, {
    table: 'incidents',
    entity: 'incident',
    key: incident.code,
    where: { code: incident.code },
    values: {
      code: incident.code,
      date: incident.date,
      kind: incident.kind,
      places: incident.places,
      title_en: incident.title.en,
      title_es: incident.title.es,
      summary_en: incident.summary.en,
      summary_es: incident.summary.es,
      sources: incident.sources,
      ...owner,
    },
    expectedVersion: incident.version,
    existing: existing as Record<string, unknown> | undefined,
  });
  return { id: row.id as number, action };
}
