/**
 * Users who sign in to the web pages: each belongs to an organisation of one country and holds roles,
 * like a token. Only an argon2id hash of the password is stored (hashed by `src/accounts/`), and no
 * audit entry ever holds it. Every change (creation, a new password, a failed sign-in that counts
 * towards the lockout, disabling) is an audit entry, so `audit verify` finds a user row edited in SQL.
 * @module
 */
import type { Role } from '../access/viewer.js';
import type { Country } from '../domain/common-schema.js';
import { NotFoundError, ValidationError, textIssue } from '../error.js';
import type { RecordsStore } from './database.js';
import { holderIssues, sortedRoles } from './holder-issues.js';
import type { Selectable, Updateable } from 'kysely';
import type { UserTable } from './schema.js';
import { endSessionsOf } from './session-repository.js';
import { USER_AUDITED_COLUMNS } from './user-columns.js';
import { writeTransaction } from './transaction.js';

export interface UserRequest {
  user: string;
  name: string;
  country: Country;
  agency: string;
  roles: readonly Role[];
}

/** A user as listed: never the password hash. */
export interface UserInfo {
  id: number;
  user: string;
  name: string;
  country: Country;
  agency: string;
  roles: Role[];
  createdAt: string;
  createdBy: string;
  passwordChangedAt: string;
  disabledAt: string | null;
  disabledBy: string | null;
  failedSignIns: number;
  lockedUntil: string | null;
}

/** A user row without its password hash: what audit entries hold. */
export type AuditedUser = Omit<Selectable<UserTable>, 'password_hash'>;
const AUDITED_COLUMNS = USER_AUDITED_COLUMNS;

export type UserFields = Record<keyof UserRequest, string>;

/** What is wrong with a user request, each problem under its field's name. */
export async function userRequestIssues(
  store: RecordsStore,
  r: UserRequest,
  fields: UserFields,
): Promise<{ path: string; message: string }[]> {
  const issues = await holderIssues(store, r, fields);
  if (r.name.trim().length === 0 || r.name.length > 200)
    issues.push(textIssue(fields.name, 'validation.records.displayName'));
  return issues;
}

const info = (r: AuditedUser): UserInfo => ({
  id: r.id,
  user: r.user_name,
  name: r.display_name,
  country: r.country,
  agency: r.agency,
  roles: r.roles,
  createdAt: r.created_at,
  createdBy: r.created_by,
  passwordChangedAt: r.password_changed_at,
  disabledAt: r.disabled_at,
  disabledBy: r.disabled_by,
  failedSignIns: r.failed_sign_ins,
  lockedUntil: r.locked_until,
});

/** Creates a user with an already hashed password (audited, without the hash). */
export async function createUser(
  store: RecordsStore,
  request: UserRequest,
  passwordHash: string,
  createdBy: string,
  fields: UserFields,
  now: () => Date = () => new Date(),
): Promise<UserInfo> {
  const issues = await userRequestIssues(store, request, fields);
  if (issues.length > 0) throw new ValidationError(issues);
  const roles = sortedRoles(request.roles);
  return writeTransaction(store, { actor: createdBy, now }, async (trx, ctx) => {
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('user_name', '=', request.user)
      .executeTakeFirst();
    if (taken)
      throw new ValidationError([
        textIssue(fields.user, 'validation.records.userTaken', { user: request.user, id: String(taken.id) }),
      ]);
    const row = await trx
      .insertInto('users')
      .values({
        user_name: request.user,
        display_name: request.name.trim(),
        country: request.country,
        agency: request.agency,
        roles,
        // Notices are written in the country's language until the user chooses another.
        language: request.country === 'MX' ? 'es' : 'en',
        password_hash: passwordHash,
        password_changed_at: ctx.now,
        created_at: ctx.now,
        created_by: createdBy,
      })
      .returning(AUDITED_COLUMNS)
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: createdBy,
      action: 'create',
      entity: 'user',
      key: row.user_name,
      before: null,
      after: row,
    });
    return info(row);
  });
}

/** The users of one country (all of them for `country: null`), by user name, or one by id. */
export async function listUsers(
  store: RecordsStore,
  filter: { country?: Country | null; id?: number },
): Promise<UserInfo[]> {
  let query = store.db.selectFrom('users').select(AUDITED_COLUMNS).orderBy('user_name');
  if (filter.country) query = query.where('country', '=', filter.country);
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  return (await query.execute()).map(info);
}

/** What signing in needs to know of a user name: its row with the password hash, or undefined. */
export async function userForSignIn(
  store: RecordsStore,
  userName: string,
): Promise<(AuditedUser & { password_hash: string }) | undefined> {
  return store.db
    .selectFrom('users')
    .select([...AUDITED_COLUMNS, 'password_hash'])
    .where('user_name', '=', userName)
    .executeTakeFirst();
}

/**
 * Counts a wrong password against a user; at `lockAfter` consecutive failures the account is locked
 * for `lockMs`, and the count starts again. Audited, so the lockout is on the record.
 */
export async function recordFailedSignIn(
  store: RecordsStore,
  userId: number,
  policy: { lockAfter: number; lockMs: number },
  now: () => Date = () => new Date(),
): Promise<{ lockedUntil: string | null }> {
  return writeTransaction(store, { actor: 'sign-in', now }, async (trx, ctx) => {
    const before = await trx
      .selectFrom('users')
      .select(AUDITED_COLUMNS)
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const failures = before.failed_sign_ins + 1;
    const lock = failures >= policy.lockAfter;
    const after = await trx
      .updateTable('users')
      .set({
        failed_sign_ins: lock ? 0 : failures,
        locked_until: lock
          ? new Date(Date.parse(ctx.now) + policy.lockMs).toISOString()
          : before.locked_until,
      })
      .where('id', '=', userId)
      .returning(AUDITED_COLUMNS)
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: before.user_name,
      action: 'update',
      entity: 'user',
      key: before.user_name,
      before,
      after,
    });
    return { lockedUntil: lock ? after.locked_until : null };
  });
}

/** Changes a user inside one audited transaction; `change` gets the row before and returns the update (none: no change). */
export async function updateUser(
  store: RecordsStore,
  id: number,
  actor: string,
  now: (() => Date) | undefined,
  change: (before: AuditedUser, at: string) => Updateable<UserTable> | undefined,
  endReason?: 'user disabled' | 'password changed',
): Promise<UserInfo> {
  await writeTransaction(store, { actor, ...(now ? { now } : {}) }, async (trx, ctx) => {
    const before = await trx
      .selectFrom('users')
      .select(AUDITED_COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError('user', `${id}`, { key: 'notFound.hint.usersCli' });
    const set = change(before, ctx.now);
    if (!set) return;
    const after = await trx
      .updateTable('users')
      .set(set)
      .where('id', '=', id)
      .returning(AUDITED_COLUMNS)
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor,
      action: 'update',
      entity: 'user',
      key: before.user_name,
      before,
      after,
    });
    if (endReason) await endSessionsOf(trx, ctx, id, endReason);
  });
  return (await listUsers(store, { id }))[0]!;
}

/** Sets a new password hash; the user's open sessions end. Clears any lockout. */
export const setPasswordHash = (
  store: RecordsStore,
  id: number,
  passwordHash: string,
  actor: string,
  now?: () => Date,
): Promise<UserInfo> =>
  updateUser(
    store,
    id,
    actor,
    now,
    (_before, at) => ({
      password_hash: passwordHash,
      password_changed_at: at,
      failed_sign_ins: 0,
      locked_until: null,
    }),
    'password changed',
  );

/** Disables a user: no more sign-ins, and the open sessions end. Disabling twice changes nothing. */
export const disableUser = (
  store: RecordsStore,
  id: number,
  actor: string,
  now?: () => Date,
): Promise<UserInfo> =>
  updateUser(
    store,
    id,
    actor,
    now,
    (before, at) => (before.disabled_at ? undefined : { disabled_at: at, disabled_by: actor }),
    'user disabled',
  );
