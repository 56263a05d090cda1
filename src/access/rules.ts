/**
 * Every rule of who may do what to which record, in one place and without I/O. A rule either answers
 * (`canSee`, `can`) or refuses with one {@link ForbiddenError} whose text is in the EN/ES catalogs.
 *
 * | action          | who                                                                  |
 * | --------------- | -------------------------------------------------------------------- |
 * | `see`           | public: everyone; official use: any official; restricted: its country |
 * | `edit`, `submit`| officials of the record's own country                                |
 * | `approve`       | officials of the other country (the counterpart)                      |
 * | `lock`          | officials of the period's own country                                |
 * | `import`        | any official                                                          |
 * | `manage_tokens` | the operator of the data directory only                               |
 *
 * The operator may do everything. `src/access/rules.test.ts` checks every cell as a matrix.
 * @module
 */
import type { Classification, Country } from '../domain/common-schema.js';
import { ForbiddenError } from '../error.js';
import { isOperator, type Official, type Viewer } from './viewer.js';

export const ACTIONS = ['see', 'edit', 'submit', 'approve', 'lock', 'import', 'manage_tokens'] as const;
export type Action = (typeof ACTIONS)[number];

/** What the rules need to know of a record: its classification and owning country. */
export interface Owned {
  classification: Classification;
  country: Country;
}

/** Whether `viewer` may read `record`. */
export function canSee(viewer: Viewer, record: Owned): boolean {
  if (record.classification === 'public') return true;
  if (viewer === null) return false;
  if (isOperator(viewer)) return true;
  if (record.classification === 'official_use') return true;
  return record.country === viewer.country;
}

/** A record as messages name it: its entity (`program`, `result`, …) and its key. */
export interface Ref {
  entity: string;
  key: string;
}

const signInFirst = (what: Ref) => new ForbiddenError({ key: 'access.signIn', values: { ...what } });

/** Edits and submissions come from the record's own country. */
export function assertCanEdit(viewer: Viewer, record: Pick<Owned, 'country'>, what: Ref): void {
  if (viewer === null) throw signInFirst(what);
  if (isOperator(viewer)) return;
  if (viewer.country !== record.country)
    throw new ForbiddenError({ key: 'access.notOwner', values: { ...what, country: record.country } });
}

/** Submitting a result for approval is an edit of its status: its owners do it. */
export const assertCanSubmit = assertCanEdit;

/** Results are approved by the counterpart country: never by the country that reported them. */
export function assertCanApprove(viewer: Viewer, result: Pick<Owned, 'country'>, what: Ref): void {
  if (viewer === null) throw signInFirst(what);
  if (isOperator(viewer)) return;
  if (viewer.country === result.country)
    throw new ForbiddenError({ key: 'access.selfApproval', values: { ...what, country: result.country } });
}

/** A reporting period is locked by its own country. */
export const assertCanLock: (viewer: Viewer, period: Pick<Owned, 'country'>, what: Ref) => void =
  assertCanEdit;

/** Statistics are imported by officials (and the operator). */
export function assertCanImport(viewer: Viewer): void {
  if (viewer === null) throw signInFirst({ entity: 'import', key: '' });
}

/** API tokens are created and revoked by the operator of the data directory, never through the API. */
export function assertCanManageTokens(viewer: Viewer): void {
  if (!isOperator(viewer)) throw new ForbiddenError({ key: 'access.operatorOnly', values: {} });
}

/**
 * The matrix in one call: whether `viewer` may take `action` on `record` (ignored by `import` and
 * `manage_tokens`).
 */
export function can(viewer: Viewer, action: Action, record: Owned): boolean {
  if (action === 'see') return canSee(viewer, record);
  const what = { entity: 'record', key: '' };
  try {
    if (action === 'edit') assertCanEdit(viewer, record, what);
    else if (action === 'submit') assertCanSubmit(viewer, record, what);
    else if (action === 'approve') assertCanApprove(viewer, record, what);
    else if (action === 'lock') assertCanLock(viewer, record, what);
    else if (action === 'import') assertCanImport(viewer);
    else assertCanManageTokens(viewer);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
}

/**
 * Checks one create, update or delete of a multi-record write before it happens; throws to refuse it.
 * `existing` is undefined for a create and `values` for a delete.
 */
export type WriteGuard = (
  entity: string,
  key: string,
  existing: Record<string, unknown> | undefined,
  values: Record<string, unknown> | undefined,
) => void;

/**
 * The guard of every write made with an official's token (a workspace load, a period lock): records of
 * the official's own country only, and never an approval, which comes from the counterpart one result at
 * a time.
 */
export function writeGuard(viewer: Official): WriteGuard {
  return (entity, key, existing, values) => {
    const what = { entity, key };
    // Locking a period moves every result inside it to `locked`, whoever owns the result; that write sets
    // the status and nothing else.
    if (values && Object.keys(values).length === 1 && values.status === 'locked') return;
    if (existing) assertCanEdit(viewer, { country: existing.country as Country }, what);
    if (values?.country !== undefined && values.country !== viewer.country && !isOperator(viewer))
      throw new ForbiddenError({
        key: 'access.otherCountry',
        values: { ...what, country: String(values.country), own: viewer.country },
      });
    if (entity === 'result' && values?.status === 'approved' && !isOperator(viewer))
      throw new ForbiddenError({ key: 'access.approveInBulk', values: { ...what } });
  };
}

/** What is wrong with a record owner's country and agency; `agencies` are the known organisations. */
export function ownerIssues(
  owner: { country: string; agency: string },
  agencies: ReadonlySet<string>,
  fields: { country: string; agency: string } = { country: '--country', agency: '--agency' },
): { path: string; message: string }[] {
  const issues = [];
  if (owner.country !== 'US' && owner.country !== 'MX')
    issues.push({ path: fields.country, message: `expected US or MX, got ${JSON.stringify(owner.country)}` });
  if (!agencies.has(owner.agency))
    issues.push({ path: fields.agency, message: `unknown organisation ${JSON.stringify(owner.agency)}` });
  return issues;
}
