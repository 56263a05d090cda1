/**
 * A sixth kind of notice, `threshold`: an approval moved an indicator into amber or red. The event lists
 * of notifications and of webhook subscriptions (migration 0012's checks) take it.
 * @module
 */
import { sql, type Kysely } from 'kysely';

const checks = (events: readonly string[]) => sql.raw(events.map((e) => `'${e}'`).join(', '));
const BEFORE = ['submitted', 'returned', 'approved', 'locked', 'anomaly'] as const;
const AFTER = [...BEFORE, 'threshold'] as const;

async function eventChecks(db: Kysely<unknown>, events: readonly string[]): Promise<void> {
  await sql`alter table notifications drop constraint notifications_event_check`.execute(db);
  await sql`alter table notifications add constraint notifications_event_check
    check (event in (${checks(events)}))`.execute(db);
  await sql`alter table webhooks drop constraint webhooks_events_check`.execute(db);
  await sql`alter table webhooks add constraint webhooks_events_check
    check (cardinality(events) > 0 and events <@ array[${checks(events)}]::text[])`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await eventChecks(db, AFTER);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from notifications where event = 'threshold'`.execute(db);
  // A webhook that took threshold notices only would be left with none: it goes.
  await sql`delete from webhooks where events = array['threshold']::text[]`.execute(db);
  await sql`update webhooks set events = array_remove(events, 'threshold')`.execute(db);
  await eventChecks(db, BEFORE);
}
