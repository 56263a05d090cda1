/**
 * The places a list query names (`place`, `within`), checked against the geography spine before anything
 * is read: `/results?place=08038` is a 400 that suggests Juárez's 08037, not an empty list that reads as
 * "no results". Without a statistics store, codes are checked by format only (the query schema's).
 * @module
 */
import { placeIssues } from '../domain/place-check.js';
import { ValidationError } from '../error.js';
import type { StatsStore } from './stats-store.js';

/** Throws a 400 naming each unknown place of `query` with its nearest known codes. */
export async function checkQueryPlaces(
  stats: StatsStore | undefined,
  query: { place?: string | undefined; within?: string | undefined },
): Promise<void> {
  if (!stats || (query.place === undefined && query.within === undefined)) return;
  const issues = placeIssues((await stats.metadata()).places, [
    ['place', query.place],
    ['within', query.within],
  ]);
  if (issues.length) throw new ValidationError(issues, undefined, 'query');
}
