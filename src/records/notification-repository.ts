/**
 * The notifier's reads and writes: the audit entries after its cursor, the people and webhooks who may
 * be told, what a result is (for the notice's text), and the notices and outbox rows it writes, all in
 * the caller's transaction; and each user's inbox.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { Role } from '../access/viewer.js';
import type { AuditedWrite } from '../domain/notification-events.js';
import type { RecordsStore } from './database.js';
import type { NotificationEvent, RecordsDatabase } from './schema.js';

type Db = Kysely<RecordsDatabase> | Transaction<RecordsDatabase>;

const CURSOR = 'notifier';

/** The last audit entry read, locked until the transaction ends: one notifier at a time reads on. */
export async function lockCursor(trx: Transaction<RecordsDatabase>): Promise<number> {
  const row = await trx
    .selectFrom('notification_cursor')
    .select('last_entry')
    .where('name', '=', CURSOR)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.last_entry;
}

/** The last audit entry read, as committed. */
export async function readCursor(db: Db): Promise<number> {
  const row = await db
    .selectFrom('notification_cursor')
    .select('last_entry')
    .where('name', '=', CURSOR)
    .executeTakeFirstOrThrow();
  return row.last_entry;
}

export async function moveCursor(trx: Transaction<RecordsDatabase>, to: number): Promise<void> {
  await trx.updateTable('notification_cursor').set({ last_entry: to }).where('name', '=', CURSOR).execute();
}

/** Whether the audit log holds entries the notifier has not read: one indexed read. */
export async function hasPendingWrites(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('notification_cursor')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('audit_log')
            .select('audit_log.id')
            .whereRef('audit_log.id', '>', 'notification_cursor.last_entry'),
        )
        .as('pending'),
    )
    .where('name', '=', CURSOR)
    .executeTakeFirstOrThrow();
  return Boolean(row.pending);
}

/** Up to `limit` audit entries after `after`, oldest first. */
export async function writesAfter(db: Db, after: number, limit: number): Promise<AuditedWrite[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'entity', 'entity_key', 'before', 'after'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    entry: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    key: r.entity_key,
    before: r.before as Record<string, unknown> | null,
    after: r.after as Record<string, unknown> | null,
  }));
}

/** A person who may be told of something. */
export interface Recipient {
  id: number;
  user: string;
  name: string;
  country: 'US' | 'MX';
  agency: string;
  roles: Role[];
  email: string | null;
  language: 'en' | 'es';
  emailNotifications: boolean;
}

/** Every user who can sign in, with where and how they hear of things. */
export async function activeRecipients(db: Db): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('users')
    .select([
      'id',
      'user_name',
      'display_name',
      'country',
      'agency',
      'roles',
      'email',
      'language',
      'email_notifications',
    ])
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    user: r.user_name,
    name: r.display_name,
    country: r.country,
    agency: r.agency,
    roles: r.roles,
    email: r.email,
    language: r.language,
    emailNotifications: r.email_notifications,
  }));
}

/** The users following each of `places`. */
export async function followersOf(db: Db, places: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (places.length === 0) return out;
  const rows = await db
    .selectFrom('followed_places')
    .select(['place', 'user_id'])
    .where('place', 'in', places)
    .execute();
  for (const r of rows) out.set(r.place, [...(out.get(r.place) ?? []), r.user_id]);
  return out;
}

/** Every place someone follows. */
export async function followedPlaces(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('followed_places').select('place').distinct().orderBy('place').execute();
  return rows.map((r) => r.place);
}

/** What a notice says of a result: its indicator and program (named in both languages), place, period. */
export interface ResultSubject {
  result: number;
  indicator: string;
  indicator_en: string;
  indicator_es: string;
  program: string;
  program_en: string;
  program_es: string;
  period: string;
  place: string;
  value: number | null;
  classification: 'public' | 'official_use' | 'restricted';
  status: string;
}

export async function resultSubjects(db: Db, ids: number[]): Promise<Map<number, ResultSubject>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('results')
    .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
    .innerJoin('programs', 'programs.id', 'indicators.program_id')
    .select([
      'results.id as result',
      'indicators.code as indicator',
      'indicators.name_en as indicator_en',
      'indicators.name_es as indicator_es',
      'programs.code as program',
      'programs.title_en as program_en',
      'programs.title_es as program_es',
      'results.period_code as period',
      'results.place',
      'results.value',
      'results.classification',
      'results.status',
    ])
    .where('results.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.result, { ...r, value: r.value === null ? null : Number(r.value) }]));
}

/** A notice to write. */
export interface NewNotice {
  userId: number;
  entry: number;
  event: NotificationEvent;
  key: string;
  subject: Record<string, unknown>;
  at: string;
}

/** Writes notices, skipping any already written (a second pass over the same entries adds nothing). */
export async function insertNotices(
  trx: Transaction<RecordsDatabase>,
  notices: NewNotice[],
): Promise<{ id: string; user_id: number; key: string }[]> {
  const out: { id: string; user_id: number; key: string }[] = [];
  for (let i = 0; i < notices.length; i += 500) {
    const rows = await trx
      .insertInto('notifications')
      .values(
        notices.slice(i, i + 500).map((n) => ({
          user_id: n.userId,
          entry: n.entry,
          event: n.event,
          key: n.key,
          subject: JSON.stringify(n.subject),
          at: n.at,
        })),
      )
      .onConflict((oc) => oc.columns(['user_id', 'entry', 'key']).doNothing())
      .returning(['id', 'user_id', 'key'])
      .execute();
    out.push(...rows.map((r) => ({ ...r, id: String(r.id) })));
  }
  return out;
}

/** An outbox row to write. */
export type NewDelivery =
  | { channel: 'email'; notificationId: string; payload: Record<string, unknown> }
  | { channel: 'webhook'; webhookId: number; payload: Record<string, unknown> };

/** Queues deliveries, skipping a webhook call already queued for the same event; returns how many. */
export async function queueDeliveries(
  trx: Transaction<RecordsDatabase>,
  deliveries: NewDelivery[],
  now: string,
): Promise<number> {
  let queued = 0;
  for (let i = 0; i < deliveries.length; i += 500) {
    const rows = await trx
      .insertInto('deliveries')
      .values(
        deliveries.slice(i, i + 500).map((d) => ({
          channel: d.channel,
          notification_id: d.channel === 'email' ? d.notificationId : null,
          webhook_id: d.channel === 'webhook' ? d.webhookId : null,
          payload: JSON.stringify(d.payload),
          next_at: now,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    queued += rows.length;
  }
  return queued;
}

/** A webhook in service. */
export interface ActiveWebhook {
  id: number;
  url: string;
  events: NotificationEvent[];
  country: 'US' | 'MX';
}

export async function activeWebhooks(db: Db): Promise<ActiveWebhook[]> {
  return db
    .selectFrom('webhooks')
    .select(['id', 'url', 'events', 'country'])
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** One notice in a user's inbox. */
export interface Notice {
  id: string;
  event: NotificationEvent;
  entry: number;
  key: string;
  subject: Record<string, unknown>;
  at: string;
  read: boolean;
}

const noticeOf = (r: {
  id: string | number;
  event: NotificationEvent;
  entry: number;
  key: string;
  subject: unknown;
  at: string;
  read_at: string | null;
}): Notice => ({
  id: String(r.id),
  event: r.event,
  entry: r.entry,
  key: r.key,
  subject: r.subject as Record<string, unknown>,
  at: new Date(r.at).toISOString(),
  read: r.read_at !== null,
});

/** A user's notices, newest first, and how many are unread. */
export async function inboxOf(
  store: RecordsStore,
  userId: number,
  limit = 100,
): Promise<{ notices: Notice[]; unread: number; total: number }> {
  const rows = await store.db
    .selectFrom('notifications')
    .select(['id', 'event', 'entry', 'key', 'subject', 'at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const counts = await store.db
    .selectFrom('notifications')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('id').filterWhere('read_at', 'is', null).as('unread'),
    ])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { notices: rows.map(noticeOf), unread: Number(counts.unread), total: Number(counts.total) };
}

/** How many of a user's notices are unread (for the session menu). */
export async function unreadCount(store: RecordsStore, userId: number): Promise<number> {
  const row = await store.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks a user's notices read: those named, or all of them. Returns how many changed. */
export async function markRead(
  store: RecordsStore,
  userId: number,
  ids: string[] | 'all',
  now: string,
): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  let query = store.db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The user whose private feed key hashes to `keyHash`, when the user can still sign in. */
export async function userOfFeedKey(store: RecordsStore, keyHash: string) {
  return store.db
    .selectFrom('feed_keys')
    .innerJoin('users', 'users.id', 'feed_keys.user_id')
    .select(['users.id', 'users.user_name', 'users.display_name', 'users.language'])
    .where('feed_keys.key_hash', '=', keyHash)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}
