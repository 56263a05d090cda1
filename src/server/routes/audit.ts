/**
 * The audit log's head, published for anyone to keep: the counterpart country records it (and the
 * public key) and later runs `marco audit verify --expect-head HASH --public-key FILE`, so entries
 * removed from the end, a rewritten chain, or entries not signed by this deployment are found.
 * @module
 */
import type { Context } from 'hono';
import { auditHead, auditHeadHeader } from '../../records/audit.js';
import type { RecordsStore } from '../../records/database.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

export const head = route({
  method: 'get',
  path: '/audit/head',
  operationId: 'getAuditHead',
  response: R.AuditHead,
  tag: 'audit',
  permission: 'read',
  summary:
    'The audit log’s entry count, head hash and its Ed25519 signature, and the deployment’s public key (PEM): keep them to check the log later',
  query: LangQuery,
  handle: async ({ store }) => ({ ...(await auditHead(store.db)), publicKey: store.signer.publicKeyPem }),
});

/** Sets `Marco-Audit-Head: ENTRIES:HASH` on an export, so every export names the log it came from. */
export async function markExport(c: Context, store: RecordsStore): Promise<void> {
  c.header('Marco-Audit-Head', await auditHeadHeader(store.db));
}
