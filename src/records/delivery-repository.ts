/**
 * The outbox of e-mails and webhook calls. A sender claims due rows (`FOR UPDATE SKIP LOCKED`, so two
 * senders never claim the same row) and leases them for a while before it sends: a sender killed
 * mid-send leaves the row to be sent again when the lease ends. Each outcome is written after the send.
 * @module
 */
import { sql } from 'kysely';
import type { NotificationEvent } from './schema.js';
import type { RecordsStore } from './database.js';

/** A claimed e-mail: its notice and its reader. */
export interface ClaimedMail {
  channel: 'email';
  id: string;
  attempts: number;
  to: string;
  event: NotificationEvent;
  subject: Record<string, unknown>;
  name: string;
  language: 'en' | 'es';
}

/** A claimed webhook call: the body to send and where, with the secret that signs it. */
export interface ClaimedCall {
  channel: 'webhook';
  id: string;
  attempts: number;
  url: string;
  secret: string;
  event: string;
  payload: Record<string, unknown>;
}

export type Claimed = ClaimedMail | ClaimedCall;

/** Claims up to `limit` due deliveries, leasing them until `leaseUntil`. */
export async function claimDue(
  store: RecordsStore,
  now: string,
  leaseUntil: string,
  limit: number,
): Promise<Claimed[]> {
  return store.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('deliveries')
      .select(['id'])
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_at', '<=', now)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const ids = due.map((d) => String(d.id));
    await trx
      .updateTable('deliveries')
      .set({ next_at: leaseUntil, attempts: sql`attempts + 1` })
      .where('id', 'in', ids)
      .execute();
    const rows = await trx
      .selectFrom('deliveries as d')
      .leftJoin('notifications as n', 'n.id', 'd.notification_id')
      .leftJoin('users as u', 'u.id', 'n.user_id')
      .leftJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select([
        'd.id',
        'd.channel',
        'd.attempts',
        'd.payload',
        'n.event',
        'n.subject',
        'u.display_name',
        'u.language',
        'u.disabled_at',
        'w.url',
        'w.secret',
        'w.disabled_at as hook_disabled_at',
      ])
      .where('d.id', 'in', ids)
      .orderBy('d.id')
      .execute();
    return rows.map((r): Claimed => {
      const payload = r.payload as Record<string, unknown>;
      return r.channel === 'email'
        ? {
            channel: 'email',
            id: String(r.id),
            attempts: r.attempts,
            to: String(payload.to),
            event: r.event!,
            subject: r.subject as Record<string, unknown>,
            name: r.display_name ?? '',
            language: r.language ?? 'en',
          }
        : {
            channel: 'webhook',
            id: String(r.id),
            attempts: r.attempts,
            url: r.url!,
            secret: r.secret!,
            event: String(payload.event),
            payload,
          };
    });
  });
}

/** Records a delivery's outcome: sent; or failed, to try again at `retryAt`, or never (`retryAt` null). */
export async function settleDelivery(
  store: RecordsStore,
  id: string,
  outcome: { sent: true; at: string } | { sent: false; at: string; error: string; retryAt: string | null },
): Promise<void> {
  await store.db
    .updateTable('deliveries')
    .set(
      outcome.sent
        ? { delivered_at: outcome.at, last_error: null }
        : outcome.retryAt === null
          ? { failed_at: outcome.at, last_error: outcome.error.slice(0, 500) }
          : { next_at: outcome.retryAt, last_error: outcome.error.slice(0, 500) },
    )
    .where('id', '=', id)
    .execute();
}

/** Deliveries by state, for the admin page and the tests. */
export async function deliveryCounts(store: RecordsStore) {
  const row = await store.db
    .selectFrom('deliveries')
    .select((eb) => [
      eb.fn.count<string>('id').filterWhere('delivered_at', 'is not', null).as('delivered'),
      eb.fn.count<string>('id').filterWhere('failed_at', 'is not', null).as('failed'),
      eb.fn
        .count<string>('id')
        .filterWhere((w) => w.and([w('delivered_at', 'is', null), w('failed_at', 'is', null)]))
        .as('pending'),
    ])
    .executeTakeFirstOrThrow();
  return { delivered: Number(row.delivered), failed: Number(row.failed), pending: Number(row.pending) };
}
