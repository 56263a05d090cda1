/**
 * Storing evidence files inside a write: each file's bytes once, under the SHA-256 of its content
 * (`evidence_blobs`), and each attachment to a result as an audited record of its own
 * (`result_attachments`), owned like the result. Used by the writes that create or change a result, so a
 * result and its evidence commit together or not at all.
 * @module
 */
import type { Transaction } from 'kysely';
import { upsertRecord, type WriteContext } from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

/** A file ready to store (checked by `monitoring/evidence.ts`). */
export interface StoredEvidence {
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  content: Uint8Array;
}

/** The result an attachment belongs to, as the transaction read it. */
export interface AttachedTo {
  id: number;
  key: string;
  country: 'US' | 'MX';
  agency: string;
  classification: 'public' | 'official_use' | 'restricted';
}

/**
 * Attaches `files` to `result` inside a write: each file's bytes stored once, each attachment an audited
 * record (a file attached twice is unchanged). Returns how many attachments are new.
 */
export async function attachIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  result: AttachedTo,
  files: readonly StoredEvidence[],
): Promise<number> {
  let added = 0;
  for (const file of files) {
    await trx
      .insertInto('evidence_blobs')
      .values({ sha256: file.sha256, media_type: file.mediaType, size: file.size, content: file.content })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    const { action } = await upsertRecord(trx, ctx, {
      table: 'result_attachments',
      entity: 'attachment',
      key: `${result.key}#${file.sha256}`,
      where: { result_id: result.id, sha256: file.sha256 },
      values: {
        filename: file.filename,
        media_type: file.mediaType,
        size: file.size,
        country: result.country,
        agency: result.agency,
        classification: result.classification,
        // A file removed by mistake and attached again is attached once more.
        removed_at: null,
        removed_by: null,
        removal_reason: null,
      },
    });
    if (action === 'create') added++;
  }
  return added;
}
