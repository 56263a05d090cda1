/**
 * What one audit entry of a result did, in words a reviewer reads: entered, submitted, approved, returned
 * with a comment, changed, sent back for approval, locked, or an evidence file attached or removed (with
 * its reason); and which of the
 * result's fields changed, from what to what. Pure: the entries come from the audit log.
 * @module
 */

/** The kinds of step a result's history holds. */
export type HistoryStep =
  | 'entered'
  | 'submitted'
  | 'approved'
  | 'returned'
  | 'reopened'
  | 'locked'
  | 'changed'
  | 'attached'
  | 'removed';

/** The fields of a result a reviewer follows, in the order they are shown. */
export const FOLLOWED_FIELDS = [
  'value',
  'numerator',
  'denominator',
  'comment',
  'evidence',
  'status',
  'review_comment',
] as const;

export type FollowedField = (typeof FOLLOWED_FIELDS)[number];

/** One field's change. */
export interface FieldChange {
  field: FollowedField;
  from: unknown;
  to: unknown;
}

type Row = Record<string, unknown> | null;

/** The step an entry of `entity` made, from the record before and after it. */
export function stepOf(entity: string, action: string, before: Row, after: Row): HistoryStep {
  if (entity === 'attachment') return after?.removed_at ? 'removed' : 'attached';
  if (action === 'create') return 'entered';
  const from = before?.status;
  const to = after?.status;
  if (from === to) return 'changed';
  if (to === 'locked') return 'locked';
  if (to === 'approved') return 'approved';
  if (to === 'submitted') return from === 'approved' ? 'reopened' : 'submitted';
  if (to === 'draft' && from === 'submitted' && after?.review_comment) return 'returned';
  return 'changed';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The followed fields that differ between `before` and `after` (every one set, for a creation). */
export function fieldChanges(before: Row, after: Row): FieldChange[] {
  return FOLLOWED_FIELDS.filter((f) => !same(before?.[f], after?.[f])).map((field) => ({
    field,
    from: before?.[field] ?? null,
    to: after?.[field] ?? null,
  }));
}
