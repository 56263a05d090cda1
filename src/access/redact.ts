/**
 * What anonymous readers are not told: the names of the officials who wrote, reviewed, locked or
 * imported a record. The record itself, its owning country and agency, and its dates stay.
 * @module
 */

/** Fields that hold a person's user name. */
export const USER_FIELDS = new Set([
  'created_by',
  'updated_by',
  'locked_by',
  'reviewed_by',
  'revoked_by',
  'withdrawn_by',
  'imported_by',
  'changed_by',
  'added_by',
  'attachedBy',
  'proposedBy',
]);

/** Objects whose `by` is a person: a result's review, and each country's approval of a target. */
const withBy = (v: unknown) =>
  v && typeof v === 'object' ? { ...withoutUserNames(v as Record<string, unknown>), by: undefined } : v;

/** A copy of `value` without user names, at any depth (a review's and an approval's `by` included). */
export function withoutUserNames<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUserNames) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (USER_FIELDS.has(key)) continue;
    out[key] =
      key === 'review'
        ? withBy(v)
        : key === 'approvals' && v && typeof v === 'object' && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v).map(([country, a]) => [country, withBy(a)]))
          : withoutUserNames(v);
  }
  return out as T;
}
