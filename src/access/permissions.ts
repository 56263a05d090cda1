/**
 * What a route needs from its caller before its handler runs. Every route of the API and every page
 * declares one of these in its route table; the record-level rules of `rules.ts` then decide each record.
 * @module
 */
import { HttpError } from '../error.js';
import { hasRole, ROLES, type Role, type Viewer } from './viewer.js';

/**
 * - `read`: anyone; what a caller sees is filtered by classification (`canSee`), and anonymous views
 *   count approved results only.
 * - `read:official`: any signed-in official, for exports of everything they may see.
 * - `write:records`: reporters writing their own country's records (programs, workspace documents).
 * - `write:results`: reporters editing or submitting results, approvers approving or returning them.
 * - `lock:periods`: admins locking their own country's reporting periods.
 * - `import:statistics`: data stewards importing official-statistics files or rolling vintages back.
 * - `write:evaluations`: data stewards saving evaluation runs and adding interventions.
 * - `manage:tokens`: admins creating, listing and revoking their own country's tokens.
 * - `manage:organisations`: admins adding or changing their own country's organisations (agencies).
 * - `manage:users`: admins creating, listing and disabling their own country's users, and setting their
 *   passwords.
 * - `manage:webhooks`: admins adding and disabling their own country's webhooks.
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
  'manage:organisations',
  'manage:users',
  'manage:webhooks',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The roles that grant each permission (any one of them); `read` needs none. */
export const PERMISSION_ROLES: Record<Permission, readonly Role[]> = {
  read: [],
  'read:official': ROLES,
  'write:records': ['reporter'],
  'write:results': ['reporter', 'approver'],
  'lock:periods': ['admin'],
  'import:statistics': ['data_steward'],
  'write:evaluations': ['data_steward'],
  'manage:tokens': ['admin'],
  'manage:organisations': ['admin'],
  'manage:users': ['admin'],
  'manage:webhooks': ['admin'],
};

/** Whether a route with this permission needs a signed-in caller. */
export const needsOfficial = (permission: Permission): boolean => permission !== 'read';

/** Whether `viewer` holds a role that grants `permission`. */
export const hasPermission = (viewer: Viewer, permission: Permission): boolean =>
  !needsOfficial(permission) || PERMISSION_ROLES[permission].some((role) => hasRole(viewer, role));

/**
 * Refuses a caller who lacks `permission`: 401 with the way to sign in when nobody is signed in and the
 * route needs an official, 403 naming the roles that would grant it when the caller is signed in.
 */
export function authorize(viewer: Viewer, permission: Permission): void {
  if (viewer === null && needsOfficial(permission))
    throw new HttpError(401, 'unauthorized', { key: 'access.unauthorized', values: {} });
  if (!hasPermission(viewer, permission))
    throw new HttpError(403, 'forbidden', {
      key: 'access.needsRole',
      values: { roles: PERMISSION_ROLES[permission].join(', '), permission },
    });
}
