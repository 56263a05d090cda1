/**
 * A report's classification: the highest of everything it shows (public < official use < restricted),
 * which its banner repeats on every page. A report showing no record is public.
 * @module
 */
import type { Classification } from '../domain/common-schema.js';

const LEVELS: readonly Classification[] = ['public', 'official_use', 'restricted'];

/** The highest of `levels`, or `public` when there are none. */
export function highestClassification(levels: Iterable<Classification>): Classification {
  let top = 0;
  for (const level of levels) top = Math.max(top, LEVELS.indexOf(level));
  return LEVELS[top]!;
}
