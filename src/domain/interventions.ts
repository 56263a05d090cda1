/**
 * A dated intervention for impact evaluation (a military operation, a leader's capture, a program's
 * launch) and what makes one valid, wherever it comes from: the shipped file, a CSV an official imports,
 * an API body or CLI flags.
 * @module
 */

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
): { path: string; message: string }[] {
  const at = (field: keyof Intervention) => [where, names[field] ?? field].filter(Boolean).join(' ');
  const issues: { path: string; message: string }[] = [];
  if (!/^[a-z0-9][a-z0-9._-]{0,79}$/.test(e.id))
    issues.push({
      path: at('id'),
      message: `expected an id of lower-case letters, digits, ".", "_" or "-" (at most 80), got ${JSON.stringify(e.id)}`,
    });
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(e.type))
    issues.push({
      path: at('type'),
      message: `expected a type such as military_operation or leader_capture, got ${JSON.stringify(e.type)}`,
    });
  if (e.name.length < 1 || e.name.length > 300)
    issues.push({ path: at('name'), message: 'expected a name of 1 to 300 characters' });
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(e.date) ||
    Number.isNaN(Date.parse(e.date)) ||
    new Date(e.date).toISOString().slice(0, 10) !== e.date
  )
    issues.push({ path: at('date'), message: `not a date YYYY-MM-DD: ${JSON.stringify(e.date)}` });
  if (e.level !== 'state' && e.level !== 'municipality')
    issues.push({ path: at('level'), message: 'expected state or municipality' });
  else {
    const width = e.level === 'state' ? 2 : 5;
    if (e.places.length === 0 || e.places.some((c) => !new RegExp(`^\\d{${width}}$`).test(c)))
      issues.push({
        path: at('places'),
        message: `expected ${width}-digit INEGI codes${names.places ? ' separated by ;' : ''}`,
      });
  }
  if (e.source.length < 1 || e.source.length > 500)
    issues.push({
      path: at('source'),
      message: 'expected the source of the event (a citation or a link, up to 500 characters)',
    });
  return issues;
}
