import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats } from '../../src/stats/stats-store.js';
import { runAndKill } from '../records/kill-marco.js';
import { sharedFile } from './shared-data.js';

const MUNICIPAL = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');
const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');

(MUNICIPAL && STATE ? describe : describe.skip)('an import killed with SIGKILL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-stats-kill-'));
    const stats = await openStats({ dataDir: dir });
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    stats.close();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const snapshot = async () => {
    const stats = await openStats({ dataDir: dir });
    try {
      return (
        await stats.all(`select (select count(*) from observations) as observations, (select count(*) from vintages) as vintages,
          (select count(*) from coverage) as coverage, (select sum(value) from observations) as total`)
      )[0];
    } finally {
      stats.close();
    }
  };

  it('leaves the statistics store exactly as it was, and usable', async () => {
    const before = await snapshot();
    const outcome = await runAndKill(
      ['--data-dir', dir, 'import', 'inegi-homicides-municipal', MUNICIPAL!, '--progress'],
      /writing…/,
    );
    expect(outcome).toMatchObject({ signal: 'SIGKILL', matched: 'writing…' });
    expect(await snapshot()).toEqual(before);

    const stats = await openStats({ dataDir: dir });
    try {
      const report = await importFile(stats, sourceById('inegi-homicides-municipal')!, MUNICIPAL!, {
        version: 'test',
      });
      expect(report).toMatchObject({ status: 'imported', rowsLoaded: 651_288 });
    } finally {
      stats.close();
    }
  });
});
