import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClaims, ensureFigures } from '../../src/stats/claims.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
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

  it('checks all-drug overdose deaths once a CDC file with that indicator is imported', async () => {
    const before = new Map((await checkClaims(stats)).map((c) => [c.figure, c]));
    expect(before.get('us-overdose-deaths-2022')!.reason).toMatch(
      /Number of Drug Overdose Deaths.*has not been imported/,
    );
    expect(before.get('merida-total-funding')!.reason).toMatch(/without the accounts \(INCLE, ESF, FMF\)/);
    // The same publisher layout, with the all-drug indicator CDC also publishes (values from its
    // December 2022 release of the 12 months ending in December).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-claims-'));
    try {
      const file = path.join(dir, 'vsrr-all-drugs.csv');
      const header = (await sharedLines(CDC!))[0]!;
      await writeFile(
        file,
        `${header}\nUS,2022,December,12 month-ending,Number of Drug Overdose Deaths,100,0.5,United States,,,109680,111029\n`,
      );
      const synthetic = async () =>
        (
          await querySeries(stats, {
            measure: 'synthetic_opioid_deaths_12m',
            geo: ['US'],
            from: '2022',
            to: '2022',
          })
        ).series[0]!.points[0]!.value;
      const kept = await synthetic();
      const report = await importFile(stats, sourceById('cdc-vsrr-overdose')!, file, { version: 'test' });
      // A file of another measure replaces nothing of the synthetic-opioid series for the same month.
      expect(report.replaced).toEqual([]);
      expect(await synthetic()).toBe(kept);
      const after = new Map((await checkClaims(stats)).map((c) => [c.figure, c]));
      expect(after.get('us-overdose-deaths-2022')).toMatchObject({
        verdict: 'consistent',
        computed: 109_680,
      });
      expect(after.get('us-overdose-deaths-2022')!.query).toMatchObject({
        measure: 'overdose_deaths_12m',
        filters: { indicator: 'Number of Drug Overdose Deaths' },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('judges by the tolerance: a figure 2.2% off is discrepant at 1%', async () => {
    const strict = new Map((await checkClaims(stats, 0.01)).map((c) => [c.figure, c]));
    const h2019 = strict.get('mx-homicides-2019')!;
    expect(Math.abs(h2019.difference!)).toBeGreaterThan(0.01);
    expect(h2019.verdict).toBe('discrepant');
  });
});
