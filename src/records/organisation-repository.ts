/**
 * The organisations (agencies) records, users and tokens may belong to, each of one country.
 * @module
 */
import type { Country } from '../domain/common-schema.js';
import type { RecordsStore } from './database.js';

/** Every organisation's code and country, for checking that an owner's agency exists in its country. */
export async function organisationCountries(store: RecordsStore): Promise<Map<string, Country>> {
  const rows = await store.db.selectFrom('organisations').select(['code', 'country']).execute();
  return new Map(rows.map((r) => [r.code, r.country]));
}

/** An organisation as the API lists it. */
export interface OrganisationInfo {
  code: string;
  name: { en: string; es: string };
  kind: string;
  parent: string | null;
  country: Country;
  agency: string;
  classification: 'public' | 'official_use' | 'restricted';
  version: number;
}

/** Every organisation, by code. */
export async function listOrganisations(store: RecordsStore): Promise<OrganisationInfo[]> {
  const rows = await store.db.selectFrom('organisations').selectAll().orderBy('code').execute();
  return rows.map((r) => ({
    code: r.code,
    name: { en: r.name_en, es: r.name_es },
    kind: r.kind,
    parent: r.parent_code,
    country: r.country,
    agency: r.agency,
    classification: r.classification,
    version: r.version,
  }));
}
