/**
 * Builds `config/catalogue.json`, the addresses `marco fetch` downloads from by default: every file of
 * the shared data's `catalogue.json`, pinned to a commit, with its sha256 and size, and the Marco source
 * that imports it (recognised from the file itself, as `marco import-dir` does; `null` for a file no
 * source imports, such as a licence text). Run from a checkout beside `shared/`:
 *
 *   npx tsx scripts/build-fetch-catalogue.ts [SHARED_DATA_DIR]
 *
 * It refuses a file whose sha256 differs from the catalogue's.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { recogniseFile } from '../src/stats/recognise.js';
import { SOURCES } from '../src/stats/sources/index.js';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(process.argv[2] ?? path.join(root, '../shared/data'));
const catalogue = JSON.parse(await readFile(path.join(shared, 'catalogue.json'), 'utf8')) as {
  file: string;
  repository: string;
  commit: string;
  url: string;
  sha256: string;
  bytes: number;
}[];

// A shapefile's companions (.dbf, .shx) belong to the source of its .shp.
const companionOf = (file: string) =>
  /\.(dbf|shx|prj|cpg)$/i.test(file) ? file.replace(/\.[^.]+$/, '.shp') : undefined;
const sourceOf = new Map<string, string | null>();
// The layout, for a source of several (a network's groups are imported before the ties between them).
const layoutOf = new Map<string, string>();
for (const entry of catalogue) {
  const bytes = await readFile(path.join(shared, entry.file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== entry.sha256)
    throw new Error(`${entry.file}: sha256 ${sha256} is not the catalogue's ${entry.sha256}`);
  if (companionOf(entry.file)) continue;
  const match = await recogniseFile(path.join(shared, entry.file), SOURCES);
  sourceOf.set(entry.file, match?.source.id ?? null);
  if (match && match.source.layouts.length > 1) layoutOf.set(entry.file, match.layout.name);
}
const files = catalogue
  .map((e) => ({
    file: e.file,
    source: sourceOf.get(companionOf(e.file) ?? e.file) ?? null,
    ...(layoutOf.has(e.file) ? { layout: layoutOf.get(e.file) } : {}),
    url: e.url,
    repository: e.repository,
    commit: e.commit,
    sha256: e.sha256,
    bytes: e.bytes,
  }))
  .sort((a, b) => a.file.localeCompare(b.file));
await writeFile(
  path.join(root, 'config', 'catalogue.json'),
  `${JSON.stringify({ marco: 'catalogue/1', files }, null, 2)}\n`,
);
console.log(
  `config/catalogue.json: ${files.length} files, ${files.filter((f) => f.source).length} with a source`,
);
