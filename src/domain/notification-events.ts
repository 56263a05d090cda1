/**
 * Which audit entries are events someone is told of: a result submitted for approval (or sent back for
 * approval after a change), returned with a comment, or approved; and a period locked. Anomalies come
 * from statistics imports and are found by the notifier, which reads the statistics store. Pure: the
 * entries come from the audit log.
 * @module
 */
import { stepOf } from './history-diff.js';

/** One audit entry, as the notifier reads it. */
export interface AuditedWrite {
  entry: number;
  at: string;
  actor: string;
  action: 'create' | 'update' | 'delete';
  entity: string;
  key: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A result's step that someone must hear of. */
export interface ResultEvent {
  kind: 'result';
  event: 'submitted' | 'returned' | 'approved';
  entry: number;
  at: string;
  actor: string;
  result: number;
  country: 'US' | 'MX';
  agency: string;
  /** The approver's comment, on a return. */
  comment: string | null;
}

/** A period locked: its results can no longer change. */
export interface LockEvent {
  kind: 'period';
  event: 'locked';
  entry: number;
  at: string;
  actor: string;
  period: string;
  country: 'US' | 'MX';
  reason: string | null;
}

export type RecordEvent = ResultEvent | LockEvent;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The event an audit entry is, or null when nobody is told of it. */
export function eventOf(write: AuditedWrite): RecordEvent | null {
  const { entry, at, actor } = write;
  if (write.entity === 'period' && write.action === 'update') {
    if (write.before?.locked_at != null || write.after?.locked_at == null) return null;
    return {
      kind: 'period',
      event: 'locked',
      entry,
      at,
      actor,
      period: write.key,
      country: write.after.country as 'US' | 'MX',
      reason: text(write.after.lock_reason),
    };
  }
  if (write.entity !== 'result' || write.after === null) return null;
  const step = stepOf(write.entity, write.action, write.before, write.after);
  // A result entered and submitted in one step is a submission.
  const submittedAtOnce = step === 'entered' && write.after.status === 'submitted';
  const event =
    step === 'submitted' || step === 'reopened' || submittedAtOnce
      ? 'submitted'
      : step === 'returned' || step === 'approved'
        ? step
        : null;
  if (event === null) return null;
  return {
    kind: 'result',
    event,
    entry,
    at,
    actor,
    result: Number(write.after.id),
    country: write.after.country as 'US' | 'MX',
    agency: String(write.after.agency),
    comment: event === 'returned' ? text(write.after.review_comment) : null,
  };
}
