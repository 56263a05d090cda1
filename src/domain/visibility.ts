/**
 * Who may read a record, by its classification: the public sees public records; a signed-in official
 * also sees "official use" records; "restricted" records are visible only to officials of the owning
 * country.
 * @module
 */
import type { Classification, Country } from './common-schema.js';

/** The reader of a request: anonymous (`null`) or an authenticated official. */
export type Viewer = { user: string; country: Country; agency: string } | null;

/** The CLI runs with the data directory's owner rights: it sees everything. */
export const OPERATOR: Viewer = { user: 'operator', country: 'MX', agency: '*' };

export function canSee(
  viewer: Viewer,
  record: { classification: Classification; country: Country },
): boolean {
  if (record.classification === 'public') return true;
  if (viewer === null) return false;
  if (viewer.agency === '*') return true;
  if (record.classification === 'official_use') return true;
  return record.country === viewer.country;
}
