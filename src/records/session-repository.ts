/**
 * Web sessions in the records store, so that any server process sharing the database knows them. A
 * session is found by the SHA-256 hash of its cookie (the cookie itself is never stored), carries its own
 * CSRF secret, and ends when its user signs out, after an idle spell, at its absolute end, or when the
 * user is disabled or changes password. Starting and ending a session are audit entries; the entries
 * hold neither the cookie's hash nor the CSRF secret.
 * @module
 */
import type { Transaction } from 'kysely';
import type { Official } from '../access/viewer.js';
import type { RecordsStore } from './database.js';
import type { WriteContext } from './record-writer.js';
import type { RecordsDatabase, SessionEnd } from './schema.js';
import { writeTransaction } from './transaction.js';
import { USER_AUDITED_COLUMNS } from './user-columns.js';

const AUDITED_COLUMNS = [
  'id',
  'user_id',
  'created_at',
  'expires_at',
  'client',
  'ended_at',
  'ended_reason',
] as const;

/** An open session with its user, as a request sees it. */
export interface OpenSession {
  id: number;
  csrfSecret: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The user's unread notices, for the navigation's inbox link (counted for page reads only). */
  unread?: number;
  official: Official & { name: string; userId: number };
}

/**
 * Starts a session for a user who has just proved their password: clears the user's failed sign-ins
 * (audited when there were any) and records the session (audited).
 */
export async function startSession(
  store: RecordsStore,
  s: {
    userId: number;
    userName: string;
    tokenHash: string;
    csrfSecret: string;
    client: string | null;
    absoluteMs: number;
  },
  now: () => Date = () => new Date(),
): Promise<number> {
  return writeTransaction(store, { actor: s.userName, now }, async (trx, ctx) => {
    const cleared = await trx
      .updateTable('users')
      .set({ failed_sign_ins: 0, locked_until: null })
      .where('id', '=', s.userId)
      .where((eb) => eb.or([eb('failed_sign_ins', '>', 0), eb('locked_until', 'is not', null)]))
      .returning(USER_AUDITED_COLUMNS)
      .executeTakeFirst();
    if (cleared)
      ctx.audit.push({
        at: ctx.now,
        actor: s.userName,
        action: 'update',
        entity: 'user',
        key: s.userName,
        before: null,
        after: cleared,
      });
    const row = await trx
      .insertInto('sessions')
      .values({
        token_hash: s.tokenHash,
        csrf_secret: s.csrfSecret,
        user_id: s.userId,
        created_at: ctx.now,
        last_seen_at: ctx.now,
        expires_at: new Date(Date.parse(ctx.now) + s.absoluteMs).toISOString(),
        client: s.client,
      })
      .returning(AUDITED_COLUMNS)
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: s.userName,
      action: 'create',
      entity: 'session',
      key: `${row.id}`,
      before: null,
      after: row,
    });
    return row.id;
  });
}

/**
 * The open session whose cookie hashes to `tokenHash`, with its user (who is not disabled) and, with
 * `unread`, the count of their unread notices for the page's menu (a form post that redirects needs none).
 */
export async function findSession(
  store: RecordsStore,
  tokenHash: string,
  options: { unread?: boolean } = {},
): Promise<OpenSession | undefined> {
  const row = await store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.csrf_secret',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.user_name',
      'users.display_name',
      'users.country',
      'users.agency',
      'users.roles',
    ])
    .$if(options.unread !== false, (q) =>
      q.select((eb) =>
        eb
          .selectFrom('notifications')
          .select((n) => n.fn.countAll<string>().as('n'))
          .whereRef('notifications.user_id', '=', 'users.id')
          .where('notifications.read_at', 'is', null)
          .as('unread'),
      ),
    )
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.ended_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    csrfSecret: row.csrf_secret,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    ...('unread' in row ? { unread: Number(row.unread ?? 0) } : {}),
    official: {
      user: row.user_name,
      name: row.display_name,
      userId: row.user_id,
      country: row.country,
      agency: row.agency,
      roles: row.roles,
    },
  };
}

/** Moves a session's idle clock (not audited: it is the session's heartbeat, not a change of state). */
export async function touchSession(store: RecordsStore, id: number, at: Date): Promise<void> {
  await store.db
    .updateTable('sessions')
    .set({ last_seen_at: at.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Ends one session (audited); ending an ended session changes nothing. */
export async function endSession(
  store: RecordsStore,
  id: number,
  reason: SessionEnd,
  actor: string,
  now: () => Date = () => new Date(),
): Promise<void> {
  await writeTransaction(store, { actor, now }, async (trx, ctx) => {
    const before = await trx
      .selectFrom('sessions')
      .select(AUDITED_COLUMNS)
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return;
    const after = await trx
      .updateTable('sessions')
      .set({ ended_at: ctx.now, ended_reason: reason })
      .where('id', '=', id)
      .returning(AUDITED_COLUMNS)
      .executeTakeFirstOrThrow();
    ctx.audit.push({ at: ctx.now, actor, action: 'update', entity: 'session', key: `${id}`, before, after });
  });
}

/** Ends every open session of a user inside the caller's transaction (disabled, or a new password). */
export async function endSessionsOf(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  userId: number,
  reason: SessionEnd,
): Promise<void> {
  const open = await trx
    .selectFrom('sessions')
    .select(AUDITED_COLUMNS)
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .execute();
  for (const before of open) {
    const after = await trx
      .updateTable('sessions')
      .set({ ended_at: ctx.now, ended_reason: reason })
      .where('id', '=', before.id)
      .returning(AUDITED_COLUMNS)
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'update',
      entity: 'session',
      key: `${before.id}`,
      before,
      after,
    });
  }
}
