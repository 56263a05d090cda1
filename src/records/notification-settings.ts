/**
 * How each user hears of things, and the deployment's webhooks: a user's e-mail address, language and
 * opt-in to e-mail; the places they follow; the key of their private feed; and each country's signed
 * webhooks. Every change is an audited write. Secrets (the feed key, a webhook's secret) are returned
 * once to their holder and never written to the audit log: the feed key is kept only as its SHA-256.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError } from '../error.js';
import type { RecordsStore } from './database.js';
import type { NotificationEvent } from './schema.js';
import { writeTransaction, type WriteOptions } from './transaction.js';
import { updateUser } from './user-repository.js';

export interface NotificationSettings {
  email: string | null;
  language: 'en' | 'es';
  emailNotifications: boolean;
}

/** A user's settings, the places they follow, and whether they hold a feed key (and since when). */
export async function settingsOf(store: RecordsStore, userId: number) {
  const user = await store.db
    .selectFrom('users')
    .select(['email', 'language', 'email_notifications'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new NotFoundError('user', String(userId));
  const places = await store.db
    .selectFrom('followed_places')
    .select('place')
    .where('user_id', '=', userId)
    .orderBy('place')
    .execute();
  const key = await store.db
    .selectFrom('feed_keys')
    .select('created_at')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return {
    settings: { email: user.email, language: user.language, emailNotifications: user.email_notifications },
    follows: places.map((p) => p.place),
    feedKeySince: key ? new Date(key.created_at).toISOString() : null,
  };
}

/** Sets a user's e-mail address, language and opt-in (audited as a change of the user). */
export async function saveSettings(
  store: RecordsStore,
  write: WriteOptions,
  userId: number,
  settings: NotificationSettings,
): Promise<void> {
  await updateUser(store, userId, write.actor, write.now, (before) =>
    before.email === settings.email &&
    before.language === settings.language &&
    before.email_notifications === settings.emailNotifications
      ? undefined
      : {
          email: settings.email,
          language: settings.language,
          email_notifications: settings.emailNotifications,
        },
  );
}

/** Follows or stops following a place; doing what is already done changes nothing. */
export async function setFollowing(
  store: RecordsStore,
  write: WriteOptions,
  userId: number,
  place: string,
  follow: boolean,
): Promise<boolean> {
  return writeTransaction(store, write, async (trx, ctx) => {
    const row = follow
      ? await trx
          .insertInto('followed_places')
          .values({ user_id: userId, place, created_at: ctx.now })
          .onConflict((oc) => oc.doNothing())
          .returning(['user_id', 'place', 'created_at'])
          .executeTakeFirst()
      : await trx
          .deleteFrom('followed_places')
          .where('user_id', '=', userId)
          .where('place', '=', place)
          .returning(['user_id', 'place', 'created_at'])
          .executeTakeFirst();
    if (!row) return false;
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: follow ? 'create' : 'delete',
      entity: 'followed place',
      key: `${userId}:${place}`,
      before: follow ? null : row,
      after: follow ? row : null,
    });
    return true;
  });
}

export const feedKeyHash = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Issues a new private feed key for a user, replacing any earlier one (whose feed URL stops working). */
export async function issueFeedKey(
  store: RecordsStore,
  write: WriteOptions,
  userId: number,
): Promise<string> {
  const key = `mfk_${randomBytes(24).toString('base64url')}`;
  await writeTransaction(store, write, async (trx, ctx) => {
    const before = await trx
      .deleteFrom('feed_keys')
      .where('user_id', '=', userId)
      .returning(['created_at'])
      .executeTakeFirst();
    await trx
      .insertInto('feed_keys')
      .values({ user_id: userId, key_hash: feedKeyHash(key), created_at: ctx.now })
      .execute();
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: before ? 'update' : 'create',
      entity: 'feed key',
      key: String(userId),
      before: before ? { user_id: userId, created_at: before.created_at } : null,
      after: { user_id: userId, created_at: ctx.now },
    });
  });
  return key;
}

/** A webhook as listed: never its secret. */
export interface WebhookInfo {
  id: number;
  url: string;
  events: NotificationEvent[];
  country: 'US' | 'MX';
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
  disabledBy: string | null;
  delivered: number;
  failing: number;
  lastError: string | null;
}

/** The webhooks of one country, newest first, with how their calls went. */
export async function webhooksOfCountry(store: RecordsStore, country: 'US' | 'MX'): Promise<WebhookInfo[]> {
  const rows = await store.db
    .selectFrom('webhooks as w')
    .select((eb) => [
      'w.id',
      'w.url',
      'w.events',
      'w.country',
      'w.created_at',
      'w.created_by',
      'w.disabled_at',
      'w.disabled_by',
      eb
        .selectFrom('deliveries')
        .select((d) => d.fn.countAll<string>().as('n'))
        .whereRef('deliveries.webhook_id', '=', 'w.id')
        .where('delivered_at', 'is not', null)
        .as('delivered'),
      eb
        .selectFrom('deliveries')
        .select((d) => d.fn.countAll<string>().as('n'))
        .whereRef('deliveries.webhook_id', '=', 'w.id')
        .where('delivered_at', 'is', null)
        .where('last_error', 'is not', null)
        .as('failing'),
      eb
        .selectFrom('deliveries')
        .select('last_error')
        .whereRef('deliveries.webhook_id', '=', 'w.id')
        .where('last_error', 'is not', null)
        .orderBy('id', 'desc')
        .limit(1)
        .as('last_error'),
    ])
    .where('w.country', '=', country)
    .orderBy('w.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events,
    country: r.country,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
    disabledAt: r.disabled_at ? new Date(r.disabled_at).toISOString() : null,
    disabledBy: r.disabled_by,
    delivered: Number(r.delivered ?? 0),
    failing: Number(r.failing ?? 0),
    lastError: r.last_error ?? null,
  }));
}

/** Adds a webhook; returns it and its secret (shown once: it is never listed again). */
export async function createWebhook(
  store: RecordsStore,
  write: WriteOptions,
  hook: { url: string; events: NotificationEvent[]; country: 'US' | 'MX' },
  secret: string,
): Promise<{ id: number; secret: string }> {
  const id = await writeTransaction(store, write, async (trx, ctx) => {
    const row = await trx
      .insertInto('webhooks')
      .values({
        url: hook.url,
        secret,
        events: hook.events,
        country: hook.country,
        created_at: ctx.now,
        created_by: ctx.actor,
      })
      .returning(['id', 'url', 'events', 'country', 'created_at', 'created_by'])
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'create',
      entity: 'webhook',
      key: String(row.id),
      before: null,
      after: row,
    });
    return row.id;
  });
  return { id, secret };
}

/** Disables a webhook of `country`: no more calls. Disabling twice changes nothing. */
export async function disableWebhook(
  store: RecordsStore,
  write: WriteOptions,
  id: number,
  country: 'US' | 'MX',
): Promise<void> {
  await writeTransaction(store, write, async (trx, ctx) => {
    const columns = ['id', 'url', 'events', 'country', 'disabled_at', 'disabled_by'] as const;
    const before = await trx
      .selectFrom('webhooks')
      .select(columns)
      .where('id', '=', id)
      .where('country', '=', country)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError('webhook', String(id));
    if (before.disabled_at) return;
    const after = await trx
      .updateTable('webhooks')
      .set({ disabled_at: ctx.now, disabled_by: ctx.actor })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'update',
      entity: 'webhook',
      key: String(id),
      before,
      after,
    });
  });
}
