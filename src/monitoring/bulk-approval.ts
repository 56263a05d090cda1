/**
 * Approving many results at once, as DHIS2's data approval approves a whole period: the results an
 * approver was shown (each with the version they saw) are approved in one transaction, each by the same
 * rules as one approval (`result-editor.ts`). Either all are approved or none is: a result someone changed
 * since the approver looked, one of the approver's own country, or one in a period locked meanwhile
 * refuses the whole batch, naming it.
 * @module
 */
import type { Official } from '../access/viewer.js';
import { MarcoError, ValidationError, textIssue } from '../error.js';
import { translator, type Locale } from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import { updateResultIn } from '../records/result-repository.js';
import { writeTransaction, type WriteOptions } from '../records/transaction.js';
import { resultEditor } from './result-editor.js';

/** The most results one batch approves: a program's period, even by municipality, fits. */
export const MAX_BATCH = 5000;

/** One result to approve, at the version the approver saw. */
export interface BatchItem {
  id: number;
  version: number;
}

/** A refusal of a batch: the result that stopped it, and why; its status is the refusal's own. */
export class BatchRefused extends MarcoError {
  readonly code: string;
  readonly status: number;
  readonly exitCode: number;
  constructor(
    readonly id: number,
    readonly refusal: MarcoError,
  ) {
    super({ key: 'records.batchRefused', values: { id, message: refusal.message } });
    this.code = refusal.code;
    this.status = refusal.status;
    this.exitCode = refusal.exitCode;
  }
  override messageIn(locale: Locale): string {
    return translator(locale)('records.batchRefused', {
      id: this.id,
      message: this.refusal.messageIn(locale),
    });
  }
  override details() {
    return { result: this.id, refusal: this.refusal.details() };
  }
}

/**
 * Approves every result of `items` as `official`, in one audited transaction; returns how many. Throws
 * {@link BatchRefused} (naming the result) when the rules refuse any one, and then nothing is approved.
 */
export async function approveBatch(
  store: RecordsStore,
  official: Official,
  items: readonly BatchItem[],
  options: WriteOptions,
): Promise<number> {
  if (items.length === 0 || items.length > MAX_BATCH || new Set(items.map((i) => i.id)).size !== items.length)
    throw new ValidationError([textIssue('results', 'validation.review.batch', { max: MAX_BATCH })]);
  return writeTransaction(store, options, async (trx, ctx) => {
    for (const { id, version } of items) {
      const patch = { version, status: 'approved' as const };
      try {
        await updateResultIn(trx, ctx, id, patch, resultEditor(official, patch, String(id)));
      } catch (error) {
        if (error instanceof MarcoError) throw new BatchRefused(id, error);
        throw error;
      }
    }
    return items.length;
  });
}
