/**
 * The short reliability run inside `npm test`: a few seeded kills of `serve` and `import` on fresh and
 * populated data directories, on each records store. The long run is `npm run reliability -- --kills 100`.
 */
import { describe, expect, it } from 'vitest';
import { DATABASE_URL, STORE_KINDS } from '../records/stores.js';
import { sharedFile } from '../stats/shared-data.js';
import { runReliability } from './reliability.js';

const haveData =
  sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv') &&
  sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');

(haveData ? describe : describe.skip)('stores killed at random moments', () => {
  it('open after every kill and hold a committed state, on each records store', async () => {
    const report = await runReliability({
      kills: 8,
      seed: 11,
      stores: STORE_KINDS,
      databaseUrl: DATABASE_URL || undefined,
    });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ kills: 8, failedToOpen: 0, partialImports: 0, badRecords: 0 });
    // The seed covers more than one kind of run.
    expect(Object.keys(report.byScenario).length).toBeGreaterThan(2);
  }, 600_000);
});
