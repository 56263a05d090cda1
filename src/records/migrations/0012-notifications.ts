/**
 * Notifications. Each user may give an e-mail address and a language, and opt in to e-mail; may follow
 * places (for anomalies); and may hold one key for their private Atom feed, stored by its hash. Events
 * are read from the audit log, the one record of every write: `notification_cursor` is the last entry
 * read, moved in the same transaction as the notifications it produced, so a process killed midway
 * reads the same entries again and the unique key makes the second pass add nothing. A new deployment's
 * cursor starts at the log's end: upgrading does not notify thirteen years of history.
 *
 * `deliveries` is the outbox of e-mails and webhook calls, written in that same transaction and sent
 * after it commits, with retries. `webhooks` are an admin's signed endpoints; their secrets sign the
 * body (HMAC-SHA256) and are never written to the audit log.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export const EVENTS = ['submitted', 'returned', 'approved', 'locked', 'anomaly'] as const;
const EVENT_CHECK = sql.raw(EVENTS.map((e) => `'${e}'`).join(', '));

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users
    add column email text check (email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' and length(email) <= 254),
    add column language text not null default 'en' check (language in ('en', 'es')),
    add column email_notifications boolean not null default false`.execute(db);
  await sql`create table notifications (
    id bigint generated always as identity primary key,
    user_id integer not null references users (id) on delete cascade,
    entry integer not null,
    event text not null check (event in (${EVENT_CHECK})),
    key text not null,
    subject jsonb not null,
    at timestamptz not null,
    read_at timestamptz,
    unique (user_id, entry, key))`.execute(db);
  await sql`create index notifications_inbox on notifications (user_id, id desc)`.execute(db);
  await sql`create table notification_cursor (
    name text primary key,
    last_entry integer not null check (last_entry >= 0))`.execute(db);
  await sql`insert into notification_cursor (name, last_entry)
    select 'notifier', coalesce(max(id), 0) from audit_log`.execute(db);
  await sql`create table followed_places (
    user_id integer not null references users (id) on delete cascade,
    place text not null check (place ~ '^(MX|US|[0-9]{2}|[0-9]{5}|[A-Z]{2})$'),
    created_at timestamptz not null,
    primary key (user_id, place))`.execute(db);
  await sql`create table feed_keys (
    user_id integer primary key references users (id) on delete cascade,
    key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz not null)`.execute(db);
  await sql`create table webhooks (
    id integer generated always as identity primary key,
    url text not null check (url ~ '^https?://' and length(url) <= 500),
    secret text not null check (length(secret) >= 32),
    events text[] not null check (cardinality(events) > 0 and events <@ array[${EVENT_CHECK}]::text[]),
    country text not null check (country in ('US', 'MX')),
    created_at timestamptz not null,
    created_by text not null,
    disabled_at timestamptz,
    disabled_by text)`.execute(db);
  await sql`create table deliveries (
    id bigint generated always as identity primary key,
    channel text not null check (channel in ('email', 'webhook')),
    notification_id bigint references notifications (id) on delete cascade,
    webhook_id integer references webhooks (id),
    payload jsonb not null,
    attempts integer not null default 0,
    next_at timestamptz not null,
    delivered_at timestamptz,
    failed_at timestamptz,
    last_error text,
    created_at timestamptz not null,
    check ((channel = 'email') = (notification_id is not null)),
    check ((channel = 'webhook') = (webhook_id is not null)))`.execute(db);
  // A webhook is called once per event, whatever happens to the pass that queued it.
  await sql`create unique index deliveries_once on deliveries (webhook_id, (payload ->> 'id'))
    where webhook_id is not null`.execute(db);
  await sql`create index deliveries_due on deliveries (next_at)
    where delivered_at is null and failed_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'deliveries',
    'webhooks',
    'feed_keys',
    'followed_places',
    'notification_cursor',
    'notifications',
  ])
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  await sql`alter table users drop column if exists email, drop column if exists language,
    drop column if exists email_notifications`.execute(db);
}
