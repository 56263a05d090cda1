/**
 * Every rule of who may do what to which record, in one place and without I/O. A rule either answers
 * (`canSee`, `can`) or refuses with one {@link ForbiddenError} whose text is in the EN/ES catalogs.
 *
 * | action          | who                                                                               |
 * | --------------- | --------------------------------------------------------------------------------- |
 * | `see`           | public: everyone; official use: any official; restricted: its country's officials |
 * | `edit`, `submit`| reporters of the record's own country and agency                                  |
 * | `approve`       | approvers of the other country (the counterpart)                                  |
 * | `lock`          | admins of the period's own country                                                |
 * | `import`        | data stewards                                                                     |
 * | `manage_tokens` | admins (of their own country's tokens)                                            |
 *
 * The operator may do everything. `src/access/rules.test.ts` checks every cell as a matrix.
 * @module
 */
import type { Classification, Country } from '../domain/common-schema.js';
import { ForbiddenError, textIssue, type Issue } from '../error.js';
import { hasRole, isOperator, type Official, type Role, type Viewer } from './viewer.js';

export const ACTIONS = ['see', 'edit', 'submit', 'approve', 'lock', 'import', 'manage_tokens'] as const;
export type Action = (typeof ACTIONS)[number];

/** What the rules need to know of a record: its classification, owning country and agency. */
export interface Owned {
  classification: Classification;
  country: Country;
  /** The owning agency; rules about agencies apply only when it is known. */
  agency?: string;
}

/** Whether `viewer` may read `record`. */
export function canSee(viewer: Viewer, record: Owned): boolean {
  if (record.classification === 'public') return true;
  if (viewer === null) return false;
  if (isOperator(viewer)) return true;
  if (record.classification === 'official_use') return true;
  return record.country === viewer.country;
}

/** The statuses of a published result: what anonymous and public views count. */
export const PUBLISHED = ['approved', 'locked'] as const;

/**
 * Whether `viewer` may read a result, by its classification and its approval (the semantics of DHIS2's
 * data approval): approved and locked results are published to whoever may see the record; a draft or
 * submitted result is seen only by officials of its own country (its owners, clearly marked as
 * unapproved) and by the operator; and a submitted result is also seen, whatever its classification, by
 * the counterpart's approvers, who must approve or return it.
 */
export function canSeeResult(viewer: Viewer, result: Owned & { status: string }): boolean {
  if ((PUBLISHED as readonly string[]).includes(result.status)) return canSee(viewer, result);
  if (viewer === null) return false;
  if (isOperator(viewer)) return true;
  if (viewer.country === result.country) return canSee(viewer, result);
  return result.status === 'submitted' && hasRole(viewer, 'approver');
}

/** A record as messages name it: its entity (`program`, `result`, …) and its key. */
export interface Ref {
  entity: string;
  key: string;
}

const signInFirst = (what: Ref) => new ForbiddenError({ key: 'access.signIn', values: { ...what } });

type Target = Pick<Owned, 'country' | 'agency'>;

/** Each action's role, and the rule about the record once the role is held. */
const RULES: Record<
  Exclude<Action, 'see'>,
  { role: Role; record: (viewer: Official, record: Target) => boolean }
> = {
  // Edits and submissions come from the record's own country and agency.
  edit: {
    role: 'reporter',
    record: (v, r) => v.country === r.country && (r.agency === undefined || r.agency === v.agency),
  },
  submit: {
    role: 'reporter',
    record: (v, r) => v.country === r.country && (r.agency === undefined || r.agency === v.agency),
  },
  // Results are approved by the counterpart country: never by the country that reported them.
  approve: { role: 'approver', record: (v, r) => v.country !== r.country },
  // A country's admins lock its own reporting periods.
  lock: { role: 'admin', record: (v, r) => v.country === r.country },
  import: { role: 'data_steward', record: () => true },
  manage_tokens: { role: 'admin', record: (v, r) => v.country === r.country },
};

/**
 * The matrix in one call: whether `viewer` may take `action` on `record` (for `import` the record does
 * not matter; for `manage_tokens` it is the token's owner). Nobody signed in may do anything but see;
 * the operator may do everything.
 */
export function can(viewer: Viewer, action: Action, record: Owned): boolean {
  if (action === 'see') return canSee(viewer, record);
  if (viewer === null) return false;
  if (isOperator(viewer)) return true;
  const rule = RULES[action];
  return hasRole(viewer, rule.role) && rule.record(viewer, record);
}

/** Edits come from the record's own country and agency. */
export function assertCanEdit(viewer: Viewer, record: Target, what: Ref): void {
  refuseUnless(viewer, 'edit', record, what, 'access.notOwner');
}

/** Submitting a result for approval is an edit of its status: its owners do it. */
export function assertCanSubmit(viewer: Viewer, record: Target, what: Ref): void {
  refuseUnless(viewer, 'submit', record, what, 'access.notOwner');
}

/** Results are approved by the counterpart country: never by the country that reported them. */
export function assertCanApprove(viewer: Viewer, result: Target, what: Ref): void {
  refuseUnless(viewer, 'approve', result, what, 'access.selfApproval');
}

/** A reporting period is locked by its own country's admins. */
export function assertCanLock(viewer: Viewer, period: Target, what: Ref): void {
  refuseUnless(viewer, 'lock', period, what, 'access.notOwner');
}

/** Statistics are imported and rolled back by data stewards (and the operator). */
export function assertCanImport(viewer: Viewer): void {
  refuseUnless(
    viewer,
    'import',
    { country: viewer?.country ?? 'MX' },
    { entity: 'import', key: '' },
    'access.notOwner',
  );
}

/**
 * Tokens are created, listed and revoked by admins, for their own country's officials; the same admins
 * curate their country's agencies (`what` names the record refused).
 */
export function assertCanManageTokens(
  viewer: Viewer,
  owner: Target = { country: viewer?.country ?? 'MX' },
  what: Ref = { entity: 'token', key: '' },
): void {
  refuseUnless(viewer, 'manage_tokens', owner, what, 'access.notOwner');
}

/**
 * Benchmarks are co-owned by both countries: a reporter of either country proposes a benchmark or a
 * target; each country's approvers approve a target for their own country (the operator for Mexico).
 * Returns the country whose approval `viewer` gives.
 */
export function assertCanProposeBenchmark(viewer: Viewer, what: Ref): void {
  if (viewer === null) throw signInFirst(what);
  if (!hasRole(viewer, 'reporter'))
    throw new ForbiddenError({ key: 'access.missingRole', values: { ...what, role: 'reporter' } });
}

export function assertCanApproveBenchmark(viewer: Viewer, what: Ref): Country {
  if (viewer === null) throw signInFirst(what);
  if (!hasRole(viewer, 'approver'))
    throw new ForbiddenError({ key: 'access.missingRole', values: { ...what, role: 'approver' } });
  return viewer.country;
}

function refuseUnless(
  viewer: Viewer,
  action: Exclude<Action, 'see'>,
  record: Target,
  what: Ref,
  text: string,
): void {
  if (viewer === null) throw signInFirst(what);
  // Classification decides who sees a record, never who may change it.
  if (can(viewer, action, { classification: 'public', ...record })) return;
  const rule = RULES[action];
  if (!hasRole(viewer, rule.role))
    throw new ForbiddenError({ key: 'access.missingRole', values: { ...what, role: rule.role } });
  if ((action === 'edit' || action === 'submit') && viewer.country === record.country)
    throw new ForbiddenError({
      key: 'access.otherAgency',
      values: { ...what, agency: record.agency ?? '', own: viewer.agency },
    });
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

/** The fields a period lock writes on its period. */
const LOCK_FIELDS = new Set(['locked_at', 'locked_by', 'lock_reason']);

/**
 * The guard of every write made with an official's token (a workspace load, a period lock): records of
 * the official's own country and agency only, organisations by admins only, and never an approval,
 * which comes from the counterpart one result at a time.
 */
export function writeGuard(viewer: Official): WriteGuard {
  return (entity, key, existing, values) => {
    const what = { entity, key };
    if (isOperator(viewer)) return;
    // Locking a period moves every result inside it to `locked`; the lock route has checked the admin.
    if (values && Object.keys(values).length === 1 && values.status === 'locked') return;
    // The lock itself is written on the period by an admin of the period's country.
    if (entity === 'period' && existing && values && Object.keys(values).every((k) => LOCK_FIELDS.has(k))) {
      assertCanLock(viewer, { country: existing.country as Country }, what);
      return;
    }
    // Agencies are curated by admins of their own country.
    if (entity === 'organisation') {
      const country = (values?.country ?? existing?.country) as Country;
      assertCanManageTokens(viewer, { country }, what);
      return;
    }
    if (existing)
      assertCanEdit(
        viewer,
        { country: existing.country as Country, agency: existing.agency as string },
        what,
      );
    else if (!hasRole(viewer, 'reporter'))
      throw new ForbiddenError({ key: 'access.missingRole', values: { ...what, role: 'reporter' } });
    if (values?.country !== undefined && values.country !== viewer.country)
      throw new ForbiddenError({
        key: 'access.otherCountry',
        values: { ...what, country: String(values.country), own: viewer.country },
      });
    if (values?.agency !== undefined && values.agency !== viewer.agency)
      throw new ForbiddenError({
        key: 'access.otherAgency',
        values: { ...what, agency: String(values.agency), own: viewer.agency },
      });
    // Only results have the status `approved`.
    if (values?.status === 'approved')
      throw new ForbiddenError({ key: 'access.approveInBulk', values: { ...what } });
  };
}

/**
 * What is wrong with a record owner's country and agency; `agencies` maps each known organisation to
 * its country, and an agency must belong to the owner's country.
 */
export function ownerIssues(
  owner: { country: string; agency: string },
  agencies: ReadonlyMap<string, Country>,
  fields: { country: string; agency: string } = { country: '--country', agency: '--agency' },
): Issue[] {
  const issues: Issue[] = [];
  if (owner.country !== 'US' && owner.country !== 'MX')
    issues.push(
      textIssue(fields.country, 'validation.records.country', { given: JSON.stringify(owner.country) }),
    );
  const country = agencies.get(owner.agency);
  if (country === undefined)
    issues.push(
      textIssue(fields.agency, 'validation.records.unknownOrganisation', {
        agency: JSON.stringify(owner.agency),
      }),
    );
  else if ((owner.country === 'US' || owner.country === 'MX') && country !== owner.country)
    issues.push(
      textIssue(fields.agency, 'validation.records.agencyCountry', {
        agency: owner.agency,
        country,
        owner: owner.country,
      }),
    );
  return issues;
}
