// A freshly initialised PGlite cluster, dumped once per PGlite version into dist/, so that a new records
// store starts from it instead of running initdb (about 4–5 s on two cores against about 1.5 s). It holds
// only what initdb makes: Marco's migrations still run on every store opened. Run by the build.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const pgliteDir = path.dirname(path.dirname(require.resolve('@electric-sql/pglite')));
const version = JSON.parse(readFileSync(path.join(pgliteDir, 'package.json'), 'utf8')).version;
const target = path.join(root, 'dist', `pglite-seed-${version}.tar.gz`);
if (!existsSync(target)) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  mkdirSync(path.dirname(target), { recursive: true });
  // Written whole under a temporary name, then renamed: a killed build leaves no half seed.
  writeFileSync(`${target}.part`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${target}.part`, target);
}
