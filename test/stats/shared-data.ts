/**
 * The real public datasets in ../shared/data (or `MARCO_SHARED_DATA`). A test that needs a missing file skips with the file's
 * name; with CI=true a missing file is a failure.
 */
import { PACKAGE_ROOT } from '../../src/package.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Bunzip from 'seek-bzip';

/** `../shared/data` beside the project, or `MARCO_SHARED_DATA`. */
export const SHARED_DATA = path.resolve(
  process.env.MARCO_SHARED_DATA ?? path.join(PACKAGE_ROOT, '../shared/data'),
);

/** The absolute path of a shared file, or undefined (with a message) when it is absent. */
export function sharedFile(relative: string): string | undefined {
  const file = path.join(SHARED_DATA, relative);
  if (existsSync(file)) return file;
  if (process.env.CI === 'true') throw new Error(`CI=true but the shared data file ${file} is missing`);
  console.warn(`skipping: shared data file ${file} is missing`);
  return undefined;
}

/**
 * A shared text file's lines (decompressed when it ends in .gz or .bz2), read independently of Marco's
 * importers.
 */
export async function sharedLines(file: string, encoding: 'utf8' | 'latin1' = 'utf8'): Promise<string[]> {
  const bytes = await readFile(file);
  const plain = file.endsWith('.gz')
    ? gunzipSync(bytes)
    : file.endsWith('.bz2')
      ? Bunzip.decode(bytes)
      : bytes;
  const text = Buffer.from(plain).toString(encoding);
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}

/**
 * The files behind municipal homicide rates, in import order (source id, file): the place catalogue,
 * INEGI deaths and both CONAPO municipal series. `undefined` when any is missing.
 */
export function municipalRateFiles(): [string, string][] | undefined {
  const files = [
    ['inegi-geo-catalog', sharedFile('geo/cve_nom_municipios.csv')],
    ['inegi-homicides-municipal', sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz')],
    ['conapo-population-municipal', sharedFile('conapo/municipio-population1990-2009.csv')],
    ['conapo-population-municipal', sharedFile('conapo/municipio-population2010-2030.csv')],
  ] as const;
  return files.every(([, f]) => f) ? files.map(([s, f]) => [s, f!]) : undefined;
}
