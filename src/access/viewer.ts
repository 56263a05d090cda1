/**
 * Who is asking: nobody signed in (`null`), an official of one country's agency holding some roles (an
 * API token or a signed-in user), or the operator of the data directory (the CLI), who holds every role.
 * @module
 */
import type { Country } from '../domain/common-schema.js';

/**
 * What an official may do, beyond reading public records (`docs/security.md` has the matrix):
 * - `viewer`: reads official-use records, and its own country's restricted ones;
 * - `reporter`: drafts and submits its own agency's records and results;
 * - `approver`: approves or returns the counterpart country's submitted results;
 * - `data_steward`: imports statistics, rolls vintages back, manages interventions and evaluations;
 * - `admin`: users, organisations, tokens and period locks of its own country.
 * Every role reads what a viewer reads.
 */
export const ROLES = ['viewer', 'reporter', 'approver', 'data_steward', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated official: a person of one country's agency, with roles. */
export interface Official {
  user: string;
  country: Country;
  agency: string;
  roles: readonly Role[];
}

/** The reader or writer of a request: anonymous (`null`) or an official. */
export type Viewer = Official | null;

/** The CLI runs with the data directory's owner rights. Its agency `*` marks it. */
export const OPERATOR: Official = { user: 'operator', country: 'MX', agency: '*', roles: ROLES };

export const isOperator = (viewer: Viewer): boolean => viewer !== null && viewer.agency === '*';

/** Whether `viewer` holds `role` (the operator holds every role). */
export const hasRole = (viewer: Viewer, role: Role): boolean =>
  viewer !== null && (isOperator(viewer) || viewer.roles.includes(role));
