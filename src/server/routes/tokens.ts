/**
 * API tokens, managed by admins for their own country's officials (the operator, through the CLI, for
 * either country): create (the secret is in the answer, once), list with last use, and revoke.
 * @module
 */
import { z } from 'zod';
import { assertCanManageTokens } from '../../access/rules.js';
import { isOperator, ROLES } from '../../access/viewer.js';
import { Country } from '../../domain/common-schema.js';
import { NotFoundError } from '../../error.js';
import { createToken, listTokens, revokeToken } from '../../records/token-repository.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';

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
  tag: 'tokens',
  permission: 'manage:tokens',
  summary:
    'The API tokens of the admin’s country, newest first, with roles, expiry and last use (never secrets)',
  query: LangQuery,
  handle: ({ store, viewer }) => listTokens(store, { country: isOperator(viewer) ? null : viewer!.country }),
});

export const createTokenRoute = route({
  method: 'post',
  path: '/tokens',
  tag: 'tokens',
  permission: 'manage:tokens',
  summary:
    'Create a token for an official of the admin’s country and one of its agencies, with roles and an expiry (90 days by default); the answer holds the secret, once',
  body: TokenBody,
  async handle({ store, viewer, body, write }) {
    assertCanManageTokens(viewer, { country: body.country });
    const { token, info } = await createToken(
      store,
      {
        user: body.user,
        country: body.country,
        agency: body.agency,
        roles: body.roles,
        expiresInDays: body.expires_in_days,
      },
      write.actor,
      write.now,
      {
        user: 'body.user',
        country: 'body.country',
        agency: 'body.agency',
        roles: 'body.roles',
        expiresInDays: 'body.expires_in_days',
      },
    );
    return { ...info, token };
  },
});

export const revokeTokenRoute = route({
  method: 'post',
  path: '/tokens/{id}/revoke',
  params: { id: TokenId },
  tag: 'tokens',
  permission: 'manage:tokens',
  summary:
    'Revoke a token of the admin’s country; it is refused from then on (revoking twice changes nothing)',
  async handle({ store, viewer, params, write }) {
    const [found] = await listTokens(store, { id: Number(params.id) });
    // Another country's token is as invisible as a missing one.
    if (!found || (!isOperator(viewer) && found.country !== viewer!.country))
      throw new NotFoundError('api token', params.id, { key: 'notFound.hint.tokensApi' });
    return revokeToken(store, found.id, write.actor, write.now);
  },
});
