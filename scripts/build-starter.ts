/**
 * Builds `starter/`, the compact snapshot of real data that Marco imports into an empty store on its
 * first start (`src/stats/starter.ts`): four publisher files exactly as published, gzipped, each listed
 * in `starter/manifest.json` with its source, download address pinned to a commit, sha256 and size from
 * `catalogue.json`, and its licence. Run from a checkout beside `shared/`:
 *
 *   npx tsx scripts/build-starter.ts [SHARED_DATA_DIR]
 *
 * It refuses a file whose sha256 differs from the catalogue's, so the snapshot is the published bytes.
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sourceById } from '../src/stats/sources/index.js';

const FILES: { source: string; file: string }[] = [
  { source: 'inegi-geo-catalog', file: 'geo/cve_nom_estados.csv' },
  { source: 'conapo-population-state', file: 'conapo/conapo_pob_ent_gender_1950_2070.csv' },
  { source: 'inegi-homicides-state', file: 'inegi/mexico-state-month-homicide-rates-2000-2022.csv' },
  { source: 'cdc-vsrr-overdose', file: 'cdc/vsrr_provisional_drug_overdose_death_counts.csv' },
  { source: 'usaid-foreign-aid', file: 'usaid/us_foreign_aid_country.csv' },
];

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(process.argv[2] ?? path.join(root, '../shared/data'));
const out = path.join(root, 'starter');
const catalogue = JSON.parse(await readFile(path.join(shared, 'catalogue.json'), 'utf8')) as {
  file: string;
  url: string;
  sha256: string;
  bytes: number;
}[];

await rm(out, { recursive: true, force: true });
await mkdir(out);
const entries = [];
for (const { source, file } of FILES) {
  const pinned = catalogue.find((c) => c.file === file);
  if (!pinned) throw new Error(`${file} is not in catalogue.json`);
  const bytes = await readFile(path.join(shared, file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== pinned.sha256)
    throw new Error(`${file}: sha256 ${sha256} is not the catalogue's ${pinned.sha256}`);
  const name = `${path.basename(file)}.gz`;
  // mtime 0 in the gzip header: the same input always gives the same bytes.
  await writeFile(path.join(out, name), gzipSync(bytes, { level: 9 }));
  const s = sourceById(source)!;
  entries.push({
    source,
    file: name,
    original: path.basename(file),
    url: pinned.url,
    sha256,
    bytes: bytes.length,
    publisher: s.publisher,
    licence: s.licence,
    attribution: s.attribution,
  });
}
// The licence file is read-only in the shared folder; the copy is an ordinary file.
await writeFile(
  path.join(out, 'LICENSE-gargiulo-cc-by-4.0.txt'),
  await readFile(path.join(shared, 'inegi/LICENSE-gargiulo-cc-by-4.0.txt')),
);
await writeFile(
  path.join(out, 'manifest.json'),
  `${JSON.stringify({ marco: 'starter/1', files: entries }, null, 2)}\n`,
);
console.log(`starter/: ${entries.length} files from ${shared}`);
