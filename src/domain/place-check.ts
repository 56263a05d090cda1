/**
 * Place codes checked against the geography spine, with the nearest codes it knows: a result, target,
 * linked series or intervention naming a place Marco has never heard of (`08038` for Juárez's `08037`)
 * is refused where it is written, not found empty later. Pure: the caller passes the spine (the
 * statistics store's catalogue). A level the spine holds no place of (municipalities, before the INEGI
 * catalogue is imported) is checked by format only.
 * @module
 */
import { distance } from 'fastest-levenshtein';
import { textIssue, type Issue } from '../error.js';

/** One place of the spine. */
export interface SpinePlace {
  code: string;
  level: string;
  name: string;
}

/** The level a code's format gives: `MX`/`US`, a municipality (5 digits), else a state. */
export const levelOfCode = (code: string): string =>
  code === 'MX' || code === 'US' ? 'country' : /^\d{5}$/.test(code) ? 'municipality' : 'state';

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
 * A checker of place codes against `places`: the issue (at `path`, catalog text `query.unknownPlace`,
 * with the five nearest codes and their names) for a code the spine does not know at a level it holds,
 * else undefined.
 */
export function placeChecker(
  places: ReadonlyMap<string, SpinePlace>,
): (code: string, path: string) => Issue | undefined {
  // Grouped by level on the first unknown code only: most checks find their code at once, and a series
  // query asks on every call.
  let byLevel: Map<string, SpinePlace[]> | undefined;
  const levelOf = (level: string) => {
    if (!byLevel) {
      byLevel = new Map();
      for (const p of places.values()) {
        const list = byLevel.get(p.level);
        if (list) list.push(p);
        else byLevel.set(p.level, [p]);
      }
    }
    return byLevel.get(level);
  };
  return (code, path) => {
    if (places.has(code)) return undefined;
    const level = levelOfCode(code);
    const same = levelOf(level);
    if (!same) return undefined;
    // A municipality's nearest codes are its state's, when the state has any.
    const pool = level === 'municipality' ? same.filter((p) => p.code.startsWith(code.slice(0, 2))) : same;
    const near = nearest(
      code,
      (pool.length ? pool : same).map((p) => p.code),
    ).map((c) => `${c} ${places.get(c)?.name ?? ''}`.trim());
    return textIssue(path, 'query.unknownPlace', { geo: JSON.stringify(code), near: near.join(', ') });
  };
}

/** The issue of each code of `named` (path, code) that the spine does not know; absent codes pass. */
export function placeIssues(
  places: ReadonlyMap<string, SpinePlace>,
  named: readonly (readonly [string, string | undefined])[],
): Issue[] {
  const check = placeChecker(places);
  return named.flatMap(([path, code]) => {
    const issue = code === undefined ? undefined : check(code, path);
    return issue ? [issue] : [];
  });
}
