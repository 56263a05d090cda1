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

/**
 * Each rule as a question, without a message: `can` answers with them, and the `assertCan…` functions
 * refuse with them, so the rule the matrix tests is the rule the server enforces.
 */
const RULES: Record<Exclude<Action, 'see'>, (viewer: Official, record: Pick<Owned, 'country'>) => boolean> = {
  // Edits and submissions come from the record's own country; so does locking a period.
  edit: (viewer, record) => viewer.country === record.country,
  submit: (viewer, record) => viewer.country === record.country,
  lock: (viewer, record) => viewer.country === record.country,
  // Results are approved by the counterpart country: never by the country that reported them.
  approve: (viewer, record) => viewer.country !== record.country,
  // Any official imports statistics; only the operator of the data directory manages tokens.
  import: () => true,
  manage_tokens: () => false,
};

/**
 * The matrix in one call: whether `viewer` may take `action` on `record` (`record` matters to neither
 * `import` nor `manage_tokens`). Nobody signed in may do anything but see; the operator may do everything.
 */
export function can(viewer: Viewer, action: Action, record: Owned): boolean {
  if (action === 'see') return canSee(viewer, record);
  if (viewer === null) return false;
  return isOperator(viewer) || RULES[action](viewer, record);
}

/** Edits come from the record's own country. */
export function assertCanEdit(viewer: Viewer, record: Pick<Owned, 'country'>, what: Ref): void {
  refuseUnless(viewer, 'edit', record, what, 'access.notOwner');
}

/** Submitting a result for approval is an edit of its status: its owners do it. */
export function assertCanSubmit(viewer: Viewer, record: Pick<Owned, 'country'>, what: Ref): void {
  refuseUnless(viewer, 'submit', record, what, 'access.notOwner');
}

/** Results are approved by the counterpart country: never by the country that reported them. */
export function assertCanApprove(viewer: Viewer, result: Pick<Owned, 'country'>, what: Ref): void {
  refuseUnless(viewer, 'approve', result, what, 'access.selfApproval');
}

/** A reporting period is locked by its own country. */
export function assertCanLock(viewer: Viewer, period: Pick<Owned, 'country'>, what: Ref): void {
  refuseUnless(viewer, 'lock', period, what, 'access.notOwner');
}

/** Statistics are imported by officials (and the operator). */
export function assertCanImport(viewer: Viewer): void {
  if (viewer === null) throw signInFirst({ entity: 'import', key: '' });
}

/** API tokens are created and revoked by the operator of the data directory, never through the API. */
export function assertCanManageTokens(viewer: Viewer): void {
  if (!isOperator(viewer)) throw new ForbiddenError({ key: 'access.operatorOnly', values: {} });
}

function refuseUnless(
  viewer: Viewer,
  action: Exclude<Action, 'see'>,
  record: Pick<Owned, 'country'>,
  what: Ref,
  text: string,
): void {
  if (viewer === null) throw signInFirst(what);
  // Classification decides who sees a record, never who may change it.
  if (!can(viewer, action, { classification: 'public', ...record }))
    throw new ForbiddenError({ key: text, values: { ...what, country: record.country } });
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
    // Only results have the status `approved`.
    if (values?.status === 'approved' && !isOperator(viewer))
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
