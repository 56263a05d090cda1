/**
 * Organisations (agencies): anyone lists those they may see; an admin adds or renames its own country's,
 * with the same validation, optimistic versions and audit as a workspace load (the agencies tokens and
 * users belong to are curated here, without the reporter's rights a workspace load needs). The same
 * service serves the administration page (`src/accounts/organisation-admin.ts`).
 * @module
 */
import { organisationsFor, saveOrganisationAs } from '../../accounts/organisation-admin.js';
import { OrganisationBody } from '../../domain/organisation-input.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

export const organisations = route({
  method: 'get',
  path: '/organisations',
  operationId: 'listOrganisations',
  response: R.OrganisationList,
  tag: 'organisations',
  permission: 'read',
  summary: 'The organisations (agencies) records, tokens and users belong to, each of one country',
  query: LangQuery,
  handle: ({ store, viewer }) => organisationsFor(store, viewer),
});

export const saveOrganisation = route({
  method: 'post',
  path: '/organisations',
  operationId: 'saveOrganisation',
  response: R.OrganisationSaved,
  tag: 'organisations',
  permission: 'manage:organisations',
  summary:
    'Add an organisation of the admin’s country, or change one (send the version read); audited like every record',
  body: OrganisationBody,
  handle: ({ store, viewer, body, write }) => saveOrganisationAs(store, viewer!, body, write),
});
