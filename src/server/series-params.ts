/**
 * The series query from URL parameters, shared by `GET /api/v1/series` and the explorer page, so that a
 * page's view, its CSV download and the API answer are the same query.
 * @module
 */
import { ValidationError } from '../error.js';
import type { SeriesQuery } from '../stats/series.js';

/**
 * `name:value,name:value` pairs of a URL parameter (`filter`, an import's `param`), refused with the
 * parameter's name when a pair has no name.
 */
export function pairsFromParam(text: string | undefined, parameter: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of text?.split(',') ?? []) {
    const i = pair.indexOf(':');
    if (i <= 0)
      throw new ValidationError([
        { path: parameter, message: `${JSON.stringify(pair)}: expected name:value` },
      ]);
    pairs[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return pairs;
}

/** `filter=dim:value,dim:value`, `geo=A,B`, `per=100000`, `annualize=true`, the rest as given. */
export function seriesQueryFromParams(query: Record<string, unknown>): SeriesQuery {
  const text = (name: string) => {
    const v = query[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const filters = pairsFromParam(text('filter'), 'filter');
  const per = text('per');
  if (per !== undefined && !/^\d{1,9}$/.test(per))
    throw new ValidationError([{ path: 'per', message: 'expected a whole number such as 100000' }]);
  return {
    measure: text('measure') ?? '',
    ...(text('geo')
      ? {
          geo: text('geo')!
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean),
        }
      : {}),
    ...(text('level') ? { level: text('level') as 'state' | 'municipality' } : {}),
    ...(text('within') ? { within: text('within')! } : {}),
    ...(text('by') ? { by: text('by') as 'year' } : {}),
    ...(text('from') ? { from: text('from')! } : {}),
    ...(text('to') ? { to: text('to')! } : {}),
    ...(per ? { per: Number(per) } : {}),
    ...(text('annualize') === 'true' ? { annualize: true } : {}),
    ...(Object.keys(filters).length ? { filters } : {}),
    ...(text('source') ? { source: text('source')! } : {}),
  };
}
