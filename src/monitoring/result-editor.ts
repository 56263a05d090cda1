/**
 * Who may change a result, and how: the rules of the monitoring cycle that both the API
 * (`PATCH /api/v1/results/{id}`) and the web's review and edit forms apply, on the result as the write's
 * own transaction reads it. Owners edit, save drafts and submit; the counterpart country's approvers
 * approve, or return a submitted result to draft with a comment, and change nothing else.
 * @module
 */
import { assertCanApprove, assertCanSubmit } from '../access/rules.js';
import type { Official } from '../access/viewer.js';
import { HttpError } from '../error.js';
import type { ResultEditor, ResultPatch } from '../records/result-repository.js';

/** The fields an approver may send with a decision: nothing of the result's content. */
const REVIEW_FIELDS = ['version', 'status', 'review_comment'];

/** The editor for `viewer`'s `patch` of result `id` (its rights, judged on the locked row). */
export function resultEditor(viewer: Official, patch: ResultPatch, id: string): ResultEditor {
  return {
    viewer,
    authorize(current) {
      const what = { entity: 'result', key: id };
      const returning =
        patch.status === 'draft' && current.status === 'submitted' && viewer.country !== current.country;
      if (patch.status === 'approved' || returning) {
        assertCanApprove(viewer, current, what);
        const others = Object.keys(patch).filter((k) => !REVIEW_FIELDS.includes(k));
        if (others.length > 0)
          throw new HttpError(422, 'invalid_input', {
            key: 'records.reviewOnly',
            values: { key: id, fields: others.join(', ') },
          });
        if (returning && !patch.review_comment?.trim())
          throw new HttpError(422, 'invalid_input', {
            key: 'records.returnNeedsComment',
            values: { key: id },
          });
        return { by: viewer.user };
      }
      assertCanSubmit(viewer, current, what);
      if (patch.review_comment !== undefined)
        throw new HttpError(422, 'invalid_input', {
          key: 'records.reviewOnly',
          values: { key: id, fields: 'review_comment' },
        });
      return undefined;
    },
  };
}
