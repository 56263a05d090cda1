/**
 * The incidents of a workspace export: those the viewer may see, oldest first, each with the version a
 * reload checks. Left out when there are none.
 * @module
 */
import { canSee } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import type { Workspace } from '../domain/workspace-schema.js';
import type { RecordsStore } from './database.js';
import { incidentInput, listIncidents } from './incident-repository.js';
import type { Ownership } from './record-writer.js';

type Owned = (r: Ownership & { version: number }) => Record<string, unknown>;

/** `incidents` of the export, or nothing. */
export async function exportIncidents(
  store: RecordsStore,
  viewer: Viewer,
  owned: Owned,
): Promise<Pick<Workspace, 'incidents'>> {
  const seen = (await listIncidents(store.db))
    .filter((i) => canSee(viewer, i))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.code < b.code ? -1 : 1));
  if (seen.length === 0) return {};
  return {
    incidents: seen.map((i) => {
      const { country: _c, agency: _a, classification: _k, ...fields } = incidentInput(i);
      return { ...fields, ...owned(i) };
    }),
  };
}
