/**
 * API tokens, managed by admins for their own country's officials (the operator, through the CLI, for
 * either country): create (the secret is in the answer, once), list with last use, and revoke.
 * @module
 */
import { z } from 'zod';
import { ROLES } from '../../access/viewer.js';
import { issueToken, revokeTokenAs, tokensOf } from '../../accounts/token-admin.js';
import { Country } from '../../domain/common-schema.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

export const TokenBody = z
  .object({
    user: z.string(),
    country: Country,
    agency: z.string(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    expires_in_days: z.number().int().min(1).max(366).optional(),
  })
  .strict();

const TokenId = z.string().regex(/^[1-9]\d{0,9}$/, { message: 'validation.schema.tokenId' });

export const tokens = route({
  method: 'get',
  path: '/tokens',
  operationId: 'listTokens',
  response: R.TokenList,
  tag: 'tokens',
  permission: 'manage:tokens',
  summary:
    'The API tokens of the admin’s country, newest first, with roles, expiry and last use (never secrets)',
  query: LangQuery,
  handle: ({ store, viewer }) => tokensOf(store, viewer!),
});

export const createTokenRoute = route({
  method: 'post',
  path: '/tokens',
  operationId: 'createToken',
  response: R.TokenCreated,
  tag: 'tokens',
  permission: 'manage:tokens',
  summary:
    'Create a token for an official of the admin’s country and one of its agencies, with roles and an expiry (90 days by default); the answer holds the secret, once',
  body: TokenBody,
  handle: ({ store, viewer, body, write }) =>
    issueToken(
      store,
      viewer!,
      {
        user: body.user,
        country: body.country,
        agency: body.agency,
        roles: body.roles,
        expiresInDays: body.expires_in_days,
      },
      write,
      {
        user: 'body.user',
        country: 'body.country',
        agency: 'body.agency',
        roles: 'body.roles',
        expiresInDays: 'body.expires_in_days',
      },
    ),
});

export const revokeTokenRoute = route({
  method: 'post',
  path: '/tokens/{id}/revoke',
  operationId: 'revokeToken',
  response: R.TokenRevoked,
  params: { id: TokenId },
  tag: 'tokens',
  permission: 'manage:tokens',
  summary:
    'Revoke a token of the admin’s country; it is refused from then on (revoking twice changes nothing)',
  handle: ({ store, viewer, params, write }) =>
    revokeTokenAs(store, viewer!, Number(params.id), write, 'notFound.hint.tokensApi'),
});
