/**
 * Evidence files of results: stored once under their SHA-256 (`evidence_blobs`), attached to a result by
 * an audited record of their own (`result_attachments`, owned like the result), listed with the results
 * and read back only by someone who may see the result. Attaching evidence to an approved result is a
 * change to what was approved: the result goes back to `submitted` for the counterpart to approve again.
 * A result in a locked period takes no more evidence.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import type { RecordsStore } from './database.js';
import { attachIn, type StoredEvidence } from './evidence-store.js';
import { upsertRecord } from './record-writer.js';
import { listResults, lockedResult, refuseIfLocked, type ResultEditor } from './result-repository.js';
import { writeTransaction, type WriteOptions } from './transaction.js';

/** An attachment as the API and the pages list it. */
export interface AttachmentView {
  sha256: string;
  filename: string;
  mediaType: string;
  size: number;
  attachedBy: string;
  attachedAt: string;
}

/**
 * Attaches `files` to result `id` in one audited transaction, with `editor`'s rights checked on the result
 * as the transaction reads it (404 when unseen, 403 for someone who does not report it, 409 in a locked
 * period). An approved result that gains evidence goes back to `submitted`.
 */
export async function attachEvidence(
  store: RecordsStore,
  id: number,
  files: readonly StoredEvidence[],
  options: WriteOptions,
  editor: Pick<ResultEditor, 'viewer'> & {
    authorize(current: { country: 'US' | 'MX'; agency: string }): void;
  },
): Promise<{ attached: number; status: string }> {
  return writeTransaction(store, options, async (trx, ctx) => {
    const locked = await lockedResult(trx, id, editor.viewer);
    editor.authorize(locked.current);
    refuseIfLocked(locked, locked.key);
    const { row } = locked;
    const attached = await attachIn(trx, ctx, { ...row, key: locked.key }, files);
    let status: string = row.status;
    if (attached > 0 && row.status === 'approved') {
      await upsertRecord(trx, ctx, {
        table: 'results',
        entity: 'result',
        key: locked.key,
        where: { id },
        values: { status: 'submitted' },
        existing: row,
      });
      status = 'submitted';
    }
    return { attached, status };
  });
}

/** The attachments of each of `ids`, oldest first. */
export async function attachmentsOf(
  store: RecordsStore,
  ids: readonly number[],
): Promise<Map<number, AttachmentView[]>> {
  const byResult = new Map<number, AttachmentView[]>();
  if (ids.length === 0) return byResult;
  const rows = await store.db
    .selectFrom('result_attachments')
    .select(['result_id', 'sha256', 'filename', 'media_type', 'size', 'created_by', 'created_at'])
    .where('result_id', 'in', [...ids])
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = byResult.get(r.result_id) ?? [];
    list.push({
      sha256: r.sha256,
      filename: r.filename,
      mediaType: r.media_type,
      size: r.size,
      attachedBy: r.created_by,
      attachedAt: new Date(r.created_at).toISOString(),
    });
    byResult.set(r.result_id, list);
  }
  return byResult;
}

/** The file `sha256` attached to result `id`, when `viewer` may see that result; else undefined. */
export async function readEvidence(
  store: RecordsStore,
  viewer: Viewer,
  id: number,
  sha256: string,
): Promise<{ filename: string; mediaType: string; content: Uint8Array } | undefined> {
  if ((await listResults(store, viewer, { id })).results.length === 0) return undefined;
  const row = await store.db
    .selectFrom('result_attachments')
    .innerJoin('evidence_blobs', 'evidence_blobs.sha256', 'result_attachments.sha256')
    .select(['result_attachments.filename', 'evidence_blobs.media_type', 'evidence_blobs.content'])
    .where('result_attachments.result_id', '=', id)
    .where('result_attachments.sha256', '=', sha256)
    .executeTakeFirst();
  return row ? { filename: row.filename, mediaType: row.media_type, content: row.content } : undefined;
}
