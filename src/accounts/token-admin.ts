/**
 * Token administration as the API (`/api/v1/tokens`) and the administration page do it: an admin lists,
 * creates and revokes the tokens of their own country's officials (the operator, either country's). A
 * token of the other country is as invisible as a missing one.
 * @module
 */
import { assertCanManageTokens } from '../access/rules.js';
import { isOperator, type Official, type Role } from '../access/viewer.js';
import type { Country } from '../domain/common-schema.js';
import { NotFoundError } from '../error.js';
import { createToken, listTokens, revokeToken, type TokenInfo } from '../records/token-repository.js';
import type { RecordsStore } from '../records/database.js';

/** Where each field of a token request is, for errors: a JSON path, or a form's field name. */
export type TokenFields = Record<'user' | 'country' | 'agency' | 'roles' | 'expiresInDays', string>;

/** The tokens `admin` manages, newest first. */
export const tokensOf = (store: RecordsStore, admin: Official): Promise<TokenInfo[]> =>
  listTokens(store, { country: isOperator(admin) ? null : admin.country });

/** Creates a token for an official of `admin`'s country; the answer holds the secret, once. */
export async function issueToken(
  store: RecordsStore,
  admin: Official,
  request: {
    user: string;
    country: Country;
    agency: string;
    roles: Role[];
    expiresInDays?: number | undefined;
  },
  write: { actor: string; now?: (() => Date) | undefined },
  fields: TokenFields,
): Promise<TokenInfo & { token: string }> {
  assertCanManageTokens(admin, { country: request.country });
  const { token, info } = await createToken(store, request, write.actor, write.now, fields);
  return { ...info, token };
}

/** Revokes token `id` of `admin`'s country (revoking twice changes nothing). */
export async function revokeTokenAs(
  store: RecordsStore,
  admin: Official,
  id: number,
  write: { actor: string; now?: (() => Date) | undefined },
  hint: string,
): Promise<TokenInfo> {
  const [found] = await listTokens(store, { id });
  if (!found || (!isOperator(admin) && found.country !== admin.country))
    throw new NotFoundError('api token', String(id), { key: hint });
  return revokeToken(store, found.id, write.actor, write.now);
}
