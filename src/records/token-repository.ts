/**
 * API tokens: each carries an official's country, agency and roles, and expires (90 days by default).
 * The secret is shown once; only its SHA-256 hash is stored. Tokens can be listed with their last use,
 * and revoked; creation and revocation are audit entries that never hold the secret or its hash.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Official, Role } from '../access/viewer.js';
import type { Country } from '../domain/common-schema.js';
import { NotFoundError, ValidationError, textIssue } from '../error.js';
import type { RecordsStore } from './database.js';
import { holderIssues, sortedRoles } from './holder-issues.js';
import { writeTransaction } from './transaction.js';

export interface TokenRequest {
  user: string;
  country: Country;
  agency: string;
  roles: readonly Role[];
  /** Days until the token expires: 1 to 366, 90 by default. */
  expiresInDays?: number;
}

/** A token as it is listed: never its secret or hash. */
export interface TokenInfo {
  id: number;
  user: string;
  country: Country;
  agency: string;
  roles: Role[];
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export const DEFAULT_TOKEN_DAYS = 90;
const MAX_TOKEN_DAYS = 366;
const DAY_MS = 86_400_000;
/** A token's last use is written at most once a minute, so reads do not each become a write. */
const LAST_USE_RESOLUTION_MS = 60_000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** What is wrong with a token request, each problem with its field. */
export async function tokenRequestIssues(
  store: RecordsStore,
  r: TokenRequest,
  fields: Record<'user' | 'country' | 'agency' | 'roles' | 'expiresInDays', string>,
): Promise<{ path: string; message: string }[]> {
  const issues = await holderIssues(store, r, fields);
  const days = r.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
    issues.push(textIssue(fields.expiresInDays, 'validation.records.expiresIn', { max: MAX_TOKEN_DAYS }));
  return issues;
}

const CLI_FIELDS = {
  user: '--user',
  country: '--country',
  agency: '--agency',
  roles: '--roles',
  expiresInDays: '--expires-in',
};

/** Creates a token; returns it with its secret, which is not recoverable afterwards. */
export async function createToken(
  store: RecordsStore,
  request: TokenRequest,
  createdBy: string,
  now: () => Date = () => new Date(),
  fields: typeof CLI_FIELDS = CLI_FIELDS,
): Promise<{ token: string; info: TokenInfo }> {
  const issues = await tokenRequestIssues(store, request, fields);
  if (issues.length > 0) throw new ValidationError(issues);
  const token = `marco_${randomBytes(24).toString('base64url')}`;
  const roles = sortedRoles(request.roles);
  const id = await writeTransaction(store, { actor: createdBy, now }, async (trx, ctx) => {
    const expires = new Date(Date.parse(ctx.now) + (request.expiresInDays ?? DEFAULT_TOKEN_DAYS) * DAY_MS);
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_name: request.user,
        country: request.country,
        agency: request.agency,
        roles,
        expires_at: expires.toISOString(),
        token_hash: hash(token),
        created_at: ctx.now,
        created_by: createdBy,
      })
      .returning(['id', 'user_name', 'country', 'agency', 'roles', 'expires_at', 'created_at', 'created_by'])
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: createdBy,
      action: 'create',
      entity: 'api token',
      key: `${row.id}`,
      before: null,
      after: row,
    });
    return row.id;
  });
  return { token, info: (await listTokens(store, { id }))[0]! };
}

/** The tokens of one country (all of them for `country: null`), newest first, or one by id. */
export async function listTokens(
  store: RecordsStore,
  filter: { country?: Country | null; id?: number },
): Promise<TokenInfo[]> {
  let query = store.db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc');
  if (filter.country) query = query.where('country', '=', filter.country);
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    user: r.user_name,
    country: r.country,
    agency: r.agency,
    roles: r.roles,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  }));
}

/** Revokes a token (audited); revoking a revoked token changes nothing. */
export async function revokeToken(
  store: RecordsStore,
  id: number,
  revokedBy: string,
  now: () => Date = () => new Date(),
): Promise<TokenInfo> {
  await writeTransaction(store, { actor: revokedBy, now }, async (trx, ctx) => {
    const before = await trx
      .selectFrom('api_tokens')
      .select(['id', 'user_name', 'country', 'agency', 'roles', 'revoked_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError('api token', `${id}`, { key: 'notFound.hint.tokensCli' });
    if (before.revoked_at !== null) return;
    const after = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: ctx.now, revoked_by: revokedBy })
      .where('id', '=', id)
      .returning(['id', 'user_name', 'country', 'agency', 'roles', 'revoked_at'])
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: revokedBy,
      action: 'update',
      entity: 'api token',
      key: `${id}`,
      before,
      after,
    });
  });
  return (await listTokens(store, { id }))[0]!;
}

/** Who a token belongs to; `expired` when it is past its date, undefined when unknown or revoked. */
export async function identifyToken(
  store: RecordsStore,
  token: string,
  now: () => Date = () => new Date(),
): Promise<Official | { expired: string } | undefined> {
  const row = await store.db
    .selectFrom('api_tokens')
    .select(['id', 'user_name', 'country', 'agency', 'roles', 'expires_at', 'last_used_at'])
    .where('token_hash', '=', hash(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const at = now();
  if (Date.parse(row.expires_at) <= at.getTime()) return { expired: row.expires_at };
  if (row.last_used_at === null || at.getTime() - Date.parse(row.last_used_at) >= LAST_USE_RESOLUTION_MS)
    await store.db
      .updateTable('api_tokens')
      .set({ last_used_at: at.toISOString() })
      .where('id', '=', row.id)
      .execute();
  return { user: row.user_name, country: row.country, agency: row.agency, roles: row.roles };
}
