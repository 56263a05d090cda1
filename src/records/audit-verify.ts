/**
 * `marco audit verify` in one call: the chain and its signatures (`audit.ts`), an expected head kept
 * outside the store, and every record's state against its last audited state (`audit-state.ts`).
 * @module
 */
import { verifyChain, type ChainReport } from './audit.js';
import { stateMismatches, type StateMismatch } from './audit-state.js';
import type { RecordsStore } from './database.js';

export interface AuditReport extends ChainReport {
  /** Records whose state is not their last audited one. */
  mismatches: StateMismatch[];
  /** True when anything above shows tampering. */
  tampered: boolean;
}

export async function verifyAudit(
  store: RecordsStore,
  options: { expectHead?: string; publicKeyPem?: string } = {},
): Promise<AuditReport> {
  const chain = await verifyChain(store.db, {
    publicKeyPem: options.publicKeyPem ?? store.signer.publicKeyPem,
    ...(options.expectHead ? { expectHead: options.expectHead } : {}),
  });
  const mismatches = await stateMismatches(store.db);
  const tampered =
    chain.brokenAt !== null ||
    chain.badSignatures.length > 0 ||
    (chain.expected !== undefined && !chain.expected.found) ||
    mismatches.length > 0;
  return { ...chain, mismatches, tampered };
}
