import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClaims, ensureFigures } from '../../src/stats/claims.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const POP = sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv');
const CDC = sharedFile('cdc/vsrr_provisional_drug_overdose_death_counts.csv');

(STATE && POP && CDC ? describe : describe.skip)('claim checks against the raw data', () => {
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    for (const [id, file] of [
      ['inegi-homicides-state', STATE!],
      ['conapo-population-state', POP!],
      ['cdc-vsrr-overdose', CDC!],
    ] as const)
      await importFile(stats, sourceById(id)!, file, { version: 'test' });
    await ensureFigures(stats, 'test');
  });
  afterAll(() => stats?.close());

  it('gives every documented figure a verdict, with a reason when it cannot be checked', async () => {
    const checks = await checkClaims(stats);
    const figures = (await sharedLines(sharedFile('literature/documented-figures.csv')!)).length - 1;
    expect(checks).toHaveLength(figures);
    for (const c of checks) {
      if (c.verdict === 'not_checkable') expect(c.reason, c.figure).toBeTruthy();
      else expect(c.computed, c.figure).not.toBeNull();
    }
  });

  it('recomputes the national homicide rate and U.S. synthetic-opioid deaths from the files', async () => {
    const checks = new Map((await checkClaims(stats)).map((c) => [c.figure, c]));
    const homicides = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const h2007 = homicides.filter((f) => f[1] === '2007').reduce((s, f) => s + Number(f[3]), 0);
    const pop = (await sharedLines(POP!)).slice(1).map((l) => l.split(','));
    const p2007 = Number(pop.find((f) => f[0] === '2007' && f[2] === '00' && f[3] === 'Total')![5]);
    const rate2007 = checks.get('mx-homicide-rate-2007')!;
    expect(rate2007.computed).toBeCloseTo((h2007 / p2007) * 100000, 9);
    expect(rate2007.verdict).toBe('consistent');
    expect(rate2007.query).toMatchObject({
      measure: 'homicides',
      geo: ['MX'],
      from: '2007',
      to: '2007',
      per: 100000,
    });

    const cdc = (await sharedLines(CDC!)).find((l) => l.startsWith('US,2018,December,'))!;
    const dec2018 = Number(cdc.split(',').at(-2));
    expect(checks.get('us-synthetic-opioid-deaths-2018')!.computed).toBe(dec2018);

    // A range the imported data do not fully cover is not checkable, and says why.
    expect(checks.get('mx-homicides-since-2006')).toMatchObject({ verdict: 'not_checkable' });
    expect(checks.get('mx-homicides-since-2006')!.reason).toMatch(/cover \d+ of the \d+ periods/);
  });

  it('judges by the tolerance: a figure 2.2% off is discrepant at 1%', async () => {
    const strict = new Map((await checkClaims(stats, 0.01)).map((c) => [c.figure, c]));
    const h2019 = strict.get('mx-homicides-2019')!;
    expect(Math.abs(h2019.difference!)).toBeGreaterThan(0.01);
    expect(h2019.verdict).toBe('discrepant');
  });
});
