/**
 * Workspace documents: export what the caller may see, and load a document in one transaction with the
 * caller's rights checked on every record it writes.
 * @module
 */
import { z } from 'zod';
import { writeGuard } from '../../access/rules.js';
import { exportWorkspace } from '../../records/workspace-export.js';
import { loadWorkspace } from '../../records/workspace-load.js';
import { WorkspaceLoadQuery } from '../api-schemas.js';
import { route } from '../route.js';
import { markExport } from './audit.js';
import * as R from '../responses/index.js';

export const exportDocument = route({
  method: 'get',
  path: '/workspace',
  operationId: 'exportWorkspace',
  response: R.WorkspaceDocument,
  tag: 'workspace',
  permission: 'read:official',
  summary:
    'Export the records the caller may see as a workspace document (officials only); the Marco-Audit-Head header names the audit log’s head',
  async handle({ c, store, viewer }) {
    await markExport(c, store);
    return exportWorkspace(store, viewer);
  },
});

export const loadDocument = route({
  method: 'post',
  path: '/workspace',
  operationId: 'loadWorkspace',
  response: R.WorkspaceLoaded,
  tag: 'workspace',
  permission: 'write:records',
  summary:
    'Validate and load a workspace document in one transaction; `?dry_run=true` reports without writing',
  query: WorkspaceLoadQuery,
  body: z.unknown().meta({ $ref: '#/components/schemas/Workspace' } as never),
  handle: async ({ store, stats, body, write, query, viewer }) =>
    loadWorkspace(store, body, {
      ...write,
      source: 'request body',
      dryRun: query.dry_run === 'true',
      guard: writeGuard(viewer!),
      // Place codes are checked against the server's geography spine.
      ...(stats ? { places: (await stats.metadata()).places } : {}),
    }),
});
