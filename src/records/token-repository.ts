/**
 * API tokens for writes. The token itself is shown once; only its SHA-256 hash is stored.
 * @module
 */
import { writeTransaction } from './transaction.js';
import { createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '../error.js';
import { ownerIssues } from '../access/rules.js';
import type { RecordsStore } from './database.js';
import { organisationCodes } from './organisation-repository.js';

export interface TokenIdentity {
  user: string;
  country: 'US' | 'MX';
  agency: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a token for `identity`; returns the secret, which is not recoverable afterwards. */
export async function createToken(
  store: RecordsStore,
  identity: TokenIdentity,
  createdBy: string,
  now: () => Date = () => new Date(),
): Promise<string> {
  const issues = [];
  if (!/^[\w.@-]{1,64}$/.test(identity.user))
    issues.push({ path: '--user', message: 'expected a user name of letters, digits, ".", "@", "_" or "-"' });
  issues.push(...ownerIssues(identity, await organisationCodes(store)));
  if (issues.length > 0) throw new ValidationError(issues);
  const token = `marco_${randomBytes(24).toString('base64url')}`;
  // Token creation is audited like any write; the audit entry never holds the secret or its hash.
  await writeTransaction(store, { actor: createdBy, now }, async (trx, ctx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_name: identity.user,
        country: identity.country,
        agency: identity.agency,
        token_hash: hash(token),
        created_at: ctx.now,
        created_by: createdBy,
      })
      .returning(['id', 'user_name', 'country', 'agency', 'created_at', 'created_by'])
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: createdBy,
      action: 'create',
      entity: 'api token',
      key: identity.user,
      before: null,
      after: row,
    });
  });
  return token;
}

/** The identity behind a token, or undefined when it is unknown or revoked. */
export async function identifyToken(store: RecordsStore, token: string): Promise<TokenIdentity | undefined> {
  const row = await store.db
    .selectFrom('api_tokens')
    .select(['user_name', 'country', 'agency'])
    .where('token_hash', '=', hash(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { user: row.user_name, country: row.country, agency: row.agency } : undefined;
}
