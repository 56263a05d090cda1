/**
 * User administration as the API (`/api/v1/users`) and the administration page do it: an admin lists,
 * creates, re-passwords and disables the users of their own country (the operator, either country's).
 * Another country's user is as invisible as a missing one.
 * @module
 */
import { assertCanManageTokens } from '../access/rules.js';
import { isOperator, type Official, type Role } from '../access/viewer.js';
import type { Country } from '../domain/common-schema.js';
import { NotFoundError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { disableUser, listUsers, type UserFields, type UserInfo } from '../records/user-repository.js';
import { changePassword, createAccount } from './users.js';

type Write = { actor: string; now?: (() => Date) | undefined };

/** The users `admin` manages, by user name. */
export const usersOf = (store: RecordsStore, admin: Official): Promise<UserInfo[]> =>
  listUsers(store, { country: isOperator(admin) ? null : admin.country });

/** The user `id` of `admin`'s country, or 404 (`hint` says where to list them). */
export async function ownUser(
  store: RecordsStore,
  admin: Official,
  id: number,
  hint: string,
): Promise<UserInfo> {
  const [found] = await listUsers(store, { id });
  if (!found || (!isOperator(admin) && found.country !== admin.country))
    throw new NotFoundError('user', String(id), { key: hint });
  return found;
}

/** Creates a user of `admin`'s country with a first password. */
export function openAccount(
  store: RecordsStore,
  admin: Official,
  request: { user: string; name: string; country: Country; agency: string; roles: Role[] },
  password: string,
  write: Write,
  fields: UserFields & { password: string },
) {
  assertCanManageTokens(admin, { country: request.country }, { entity: 'user', key: request.user });
  return createAccount(store, request, password, write.actor, fields, write.now);
}

/** Sets the password of user `id` of `admin`'s country: clears a lockout and ends the user's sessions. */
export async function resetPassword(
  store: RecordsStore,
  admin: Official,
  id: number,
  password: string,
  write: Write,
  field: string,
  hint: string,
) {
  const user = await ownUser(store, admin, id, hint);
  return changePassword(store, user.id, password, write.actor, field, write.now);
}

/** Disables user `id` of `admin`'s country: no more sign-ins, and the open sessions end. */
export async function disableAs(
  store: RecordsStore,
  admin: Official,
  id: number,
  write: Write,
  hint: string,
) {
  const user = await ownUser(store, admin, id, hint);
  return disableUser(store, user.id, write.actor, write.now);
}
