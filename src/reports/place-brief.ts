/**
 * The content of a place brief: what the statistics say about a Mexican state or municipality (or the
 * country) — the same figures as its profile page, from `places/place-statistics.ts` — and the programs
 * active there that the requester may see: those located in the place, in its state, in one of its
 * municipalities, or country-wide. A period ends the figures at the calendar year it ends in; a period
 * before the data gives empty sections, which the brief says are empty. A code the statistics store does
 * not know is refused with the nearest codes it does know.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import type { Classification } from '../domain/common-schema.js';
import { placeChecker } from '../domain/place-check.js';
import { parsePeriod } from '../domain/periods.js';
import { ValidationError, textIssue } from '../error.js';
import { placeStatistics, type PlaceStatistics } from '../places/place-statistics.js';
import type { RecordsStore } from '../records/database.js';
import { listPrograms } from '../records/program-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import { highestClassification } from './report-classification.js';

type Bilingual = { en: string; es: string };

/** How a program reaches the place: there, its state as a whole, within it, or the whole country. */
export type ProgramReach = 'place' | 'state' | 'within' | 'country';

export interface PlaceProgram {
  code: string;
  title: Bilingual;
  status: string;
  start: string | null;
  end: string | null;
  reach: ProgramReach;
  locations: string[];
  classification: Classification;
}

export interface PlaceBrief {
  subject: 'place';
  classification: Classification;
  statistics: PlaceStatistics;
  /** The last year shown, when the request named a period. */
  until: string | null;
  programs: PlaceProgram[];
}

/** How a program located at `locations` reaches `code` (whose state is `state`), or undefined. */
export function programReach(locations: string[], code: string, state: string): ProgramReach | undefined {
  if (locations.includes(code)) return 'place';
  if (code !== state && locations.includes(state)) return 'state';
  // Within a state: one of its municipalities; within the country: one of its states or municipalities
  // (INEGI codes), never a place of another country.
  const inside = (l: string) =>
    code === 'MX' ? /^\d{2}(\d{3})?$/.test(l) : l.length > code.length && l.startsWith(code);
  if (locations.some(inside)) return 'within';
  if (locations.includes('MX')) return 'country';
  return undefined;
}

const REACH_ORDER: ProgramReach[] = ['place', 'within', 'state', 'country'];

/**
 * The place `code` names, if the statistics store knows it and it is Mexican (the country, or a place
 * whose chain of parents reaches it); else a ValidationError with the nearest codes the store knows.
 */
export async function mexicanPlace(stats: StatsStore, code: string) {
  const meta = await stats.metadata();
  const place = meta.places.get(code);
  let inMexico = code === 'MX';
  for (let p = place; p && !inMexico; p = p.parent ? meta.places.get(p.parent) : undefined)
    inMexico = p.parent === 'MX';
  if (place && inMexico) return place;
  const issue =
    placeChecker(meta.places)(code, 'place') ??
    textIssue('place', place ? 'reports.placeNotMexico' : 'reports.placeUnknown', { place: code });
  throw new ValidationError([issue], 'report');
}

/** The brief of `placeCode` as `viewer` may read it, up to `periodCode`'s end when given. */
export async function placeBrief(
  store: RecordsStore,
  stats: StatsStore,
  viewer: Viewer,
  placeCode: string,
  periodCode?: string,
): Promise<PlaceBrief> {
  const place = await mexicanPlace(stats, placeCode);
  const period = periodCode === undefined ? undefined : parsePeriod(periodCode);
  if (periodCode !== undefined && !period) throw new TypeError(`not a period: ${periodCode}`);
  const until = period ? period.end.slice(0, 4) : undefined;
  const [statistics, programs] = await Promise.all([
    placeStatistics(stats, place, until ? { until } : {}),
    listPrograms(store, viewer),
  ]);
  const active: PlaceProgram[] = [];
  for (const p of programs) {
    const reach = programReach(p.locations, placeCode, statistics.state);
    // A program that ended before the period began was not active in it.
    if (!reach || (period && p.end !== null && p.end < period.start)) continue;
    if (period && p.start !== null && p.start > period.end) continue;
    active.push({
      code: p.code,
      title: p.title,
      status: p.status,
      start: p.start,
      end: p.end,
      reach,
      locations: p.locations,
      classification: p.classification,
    });
  }
  active.sort(
    (a, b) => REACH_ORDER.indexOf(a.reach) - REACH_ORDER.indexOf(b.reach) || a.code.localeCompare(b.code),
  );
  return {
    subject: 'place',
    classification: highestClassification(active.map((p) => p.classification)),
    statistics,
    until: until ?? null,
    programs: active,
  };
}
