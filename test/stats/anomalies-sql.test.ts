/**
 * Anomalies are scored inside DuckDB; the rule is `scoreSeries`'s. On the real municipal homicide files
 * (with gaps, the historic extract's missing months and the change of source in 2000), the months DuckDB
 * flags, their expected values, scales and z-scores, and the counts of places and months scored equal
 * the JavaScript rule applied to the series query's own points.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAnomalies, scoreSeries } from '../../src/stats/anomalies.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from './shared-data.js';

const FILES = [
  ['inegi-geo-catalog', 'geo/cve_nom_estados.csv'],
  ['inegi-geo-catalog', 'geo/cve_nom_municipios.csv'],
  ['inegi-homicides-historic', 'inegi/county-month-1990-2008.csv.bz2'],
  ['inegi-homicides-municipal', 'inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz'],
] as const;
const found = FILES.map(([id, f]) => [id, sharedFile(f)] as const);

(found.every(([, f]) => f) ? describe : describe.skip)('anomalies scored in DuckDB', () => {
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    for (const [id, file] of found) await importFile(stats, sourceById(id)!, file!, { version: 'test' });
  }, 120_000);
  afterAll(() => stats?.close());

  for (const [label, query] of [
    ['every municipality of Chihuahua', { level: 'municipality', within: '08' }],
    [
      'Sinaloa’s municipalities from 2006, window 6, threshold 3',
      { level: 'municipality', within: '25', from: '2006-01', window: 6, threshold: 3, minCount: 5 },
    ],
  ] as const) {
    it(`flags what the JavaScript rule flags: ${label}`, async () => {
      const q = { window: 12, threshold: 3.5, minCount: 10, ...query };
      const answer = await findAnomalies(stats, { measure: 'homicides', ...q });
      const series = await querySeries(stats, {
        measure: 'homicides',
        level: q.level,
        within: q.within,
        by: 'month',
        ...('from' in q ? { from: '2005-07' } : {}),
      });
      const expected = [];
      let months = 0;
      let places = 0;
      for (const s of series.series) {
        const scored = scoreSeries(s.points, q.window).filter((p) => !('from' in q) || p.period >= q.from);
        if (scored.length) places++;
        months += scored.length;
        for (const p of scored)
          if (Math.abs(p.z) >= q.threshold && Math.max(p.value, p.expected) >= q.minCount)
            expected.push({ geo: s.geo, ...p });
      }
      expect(answer.examined).toEqual({ places, months });
      expect(months).toBeGreaterThan(1000);
      expect(expected.length).toBeGreaterThan(5);
      const key = (a: { geo: string; period: string }) => `${a.geo} ${a.period}`;
      expect(answer.anomalies.map(key).sort()).toEqual(expected.map(key).sort());
      const byKey = new Map(answer.anomalies.map((a) => [key(a), a]));
      for (const e of expected) {
        const a = byKey.get(key(e))!;
        expect(a.value).toBe(e.value);
        expect(a.expected).toBeCloseTo(e.expected, 9);
        expect(a.scale).toBeCloseTo(e.scale, 9);
        expect(a.z).toBeCloseTo(e.z, 9);
      }
    }, 60_000);
  }
});
