/**
 * Users who sign in to the web pages, managed by admins for their own country (the operator, through
 * the CLI, for either): list, create with a first password, set a new password, disable. Passwords
 * travel in the body, are checked against the policy, hashed with argon2id and never returned, logged
 * or audited. A new password or disabling ends the user's open sessions.
 * @module
 */
import { z } from 'zod';
import { assertCanManageTokens } from '../../access/rules.js';
import { isOperator, ROLES, type Viewer } from '../../access/viewer.js';
import { changePassword, createAccount } from '../../accounts/users.js';
import { Country } from '../../domain/common-schema.js';
import { NotFoundError } from '../../error.js';
import type { RecordsStore } from '../../records/database.js';
import { disableUser, listUsers, type UserInfo } from '../../records/user-repository.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';

const Password = z.string().max(1024);

export const UserBody = z
  .object({
    user: z.string(),
    name: z.string(),
    country: Country,
    agency: z.string(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    password: Password,
  })
  .strict();

export const PasswordBody = z.object({ password: Password }).strict();

const UserId = z.string().regex(/^[1-9]\d{0,9}$/, { message: 'validation.schema.userId' });

/** The user `id` of the admin's own country; another country's user is as invisible as a missing one. */
async function ownUser(store: RecordsStore, viewer: Viewer, id: string): Promise<UserInfo> {
  const [found] = await listUsers(store, { id: Number(id) });
  if (!found || (!isOperator(viewer) && found.country !== viewer!.country))
    throw new NotFoundError('user', id, { key: 'notFound.hint.usersApi' });
  return found;
}

export const users = route({
  method: 'get',
  path: '/users',
  tag: 'users',
  permission: 'manage:users',
  summary:
    'The users of the admin’s country, by user name, with roles, lockout and whether they are disabled (never passwords)',
  query: LangQuery,
  handle: ({ store, viewer }) => listUsers(store, { country: isOperator(viewer) ? null : viewer!.country }),
});

export const createUserRoute = route({
  method: 'post',
  path: '/users',
  tag: 'users',
  permission: 'manage:users',
  summary:
    'Create a user of the admin’s country and one of its agencies, with roles and a first password of at least 12 characters',
  body: UserBody,
  async handle({ store, viewer, body, write }) {
    assertCanManageTokens(viewer, { country: body.country }, { entity: 'user', key: body.user });
    return createAccount(
      store,
      { user: body.user, name: body.name, country: body.country, agency: body.agency, roles: body.roles },
      body.password,
      write.actor,
      {
        user: 'body.user',
        name: 'body.name',
        country: 'body.country',
        agency: 'body.agency',
        roles: 'body.roles',
        password: 'body.password',
      },
      write.now,
    );
  },
});

export const setPasswordRoute = route({
  method: 'post',
  path: '/users/{id}/password',
  params: { id: UserId },
  tag: 'users',
  permission: 'manage:users',
  summary: 'Set a user’s password (at least 12 characters); clears a lockout and ends the user’s sessions',
  body: PasswordBody,
  async handle({ store, viewer, params, body, write }) {
    const user = await ownUser(store, viewer, params.id);
    return changePassword(store, user.id, body.password, write.actor, 'body.password', write.now);
  },
});

export const disableUserRoute = route({
  method: 'post',
  path: '/users/{id}/disable',
  params: { id: UserId },
  tag: 'users',
  permission: 'manage:users',
  summary: 'Disable a user: no more sign-ins, and the open sessions end (disabling twice changes nothing)',
  async handle({ store, viewer, params, write }) {
    const user = await ownUser(store, viewer, params.id);
    return disableUser(store, user.id, write.actor, write.now);
  },
});
