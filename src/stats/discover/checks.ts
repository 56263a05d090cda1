/**
 * What makes a series query impossible, found before it runs: a window that ends before it starts, a
 * place the geography spine does not know (with the nearest codes it does), and a filter naming a
 * dimension or value the measure's data do not have (with the ones they do). Each is an issue with the
 * field's name, so the query is refused with a 4xx status or a non-zero exit instead of answering "no
 * data".
 * @module
 */
import { distance } from 'fastest-levenshtein';
import type { Issue } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { LEVEL_OF } from '../precedence/plan.js';
import type { StatsMetadata, StatsStore } from '../stats-store.js';
import { measureDimensions } from './dimensions.js';

/**
 * The `count` entries of `options` nearest to `wanted`, nearest first: by edit distance, then, for
 * numeric codes, by how far apart the numbers are (08068 is nearer 08067 than 08008).
 */
export function nearest(wanted: string, options: string[], count = 5): string[] {
  const key = wanted.toLowerCase();
  const numeric = /^\d+$/.test(wanted);
  const gap = (o: string) => (numeric && /^\d+$/.test(o) ? Math.abs(Number(o) - Number(wanted)) : 0);
  return options
    .map((o) => ({ o, d: distance(key, o.toLowerCase()), g: gap(o) }))
    .sort((a, b) => a.d - b.d || a.g - b.g || a.o.localeCompare(b.o))
    .slice(0, count)
    .map((x) => x.o);
}

/**
 * Valid values for a message: all of them when few (`total` 0), else the nearest and how many there are
 * (the catalog text adds the count and where to list them all).
 */
function valid(wanted: string, options: string[]): { valid: string; total: number } {
  const shown = options.length <= 12 ? options : nearest(wanted, options);
  return {
    valid: shown.map((o) => JSON.stringify(o)).join(', '),
    total: options.length <= 12 ? 0 : options.length,
  };
}

export async function seriesQueryIssues(
  stats: StatsStore,
  meta: Pick<StatsMetadata, 'places'>,
  q: {
    measure: string;
    geo?: string[] | undefined;
    from?: string | undefined;
    to?: string | undefined;
    filters?: Record<string, string> | undefined;
  },
  span: { from: string; to: string },
): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (q.from && q.to && span.to < span.from)
    issues.push(
      issue('to', 'query.toBeforeFrom', { to: JSON.stringify(q.to), from: JSON.stringify(q.from) }),
    );
  const levels = new Set([...meta.places.values()].map((p) => p.level));
  for (const geo of q.geo ?? []) {
    const level = LEVEL_OF(geo);
    // Places are checked only where the spine knows that level (the INEGI catalogue may not be imported).
    if (meta.places.has(geo) || !levels.has(level)) continue;
    const same = [...meta.places.values()].filter((p) => p.level === level);
    // A municipality's nearest codes are its state's, when the state has any.
    const pool = level === 'municipality' ? same.filter((p) => p.code.startsWith(geo.slice(0, 2))) : same;
    const near = nearest(
      geo,
      (pool.length ? pool : same).map((p) => p.code),
    ).map((code) => `${code} ${meta.places.get(code)?.name ?? ''}`.trim());
    issues.push(issue('geo', 'query.unknownPlace', { geo: JSON.stringify(geo), near: near.join(', ') }));
  }
  const filters = Object.entries(q.filters ?? {});
  if (filters.length > 0) {
    const dims = await measureDimensions(stats, q.measure);
    const names = Object.keys(dims);
    for (const [name, value] of filters) {
      const values = dims[name];
      if (!values)
        issues.push(
          names.length
            ? issue(`filter.${name}`, 'query.noDimension', {
                measure: q.measure,
                name: JSON.stringify(name),
                names: names.join(', '),
              })
            : issue(`filter.${name}`, 'query.noDimensions', { measure: q.measure }),
        );
      else if (!values.includes(value))
        issues.push(
          issue(`filter.${name}`, 'query.notAValue', {
            value: JSON.stringify(value),
            name,
            measure: q.measure,
            ...valid(value, values),
          }),
        );
    }
  }
  return issues;
}

/** An issue with its catalog text, and the English message for logs and the API's `message`. */
function issue(path: string, key: string, values: Record<string, string | number>): Issue {
  return { path, message: translator('en')(key, values), text: { key, values } };
}
