/**
 * The interventions an evaluation may use: the file Marco ships (dated military operations and leader
 * captures, with sources) and those officials added to the records store. Adding them checks every event
 * first (an id already taken, built in or added, included) and writes all of them or none.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { ownerIssues } from '../access/rules.js';
import { interventionIssues, type Intervention } from '../domain/interventions.js';
import { placeChecker, type SpinePlace } from '../domain/place-check.js';
import { ValidationError, type Issue, textIssue } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import {
  insertInterventions,
  listAddedInterventions,
  type StoredIntervention,
} from '../records/intervention-repository.js';
import { organisationCountries } from '../records/organisation-repository.js';
import type { WriteOptions } from '../records/transaction.js';

/** The interventions Marco ships (dated military operations and leader captures, with sources). */
export const BUILTIN_INTERVENTIONS = new URL('../../reference/events/interventions.csv', import.meta.url);

/** Fields of a CSV line with quoted fields. */
function fields(line: string): string[] {
  return [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
    .slice(0, -1)
    .map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!));
}

let builtin: Promise<Intervention[]> | undefined;

/** The built-in interventions, read once per process (the file ships with Marco and does not change). */
export function builtinInterventions(): Promise<Intervention[]> {
  builtin ??= readInterventions(BUILTIN_INTERVENTIONS).catch((error: unknown) => {
    builtin = undefined;
    throw error;
  });
  return builtin;
}

/** Reads an interventions file, refusing a bad line with file:line and the reason. */
export async function readInterventions(file: string | URL = BUILTIN_INTERVENTIONS): Promise<Intervention[]> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const name = typeof file === 'string' ? file : file.pathname;
  const header = fields(lines[0] ?? '').join(',');
  if (header !== 'event_id,type,name,date,geo_level,geo_codes,source')
    throw new ValidationError([textIssue(`${name}:1`, 'validation.intervention.header')]);
  const out: Intervention[] = [];
  const issues: { path: string; message: string }[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [id, type, title, date, level, codes, source] = fields(line);
    const event = {
      id: id ?? '',
      type: type ?? '',
      name: title ?? '',
      date: date ?? '',
      level: (level ?? '') as Intervention['level'],
      places: (codes ?? '').split(';').map((c) => c.trim()),
      source: source ?? '',
    };
    const problems = interventionIssues(event, `${name}:${i + 2}`, {
      level: 'geo_level',
      places: 'geo_codes',
    });
    if (problems.length) issues.push(...problems);
    else out.push({ ...event, line: i + 2 });
  });
  if (issues.length) throw new ValidationError(issues, 'interventions file');
  return out;
}

/** The built-in interventions and those added to the store, in date order. */
export async function listInterventions(store: RecordsStore): Promise<StoredIntervention[]> {
  const builtin = (await builtinInterventions()).map(({ line: _line, ...e }) => ({
    ...e,
    added_by: 'built-in',
    country: null,
    agency: null,
  }));
  const added = await listAddedInterventions(store);
  return [...builtin, ...added].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

/** The interventions an evaluation may use: the built-in file and the store's. */
export async function evaluationInterventions(store: RecordsStore): Promise<Intervention[]> {
  return (await listInterventions(store)).map(({ id, type, name, date, level, places, source }) => ({
    id,
    type,
    name,
    date,
    level,
    places,
    source,
  }));
}

/** How `addInterventions` names what it checks, and what it checks places against. */
export interface AddInterventionsOptions {
  /** Where event `index` is, in the input (`[2]`, `file.csv:14`). */
  where?: (index: number) => string;
  /** Fields as the input calls them (the CSV's `geo_level`, `geo_codes`). */
  names?: Partial<Record<keyof Intervention, string>>;
  /** The geography spine: each place code must be in it, at the levels it holds (nearest codes given). */
  places?: ReadonlyMap<string, SpinePlace>;
}

/**
 * Adds interventions in one transaction, for `owner`'s country and agency. Every event is checked
 * first, each problem with its position (`[2].date`) and the reason; an id already taken (built in or
 * added) is refused too, and so is a place the spine does not know. Returns the ids added.
 */
export async function addInterventions(
  store: RecordsStore,
  events: Intervention[],
  owner: { country: 'US' | 'MX'; agency: string },
  write: WriteOptions,
  options: AddInterventionsOptions = {},
): Promise<string[]> {
  const where = options.where ?? ((i: number) => `[${i}]`);
  const names = options.names ?? {};
  const unknownPlace = options.places ? placeChecker(options.places) : undefined;
  if (events.length === 0) throw new ValidationError([textIssue('(root)', 'validation.intervention.none')]);
  const existing = new Set((await listInterventions(store)).map((e) => e.id));
  const seen = new Set<string>();
  const issues = events.flatMap((e, i) => {
    const problems: Issue[] = interventionIssues(e, where(i), names);
    // Codes of the right format that the spine does not know (format problems are reported above).
    if (unknownPlace && problems.length === 0)
      for (const code of e.places) {
        const found = unknownPlace(code, [where(i), names.places ?? 'places'].filter(Boolean).join(' '));
        if (found) problems.push(found);
      }
    if (existing.has(e.id) || seen.has(e.id))
      problems.push(
        textIssue([where(i), names.id ?? 'id'].filter(Boolean).join(' '), 'validation.intervention.idTaken', {
          id: JSON.stringify(e.id),
        }),
      );
    seen.add(e.id);
    return problems;
  });
  issues.push(...ownerIssues(owner, await organisationCountries(store)));
  if (issues.length) throw new ValidationError(issues, 'interventions');
  return insertInterventions(store, events, owner, write);
}
