/**
 * What an authenticated official may write through the API: records of their own country only, and never
 * an approval of a result (approvals come from the counterpart country, one result at a time).
 * @module
 */
import type { Viewer } from '../domain/visibility.js';
import { ForbiddenError } from '../error.js';
import type { WriteGuard } from '../records/record-writer.js';

/** The guard for writes made with `viewer`'s token. */
export function officialGuard(viewer: NonNullable<Viewer>): WriteGuard {
  return (entity, key, existing, values) => {
    // Locking a period moves every result inside it to `locked`, whoever owns the result.
    if (values && Object.keys(values).length === 1 && values.status === 'locked') return;
    if (existing && existing.country !== viewer.country)
      throw new ForbiddenError(
        `${entity} ${key} belongs to ${String(existing.country)}; only its owners may change it`,
      );
    if (values?.country !== undefined && values.country !== viewer.country)
      throw new ForbiddenError(
        `${entity} ${key} would belong to ${String(values.country)}; a ${viewer.country} official writes ${viewer.country} records only`,
      );
    if (entity === 'result' && values?.status === 'approved')
      throw new ForbiddenError(
        `result ${key}: results are approved by the counterpart country with PATCH /api/v1/results/{id}; send it as draft or submitted`,
      );
  };
}
