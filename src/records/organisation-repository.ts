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
