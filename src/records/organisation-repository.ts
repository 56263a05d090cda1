/**
 * The organisations (agencies) records and tokens may belong to.
 * @module
 */
import type { RecordsStore } from './database.js';

/** Every organisation's code, for checking that an owner's agency exists. */
export async function organisationCodes(store: RecordsStore): Promise<Set<string>> {
  const rows = await store.db.selectFrom('organisations').select('code').execute();
  return new Set(rows.map((r) => r.code));
}
