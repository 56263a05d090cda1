/**
 * A golden file: `actual` compared byte for byte with `test/golden/output/<name>`. A mismatch fails and
 * writes `<name>-changed.<ext>` beside it, for a diff; a missing file is written (and passes) only when
 * `CI` is not `true`; `MARCO_UPDATE_GOLDEN=1` rewrites every expected file (never under CI).
 */
import { existsSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';

export const OUTPUT = path.join(path.dirname(new URL(import.meta.url).pathname), 'output');
const UPDATE = process.env.MARCO_UPDATE_GOLDEN === '1';
// Under CI the golden files are compared, never rewritten: an update there would pass whatever changed.
if (UPDATE && process.env.CI === 'true')
  throw new Error(
    'MARCO_UPDATE_GOLDEN=1 under CI=true: update the golden files on a workstation, then commit them',
  );

/** Compares `actual` with the expected file of `name`, as described in the module comment. */
export async function golden(name: string, actual: string): Promise<void> {
  const file = path.join(OUTPUT, name);
  const changed = file.replace(/(\.\w+)$/, '-changed$1');
  const expected = existsSync(file) ? await readFile(file, 'utf8') : undefined;
  if (UPDATE || (expected === undefined && process.env.CI !== 'true')) {
    await writeFile(file, actual);
    await unlink(changed).catch(() => undefined);
    return;
  }
  if (expected !== actual) await writeFile(changed, actual);
  else await unlink(changed).catch(() => undefined);
  expect(actual, `${name} differs from the golden file; see ${path.basename(changed)}`).toBe(expected);
}
