/**
 * Evidence files of results: stored once under their SHA-256 (`evidence_blobs`), attached to a result by
 * an audited record of their own (`result_attachments`, owned like the result), listed with the results
 * and read back only by someone who may see the result. Attaching evidence to an approved result is a
 * change to what was approved: the result goes back to `submitted` for the counterpart to approve again.
 * A result in a locked period takes no more evidence.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import { NotFoundError } from '../error.js';
import type { RecordsStore } from './database.js';
import { attachIn, type StoredEvidence } from './evidence-store.js';
import type { Transaction } from 'kysely';
import { upsertRecord, type WriteContext } from './record-writer.js';
import type { RecordsDatabase } from './schema.js';
import { listResults, lockedResult, refuseIfLocked, type ResultEditor } from './result-repository.js';
import { writeTransaction, type WriteOptions } from './transaction.js';

/** Who changes a result's evidence: the viewer, and the check of their right on the result as it stands. */
export type EvidenceEditor = Pick<ResultEditor, 'viewer'> & {
  authorize(current: { country: 'US' | 'MX'; agency: string }): void;
};

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
  editor: EvidenceEditor,
): Promise<{ attached: number; status: string }> {
  return writeTransaction(store, options, async (trx, ctx) => {
    const locked = await changeableResult(trx, id, editor);
    const attached = await attachIn(trx, ctx, { ...locked.row, key: locked.key }, files);
    const status = attached > 0 ? await reopenIfApproved(trx, ctx, locked) : locked.row.status;
    return { attached, status };
  });
}

type Locked = Awaited<ReturnType<typeof lockedResult>>;

/** Result `id` locked in the write, once `editor` may change it and its period is open. */
async function changeableResult(
  trx: Transaction<RecordsDatabase>,
  id: number,
  editor: EvidenceEditor,
): Promise<Locked> {
  const locked = await lockedResult(trx, id, editor.viewer);
  editor.authorize(locked.current);
  refuseIfLocked(locked, locked.key);
  return locked;
}

/** An approved result whose evidence changed goes back to `submitted`; returns its status now. */
async function reopenIfApproved(trx: Transaction<RecordsDatabase>, ctx: WriteContext, locked: Locked) {
  const { row } = locked;
  if (row.status !== 'approved') return row.status as string;
  await upsertRecord(trx, ctx, {
    table: 'results',
    entity: 'result',
    key: locked.key,
    where: { id: row.id },
    values: { status: 'submitted' },
    existing: row,
  });
  return 'submitted';
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
    .where('removed_at', 'is', null)
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
    .where('result_attachments.removed_at', 'is', null)
    .executeTakeFirst();
  return row ? { filename: row.filename, mediaType: row.media_type, content: row.content } : undefined;
}

/**
 * Removes the file `sha256` from result `id` (a file attached by mistake), in one audited transaction,
 * with `editor`'s rights checked on the result as the transaction reads it: the attachment is marked
 * removed with who, when and `reason`, so the audit log holds why, and the file no longer lists or
 * downloads. 404 when the result is unseen or has no such file, 403 for someone who does not report it,
 * 409 in a locked period. An approved result that loses evidence goes back to `submitted`.
 */
export async function removeEvidence(
  store: RecordsStore,
  id: number,
  sha256: string,
  reason: string,
  options: WriteOptions,
  editor: EvidenceEditor,
): Promise<{ removed: string; status: string }> {
  return writeTransaction(store, options, async (trx, ctx) => {
    const locked = await changeableResult(trx, id, editor);
    const attachment = await trx
      .selectFrom('result_attachments')
      .selectAll()
      .where('result_id', '=', id)
      .where('sha256', '=', sha256)
      .where('removed_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!attachment)
      throw new NotFoundError('attachment', `${id}/${sha256}`, {
        key: 'notFound.hint.attachments',
        values: { id },
      });
    await upsertRecord(trx, ctx, {
      table: 'result_attachments',
      entity: 'attachment',
      key: `${locked.key}#${sha256}`,
      where: { id: attachment.id },
      values: { removed_at: ctx.now, removed_by: ctx.actor, removal_reason: reason },
      existing: attachment,
    });
    const status = await reopenIfApproved(trx, ctx, locked);
    return { removed: sha256, status };
  });
}
