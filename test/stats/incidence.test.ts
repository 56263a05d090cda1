import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const IDEFC = sharedFile('sesnsp/IDEFC_NM_mar22.csv');

(IDEFC ? describe : describe.skip)('SESNSP incidence in the raw wide layout with damaged text', () => {
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
  });
  afterAll(() => stats?.close());

  it('recognises the damaged header, repairs the names and unpivots the months', async () => {
    const report = await importFile(stats, sourceById('sesnsp-incidence')!, IDEFC!, { version: 'test' });
    expect(report).toMatchObject({
      layout: 'incidence-wide-damaged',
      rowsRejected: 0,
      periodFrom: '2015-01-01',
      periodTo: '2022-03-01',
    });

    // Independent total: the file's own 12 month cells of every 2019 vehicle-theft row, damaged name and all.
    const rows = (await sharedLines(IDEFC!)).slice(1).map((l) => l.split(','));
    const total = rows
      .filter((f) => f[0] === '2019' && f[5] === 'Robo de vehÌculo automotor')
      .reduce((sum, f) => sum + f.slice(7, 19).reduce((s, c) => s + Number(c || 0), 0), 0);
    const result = await querySeries(stats, {
      measure: 'crime_reports',
      geo: ['MX'],
      by: 'year',
      from: '2019',
      to: '2019',
      filters: { crime_subtype: 'Robo de vehículo automotor' },
    });
    expect(result.series[0]!.points[0]!.value).toBe(total);
    const damaged = await stats.all<{ n: number }>(
      `select count(*) as n from observations where source = 'sesnsp-incidence' and regexp_matches(dims['crime_subtype'], '[ÌÒ˙·ÈÛ]')`,
    );
    expect(damaged[0]!.n).toBe(0);
  });
});
