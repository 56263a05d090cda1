/**
 * For a panel of a page that shows nothing when the statistics store cannot answer: a refusal the store
 * explains (no such measure, a query the data cannot give) becomes "nothing to show"; any other failure is
 * a bug and is thrown, so the page fails instead of hiding it as "no data".
 * @module
 */
import { MarcoError } from '../error.js';

/** Use as `.catch(unlessRefused)`: `null` for a {@link MarcoError}, else rethrows. */
export function unlessRefused(error: unknown): null {
  if (error instanceof MarcoError) return null;
  throw error;
}
