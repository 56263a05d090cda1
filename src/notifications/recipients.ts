/**
 * Who is told of an event, by the same rules that decide who may see and act on the record:
 *
 * | event                 | told                                                                    |
 * | --------------------- | ----------------------------------------------------------------------- |
 * | submitted             | the counterpart's approvers (those who must approve or return it)       |
 * | returned, approved    | the reporters of the result's own country and agency                    |
 * | locked                | every reporter and approver: no result of the period can change now     |
 * | anomaly               | whoever follows the place                                               |
 *
 * Nobody is told of their own action, and nobody is told of a result they may not see (`canSeeResult`).
 * Webhooks belong to a country and receive what that country's reporters and approvers may see.
 * @module
 */
import { canSeeResult } from '../access/rules.js';
import { hasRole, type Official } from '../access/viewer.js';
import type { RecordEvent, ResultEvent } from '../domain/notification-events.js';
import type { ActiveWebhook, Recipient, ResultSubject } from '../records/notification-repository.js';

const officialOf = (r: Recipient): Official => ({
  user: r.user,
  country: r.country,
  agency: r.agency,
  roles: r.roles,
});

/** The status a result has once the event happened. */
const statusAfter = { submitted: 'submitted', returned: 'draft', approved: 'approved' } as const;

/** The result as the visibility rules judge it, once the event happened. */
const recordOf = (event: ResultEvent, subject: ResultSubject) => ({
  classification: subject.classification,
  country: event.country,
  agency: event.agency,
  status: statusAfter[event.event],
});

/** The people told of a record's event (a result's or a period's). */
export function recipientsOf(
  event: RecordEvent,
  subject: ResultSubject | undefined,
  people: readonly Recipient[],
): Recipient[] {
  const others = people.filter((p) => p.user !== event.actor);
  if (event.kind === 'period')
    return others.filter((p) => hasRole(officialOf(p), 'reporter') || hasRole(officialOf(p), 'approver'));
  if (!subject) return [];
  const record = recordOf(event, subject);
  const told = others.filter((p) =>
    event.event === 'submitted'
      ? p.country !== event.country && hasRole(officialOf(p), 'approver')
      : p.country === event.country && p.agency === event.agency && hasRole(officialOf(p), 'reporter'),
  );
  return told.filter((p) => canSeeResult(officialOf(p), record));
}

/** The webhooks that receive a record's event. */
export function webhooksOf(
  event: RecordEvent,
  subject: ResultSubject | undefined,
  hooks: readonly ActiveWebhook[],
): ActiveWebhook[] {
  const subscribed = hooks.filter((h) => h.events.includes(event.event));
  if (event.kind === 'period') return subscribed;
  if (!subject) return [];
  const record = recordOf(event, subject);
  return subscribed.filter((h) =>
    canSeeResult(
      { user: `webhook:${h.id}`, country: h.country, agency: '', roles: ['reporter', 'approver'] },
      record,
    ),
  );
}
