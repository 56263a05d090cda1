/**
 * What tokens and users share: a holder's user name, its country and agency, and its roles, checked the
 * same way for both.
 * @module
 */
import { ownerIssues } from '../access/rules.js';
import { ROLES, type Role } from '../access/viewer.js';
import type { Country } from '../domain/common-schema.js';
import { textIssue } from '../error.js';
import type { RecordsStore } from './database.js';
import { organisationCountries } from './organisation-repository.js';

export interface Holder {
  user: string;
  country: Country;
  agency: string;
  roles: readonly Role[];
}

/** What is wrong with a holder's user name, owner and roles, each under its field's name. */
export async function holderIssues(
  store: RecordsStore,
  h: Holder,
  fields: Record<'user' | 'country' | 'agency' | 'roles', string>,
): Promise<{ path: string; message: string }[]> {
  const issues = [];
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(h.user))
    issues.push(textIssue(fields.user, 'validation.records.userName'));
  issues.push(...ownerIssues(h, await organisationCountries(store), fields));
  const unknown = h.roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (h.roles.length === 0 || unknown.length > 0)
    issues.push(
      unknown.length
        ? textIssue(fields.roles, 'validation.records.rolesGot', {
            roles: ROLES.join(', '),
            got: unknown.join(', '),
          })
        : textIssue(fields.roles, 'validation.records.roles', { roles: ROLES.join(', ') }),
    );
  return issues;
}

/** Roles once each, in the order of {@link ROLES}. */
export const sortedRoles = (roles: readonly Role[]): Role[] =>
  [...new Set(roles)].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
