/**
 * A dated intervention for impact evaluation (a military operation, a leader's capture, a program's
 * launch) and what makes one valid, wherever it comes from: the shipped file, a CSV an official imports,
 * an API body or CLI flags.
 * @module
 */
import { textIssue, type Issue } from '../error.js';

export interface Intervention {
  id: string;
  type: string;
  name: string;
  date: string;
  level: 'state' | 'municipality';
  places: string[];
  source: string;
  /** The line of the file it was read from, when it was read from a file. */
  line?: number;
}

/**
 * What is wrong with an intervention, each problem with `where` and the field; `names` renames fields as
 * the input calls them (the CSV's `geo_level`, `geo_codes`).
 */
export function interventionIssues(
  e: Intervention,
  where: string,
  names: Partial<Record<keyof Intervention, string>> = {},
): Issue[] {
  const at = (field: keyof Intervention) => [where, names[field] ?? field].filter(Boolean).join(' ');
  const issues: Issue[] = [];
  // Each problem in the catalogs (`validation.intervention.*`): English in `message`, the reader's
  // language wherever the error is shown.
  const add = (field: keyof Intervention, key: string, values: Record<string, string | number> = {}) =>
    issues.push(textIssue(at(field), `validation.intervention.${key}`, values));
  if (!/^[a-z0-9][a-z0-9._-]{0,79}$/.test(e.id)) add('id', 'id', { value: JSON.stringify(e.id) });
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(e.type)) add('type', 'type', { value: JSON.stringify(e.type) });
  if (e.name.length < 1 || e.name.length > 300) add('name', 'name');
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(e.date) ||
    Number.isNaN(Date.parse(e.date)) ||
    new Date(e.date).toISOString().slice(0, 10) !== e.date
  )
    add('date', 'date', { value: JSON.stringify(e.date) });
  if (e.level !== 'state' && e.level !== 'municipality') add('level', 'level');
  else {
    const width = e.level === 'state' ? 2 : 5;
    if (e.places.length === 0 || e.places.some((c) => !new RegExp(`^\\d{${width}}$`).test(c)))
      add('places', names.places ? 'placesSeparated' : 'places', { width });
  }
  if (e.source.length < 1 || e.source.length > 500) add('source', 'source');
  return issues;
}
