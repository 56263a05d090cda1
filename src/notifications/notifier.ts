/**
 * The notifier: reads the audit log after its cursor, turns each entry that is an event into notices for
 * the people it concerns (`recipients.ts`), queues an e-mail for each notice whose reader opted in and a
 * call for each webhook subscribed, and moves its cursor, all in one transaction. The reading and the
 * statistics queries happen before it: the transaction only checks that no other notifier moved the
 * cursor meanwhile (and starts over if one did), then writes. A process killed at any point leaves
 * either nothing or everything of a pass; the next pass reads the same entries, and the notices' unique
 * key keeps a repeated pass from adding any twice.
 * @module
 */
import { eventOf, type AuditedWrite, type RecordEvent } from '../domain/notification-events.js';
import type { RecordsStore } from '../records/database.js';
import {
  activeRecipients,
  activeWebhooks,
  followedPlaces,
  followersOf,
  hasPendingWrites,
  insertNotices,
  lockCursor,
  moveCursor,
  readCursor,
  queueDeliveries,
  resultSubjects,
  writesAfter,
  type NewDelivery,
  type NewNotice,
  type ResultSubject,
} from '../records/notification-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import { anomaliesOfImport, type AnomalyEvent } from './anomaly-events.js';
import { recipientsOf, webhooksOf } from './recipients.js';
import {
  thresholdRecipients,
  thresholdsCrossed,
  thresholdWebhooks,
  type ThresholdEvent,
} from './threshold-events.js';

/** Audit entries read per pass. */
const BATCH = 1000;

export interface NotifyOptions {
  now?: () => Date;
}

export interface NotifyReport {
  /** Audit entries read. */
  entries: number;
  notices: number;
  deliveries: number;
}

/** What a notice keeps of its event: enough to write it in either language without reading again. */
function subjectOf(
  event: RecordEvent | AnomalyEvent | ThresholdEvent,
  result: ResultSubject | undefined,
  placeName: (code: string) => string | null,
): Record<string, unknown> {
  const base = { actor: event.actor };
  if (event.kind === 'anomaly' || event.kind === 'threshold') {
    const { kind: _k, event: _e, entry: _n, at: _a, actor: _w, ...rest } = event;
    return { ...base, ...rest };
  }
  if (event.kind === 'period') return { ...base, period: event.period, reason: event.reason };
  return { ...base, ...result, place_name: result ? placeName(result.place) : null, comment: event.comment };
}

const keyOf = (event: RecordEvent | AnomalyEvent | ThresholdEvent): string =>
  event.kind === 'anomaly'
    ? `anomaly:${event.measure}:${event.place}:${event.month}`
    : event.kind === 'threshold'
      ? `threshold:${event.indicator}:${event.period ?? ''}:${event.status}`
      : event.kind === 'period'
        ? `period:${event.period}`
        : `result:${event.result}:${event.event}`;

/** The notices and outbox rows of a run of audit entries. */
async function plan(store: RecordsStore, stats: StatsStore | undefined, writes: AuditedWrite[]) {
  const events: (RecordEvent | AnomalyEvent | ThresholdEvent)[] = [];
  const places = writes.some((w) => w.entity === 'statistics vintage') ? await followedPlaces(store.db) : [];
  for (const write of writes) {
    const event = eventOf(write);
    if (event) events.push(event);
    else events.push(...(await anomaliesOfImport(stats, write, places)));
  }
  if (events.length === 0) return { notices: [], hooks: [] as NewDelivery[], people: [] };
  const people = await activeRecipients(store.db);
  const hooks = await activeWebhooks(store.db);
  const subjects = await resultSubjects(
    store.db,
    events.flatMap((e) => (e.kind === 'result' ? [e.result] : [])),
  );
  // Approvals that moved an indicator into amber or red.
  events.push(
    ...(await thresholdsCrossed(
      store,
      stats,
      events.flatMap((e) => (e.kind === 'result' ? [e] : [])),
      subjects,
    )),
  );
  const meta = stats ? await stats.metadata() : undefined;
  const placeName = (code: string) => meta?.places.get(code)?.name ?? null;
  const followers = await followersOf(
    store.db,
    events.flatMap((e) => (e.kind === 'anomaly' ? [e.place] : [])),
  );
  const notices: NewNotice[] = [];
  const calls: NewDelivery[] = [];
  for (const event of events) {
    const subject = event.kind === 'result' ? subjects.get(event.result) : undefined;
    const told =
      event.kind === 'anomaly'
        ? people.filter((p) => followers.get(event.place)?.includes(p.id))
        : event.kind === 'threshold'
          ? thresholdRecipients(event, people)
          : recipientsOf(event, subject, people);
    const body = subjectOf(event, subject, placeName);
    const key = keyOf(event);
    for (const person of told)
      notices.push({
        userId: person.id,
        entry: event.entry,
        event: event.event,
        key,
        subject: body,
        at: event.at,
      });
    if (event.kind === 'anomaly') continue;
    for (const hook of event.kind === 'threshold'
      ? thresholdWebhooks(event, hooks)
      : webhooksOf(event, subject, hooks))
      calls.push({
        channel: 'webhook',
        webhookId: hook.id,
        payload: { id: `${event.entry}:${key}`, event: event.event, at: event.at, subject: body },
      });
  }
  return { notices, hooks: calls, people };
}

/**
 * Reads every audit entry not yet read and writes its notices and deliveries; returns what it did. Safe
 * to run from several processes at once: the cursor's row lock orders them.
 */
export async function notifyPending(
  store: RecordsStore,
  stats: StatsStore | undefined,
  options: NotifyOptions = {},
): Promise<NotifyReport> {
  const report: NotifyReport = { entries: 0, notices: 0, deliveries: 0 };
  for (;;) {
    if (!(await hasPendingWrites(store.db))) return report;
    const start = await readCursor(store.db);
    const writes = await writesAfter(store.db, start, BATCH);
    if (writes.length === 0) return report;
    const { notices, hooks, people } = await plan(store, stats, writes);
    const now = (options.now ?? (() => new Date()))().toISOString();
    const moved = await store.db.transaction().execute(async (trx) => {
      if ((await lockCursor(trx)) !== start) return false;
      const written = await insertNotices(trx, notices);
      const byId = new Map(people.map((p) => [p.id, p]));
      const mails: NewDelivery[] = written.flatMap((n) => {
        const person = byId.get(n.user_id);
        return person?.email && person.emailNotifications
          ? [{ channel: 'email' as const, notificationId: n.id, payload: { to: person.email } }]
          : [];
      });
      const queued = await queueDeliveries(trx, [...mails, ...hooks], now);
      await moveCursor(trx, writes.at(-1)!.entry);
      report.notices += written.length;
      report.deliveries += queued;
      return true;
    });
    if (moved) report.entries += writes.length;
  }
}
