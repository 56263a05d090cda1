/**
 * What makes a series query impossible, found before it runs: a window that ends before it starts, a
 * place the geography spine does not know (with the nearest codes it does), and a filter naming a
 * dimension or value the measure's data do not have (with the ones they do). Each is an issue with the
 * field's name, so the query is refused with a 4xx status or a non-zero exit instead of answering "no
 * data".
 * @module
 */
import { nearest, placeChecker } from '../../domain/place-check.js';
import { textIssue, type Issue } from '../../error.js';
import type { StatsMetadata, StatsStore } from '../stats-store.js';
import { measureDimensions } from './dimensions.js';

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
      textIssue('to', 'query.toBeforeFrom', { to: JSON.stringify(q.to), from: JSON.stringify(q.from) }),
    );
  // Places are checked only where the spine knows that level (the INEGI catalogue may not be imported).
  const unknown = placeChecker(meta.places);
  for (const geo of q.geo ?? []) {
    const found = unknown(geo, 'geo');
    if (found) issues.push(found);
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
            ? textIssue(`filter.${name}`, 'query.noDimension', {
                measure: q.measure,
                name: JSON.stringify(name),
                names: names.join(', '),
              })
            : textIssue(`filter.${name}`, 'query.noDimensions', { measure: q.measure }),
        );
      else if (!values.includes(value))
        issues.push(
          textIssue(`filter.${name}`, 'query.notAValue', {
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
