/**
 * INEGI's state file as the starter ships it, with Yucatán's June 2019 homicides set to `value`: an
 * import of it publishes a generation whose figure differs from the real one, so an answer shows which
 * generation it came from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../../src/package.js';

export const PLANTED_SERIES = '/api/v1/series?measure=homicides&geo=31&from=2019-06&to=2019-06&by=month';

export async function plantedFile(value: number): Promise<{ body: Buffer; real: number }> {
  const text = gunzipSync(
    await readFile(path.join(PACKAGE_ROOT, 'starter/mexico-state-month-homicide-rates-2000-2022.csv.gz')),
  ).toString('utf8');
  let real = NaN;
  const lines = text.split('\n').map((line) => {
    const cells = line.split('|');
    if (cells[0] !== '31' || cells[1] !== '2019' || cells[2] !== '6') return line;
    real = Number(cells[3]);
    cells[3] = String(value);
    return cells.join('|');
  });
  return { body: Buffer.from(lines.join('\n')), real };
}

/** Imports the planted file through the API of `base`; returns the answer. */
export async function importPlanted(base: string, token: string, value: number) {
  const planted = await plantedFile(value);
  const res = await fetch(`${base}/api/v1/imports?source=inegi-homicides-state&file_name=planted.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: planted.body,
  });
  return { res, real: planted.real };
}
