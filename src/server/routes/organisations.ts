/**
 * Organisations (agencies): anyone lists those they may see; an admin adds or renames its own country's,
 * with the same validation, optimistic versions and audit as a workspace load (the agencies tokens and
 * users belong to are curated here, without the reporter's rights a workspace load needs).
 * @module
 */
import { z } from 'zod';
import { canSee, writeGuard } from '../../access/rules.js';
import { isOperator } from '../../access/viewer.js';
import { Classification, Code, Country, Text } from '../../domain/common-schema.js';
import { OrganisationKind } from '../../domain/workspace-schema.js';
import { listOrganisations } from '../../records/organisation-repository.js';
import { loadWorkspace } from '../../records/workspace-load.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';

export const OrganisationBody = z
  .object({
    code: Code,
    name: Text,
    kind: OrganisationKind,
    parent: Code.optional(),
    country: Country,
    /** The owning agency; the admin's own by default. */
    agency: Code.optional(),
    classification: Classification.optional(),
    /** The version read, to change an existing organisation (refused with 409 when stale). */
    version: z.number().int().min(1).optional(),
  })
  .strict();

export const organisations = route({
  method: 'get',
  path: '/organisations',
  tag: 'organisations',
  permission: 'read',
  summary: 'The organisations (agencies) records, tokens and users belong to, each of one country',
  query: LangQuery,
  handle: async ({ store, viewer }) => (await listOrganisations(store)).filter((o) => canSee(viewer, o)),
});

export const saveOrganisation = route({
  method: 'post',
  path: '/organisations',
  tag: 'organisations',
  permission: 'manage:organisations',
  summary:
    'Add an organisation of the admin’s country, or change one (send the version read); audited like every record',
  body: OrganisationBody,
  async handle({ store, viewer, body, write }) {
    const { country, agency, ...organisation } = body;
    const owner = agency ?? (isOperator(viewer) ? organisation.code : viewer!.agency);
    const summary = await loadWorkspace(
      store,
      { marco: 'workspace/1', defaults: { country, agency: owner }, organisations: [organisation] },
      { ...write, source: 'request body', guard: writeGuard(viewer!) },
    );
    const saved = (await listOrganisations(store)).find((o) => o.code === body.code)!;
    return { ...saved, summary };
  },
});
