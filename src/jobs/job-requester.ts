/**
 * The official a job runs for, holding the permission its kind needs: the rights are those of the one
 * who asked, as they stood when the job was queued, checked again when it runs (a job queued without
 * them, or by a client that skipped the route, fails with 403 and does nothing).
 * @module
 */
import { hasPermission, PERMISSION_ROLES, type Permission } from '../access/permissions.js';
import type { Official } from '../access/viewer.js';
import { HttpError } from '../error.js';
import type { JobRow } from '../records/job-repository.js';

export function requesterHolding(job: Pick<JobRow, 'requester'>, permission: Permission): Official {
  const requester = job.requester as Official | null;
  if (!requester || !hasPermission(requester, permission))
    throw new HttpError(403, 'forbidden', {
      key: 'access.needsRole',
      values: { roles: PERMISSION_ROLES[permission].join(', '), permission },
    });
  return requester;
}
