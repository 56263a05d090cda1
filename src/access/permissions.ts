/**
 * What a route needs from its caller before its handler runs. Every route of the API and every page
 * declares one of these in its route table; the record-level rules of `rules.ts` then decide each record.
 * @module
 */
import { HttpError } from '../error.js';
import { assertCanManageTokens } from './rules.js';
import type { Viewer } from './viewer.js';

/**
 * - `read`: anyone; what a caller sees is filtered by classification (`canSee`), and public views count
 *   approved results only once approvals decide publication.
 * - `read:official`: signed-in officials, for exports of everything they may see.
 * - `write:records`: officials writing their own country's records (programs, workspace documents).
 * - `write:results`: officials editing, submitting or approving results (approval by the counterpart).
 * - `lock:periods`: officials locking their own country's reporting periods.
 * - `import:statistics`: officials importing official-statistics files.
 * - `write:evaluations`: officials saving evaluation runs and adding interventions.
 * - `manage:tokens`: the operator only (the CLI); no route offers it.
 */
export const PERMISSIONS = [
  'read',
  'read:official',
  'write:records',
  'write:results',
  'lock:periods',
  'import:statistics',
  'write:evaluations',
  'manage:tokens',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Whether a route with this permission needs a signed-in caller (a bearer token). */
export const needsOfficial = (permission: Permission): boolean => permission !== 'read';

/**
 * Refuses a caller who lacks `permission`: 401 with the way to sign in when nobody is signed in and the
 * route needs an official, 403 when the caller is signed in but may not.
 */
export function authorize(viewer: Viewer, permission: Permission): void {
  if (viewer === null && needsOfficial(permission))
    throw new HttpError(401, 'unauthorized', { key: 'access.unauthorized', values: {} });
  // Every other permission belongs to any official today; record-level rules decide the rest.
  if (permission === 'manage:tokens') assertCanManageTokens(viewer);
}
