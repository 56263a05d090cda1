/**
 * Who is asking: nobody signed in (`null`), an official of one country and agency (an API token), or
 * the operator of the data directory (the CLI), who sees and may do everything.
 * @module
 */
import type { Country } from '../domain/common-schema.js';

/** An authenticated official: a person of one country's agency. */
export interface Official {
  user: string;
  country: Country;
  agency: string;
}

/** The reader or writer of a request: anonymous (`null`) or an official. */
export type Viewer = Official | null;

/** The CLI runs with the data directory's owner rights. Its agency `*` marks it. */
export const OPERATOR: Official = { user: 'operator', country: 'MX', agency: '*' };

export const isOperator = (viewer: Viewer): boolean => viewer !== null && viewer.agency === '*';
