/**
 * The starting cluster of a new embedded records store: the build dumps a freshly initialised PGlite
 * cluster with Marco's migrations applied (schema only: no rows, no keys) into `dist/`, once per PGlite
 * version and last migration (`scripts/build-pglite-seed.mjs`), and a store with no cluster yet (a new
 * data directory, or memory) loads it instead of running initdb and the migrations: about 1.5 s against
 * 6 s on two cores. Migrations still run on every store opened, and find nothing to do on a seeded one.
 * Without the file (a checkout not built), PGlite runs initdb as before.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package.js';
import { LAST_MIGRATION } from './migrations/index.js';

let cached: Promise<Blob | undefined> | undefined;

/** The seed for a store in `dataDir` (or memory), or undefined when it has a cluster or there is none. */
export async function pgliteSeed(dataDir: string | undefined): Promise<Blob | undefined> {
  if (dataDir && existsSync(dataDir) && readdirSync(dataDir).length > 0) return undefined;
  cached ??= (async () => {
    try {
      const require = createRequire(path.join(PACKAGE_ROOT, 'package.json'));
      const root = path.dirname(path.dirname(require.resolve('@electric-sql/pglite')));
      const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
        version: string;
      };
      const file = `pglite-seed-${version}-${LAST_MIGRATION}.tar.gz`;
      return new Blob([await readFile(path.join(PACKAGE_ROOT, 'dist', file))]);
    } catch {
      return undefined;
    }
  })();
  return cached;
}
