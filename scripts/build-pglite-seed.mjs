// A freshly initialised PGlite cluster with Marco's migrations applied (schema only), dumped once per
// PGlite version and last migration into dist/, so that a new records store starts from it instead of
// running initdb and the migrations (about 6 s on two cores against about 1.5 s). It holds no rows and no
// keys: the audit signing key lives outside the database. Run by the build, after the compiler.
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const pgliteDir = path.dirname(path.dirname(require.resolve('@electric-sql/pglite')));
const version = JSON.parse(readFileSync(path.join(pgliteDir, 'package.json'), 'utf8')).version;
const dist = (file) => pathToFileURL(path.join(root, 'dist', file)).href;
const { LAST_MIGRATION, migrationProvider } = await import(dist('records/migrations/index.js'));
const target = path.join(root, 'dist', `pglite-seed-${version}-${LAST_MIGRATION}.tar.gz`);
if (!existsSync(target)) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { Kysely, Migrator, PostgresDialect } = await import('kysely');
  const { pglitePool } = await import(dist('records/pglite-pool.js'));
  const pglite = await PGlite.create();
  const db = new Kysely({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw error;
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  mkdirSync(path.dirname(target), { recursive: true });
  // Written whole under a temporary name, then renamed: a killed build leaves no half seed.
  writeFileSync(`${target}.part`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${target}.part`, target);
}
