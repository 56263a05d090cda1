/**
 * The ordered list of records-store migrations. Names sort in application order; never rename or edit a
 * shipped migration: add a new one.
 * @module
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-records.js';
import * as m0002 from './0002-api-tokens.js';
import * as m0003 from './0003-indicator-series.js';
import * as m0004 from './0004-evaluations.js';
import * as m0005 from './0005-token-roles.js';
import * as m0006 from './0006-approval.js';
import * as m0007 from './0007-audit-append-only.js';
import * as m0008 from './0008-users-sessions.js';
import * as m0009 from './0009-audit-head.js';
import * as m0010 from './0010-evidence-files.js';
import * as m0011 from './0011-indicator-change-reason.js';
import * as m0012 from './0012-notifications.js';
import * as m0013 from './0013-benchmarks.js';
import * as m0014 from './0014-attachment-removal.js';
import * as m0015 from './0015-funding.js';
import * as m0016 from './0016-deflators.js';
import * as m0017 from './0017-program-iati.js';
import * as m0018 from './0018-audit-entity-order.js';
import * as m0019 from './0019-jobs.js';
import * as m0020 from './0020-incidents.js';
import * as m0021 from './0021-threshold-notices.js';
import * as m0022 from './0022-statistics-generations.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001-records': m0001,
  '0002-api-tokens': m0002,
  '0003-indicator-series': m0003,
  '0004-evaluations': m0004,
  '0005-token-roles': m0005,
  '0006-approval': m0006,
  '0007-audit-append-only': m0007,
  '0008-users-sessions': m0008,
  '0009-audit-head': m0009,
  '0010-evidence-files': m0010,
  '0011-indicator-change-reason': m0011,
  '0012-notifications': m0012,
  '0013-benchmarks': m0013,
  '0014-attachment-removal': m0014,
  '0015-funding': m0015,
  '0016-deflators': m0016,
  '0017-program-iati': m0017,
  '0018-audit-entity-order': m0018,
  '0019-jobs': m0019,
  '0020-incidents': m0020,
  '0021-threshold-notices': m0021,
  '0022-statistics-generations': m0022,
};

/** The last migration's name: the build's seed cluster is made for it (`pglite-seed.ts`). */
export const LAST_MIGRATION = Object.keys(MIGRATIONS).sort().at(-1)!;

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
