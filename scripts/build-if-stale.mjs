// `npm start` builds only when a source file is newer than the compiled output, so a second start
// does not wait for the TypeScript compiler (about 25 s on two cores).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const newest = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|json)$/.test(e.name) && !e.name.endsWith('.test.ts'))
    .reduce((t, e) => Math.max(t, statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs), 0);
// The compiler leaves unchanged outputs untouched, so the build's own time is kept in a stamp file.
const stamp = path.join(root, 'dist/.built');
let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  // Not built yet by this script.
}
const sources = Math.max(
  newest(path.join(root, 'src')),
  statSync(path.join(root, 'tsconfig.build.json')).mtimeMs,
);
// `--force` (npm run build, and so npm install) always builds, and stamps the build.
if (process.argv.includes('--force') || sources > built) {
  if (!process.argv.includes('--force'))
    console.error('marco: building (the sources changed since the last build)…');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

// The embedded records store's starting cluster (see build-pglite-seed.mjs), made once per PGlite version.
execFileSync(process.execPath, [path.join(root, 'scripts/build-pglite-seed.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
