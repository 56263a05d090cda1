/**
 * Users who sign in to the web pages, managed by admins for their own country (the operator, through
 * the CLI, for either): list, create with a first password, set a new password, disable. Passwords
 * travel in the body, are checked against the policy, hashed with argon2id and never returned, logged
 * or audited. A new password or disabling ends the user's open sessions.
 * @module
 */
import { z } from 'zod';
import { ROLES } from '../../access/viewer.js';
import { disableAs, openAccount, resetPassword, usersOf } from '../../accounts/user-admin.js';
import { Country } from '../../domain/common-schema.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

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

/** Where a missing user's error sends the caller. */
const HINT = 'notFound.hint.usersApi';

const UserId = z.string().regex(/^[1-9]\d{0,9}$/, { message: 'validation.schema.userId' });

export const users = route({
  method: 'get',
  path: '/users',
  operationId: 'listUsers',
  response: R.UserList,
  tag: 'users',
  permission: 'manage:users',
  summary:
    'The users of the admin’s country, by user name, with roles, lockout and whether they are disabled (never passwords)',
  query: LangQuery,
  handle: ({ store, viewer }) => usersOf(store, viewer!),
});

export const createUserRoute = route({
  method: 'post',
  path: '/users',
  operationId: 'createUser',
  response: R.UserRecord,
  tag: 'users',
  permission: 'manage:users',
  summary:
    'Create a user of the admin’s country and one of its agencies, with roles and a first password of at least 12 characters',
  body: UserBody,
  handle: ({ store, viewer, body, write }) =>
    openAccount(
      store,
      viewer!,
      { user: body.user, name: body.name, country: body.country, agency: body.agency, roles: body.roles },
      body.password,
      write,
      {
        user: 'body.user',
        name: 'body.name',
        country: 'body.country',
        agency: 'body.agency',
        roles: 'body.roles',
        password: 'body.password',
      },
    ),
});

export const setPasswordRoute = route({
  method: 'post',
  path: '/users/{id}/password',
  operationId: 'setPassword',
  response: R.PasswordSet,
  params: { id: UserId },
  tag: 'users',
  permission: 'manage:users',
  summary: 'Set a user’s password (at least 12 characters); clears a lockout and ends the user’s sessions',
  body: PasswordBody,
  handle: ({ store, viewer, params, body, write }) =>
    resetPassword(store, viewer!, Number(params.id), body.password, write, 'body.password', HINT),
});

export const disableUserRoute = route({
  method: 'post',
  path: '/users/{id}/disable',
  operationId: 'disableUser',
  response: R.UserDisabled,
  params: { id: UserId },
  tag: 'users',
  permission: 'manage:users',
  summary: 'Disable a user: no more sign-ins, and the open sessions end (disabling twice changes nothing)',
  handle: ({ store, viewer, params, write }) => disableAs(store, viewer!, Number(params.id), write, HINT),
});
