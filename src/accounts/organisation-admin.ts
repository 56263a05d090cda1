/**
 * Organisations (agencies) as admins curate them, through the API (`/api/v1/organisations`) and the
 * administration page: each admin adds or changes their own country's, with the same validation,
 * optimistic versions and audit as a workspace load, without the reporter's rights a load needs.
 * @module
 */
import { canSee, writeGuard } from '../access/rules.js';
import { isOperator, type Official, type Viewer } from '../access/viewer.js';
import type { OrganisationBody } from '../domain/organisation-input.js';
import type { RecordsStore } from '../records/database.js';
import { listOrganisations, type OrganisationInfo } from '../records/organisation-repository.js';
import type { WriteOptions } from '../records/transaction.js';
import { loadWorkspace } from '../records/workspace-load.js';
import type { LoadSummary } from '../records/workspace-write.js';

/** The organisations `viewer` may see, by code. */
export async function organisationsFor(store: RecordsStore, viewer: Viewer): Promise<OrganisationInfo[]> {
  return (await listOrganisations(store)).filter((o) => canSee(viewer, o));
}

/** Adds or changes one organisation as `admin`; returns it as saved, with what the write did. */
export async function saveOrganisationAs(
  store: RecordsStore,
  admin: Official,
  body: OrganisationBody,
  write: WriteOptions,
  source = 'request body',
): Promise<OrganisationInfo & { summary: LoadSummary }> {
  const { country, agency, ...organisation } = body;
  const owner = agency ?? (isOperator(admin) ? organisation.code : admin.agency);
  const summary = await loadWorkspace(
    store,
    { marco: 'workspace/1', defaults: { country, agency: owner }, organisations: [organisation] },
    { ...write, source, guard: writeGuard(admin) },
  );
  const saved = (await listOrganisations(store)).find((o) => o.code === body.code)!;
  return { ...saved, summary };
}
