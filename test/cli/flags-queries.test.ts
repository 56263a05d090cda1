/**
 * The `marco` flags that change what a command computes or where it writes: `--filter`, `--within`, `--threshold` and `--min-count`.
 * Each outcome is checked against figures recomputed here from the raw shared files or the example
 * workspace, so a flag that were ignored or misread would change the numbers and fail the test, not only
 * its exit code.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { US_STATES } from '../../src/stats/us-states.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';
import { add, marco, marcoJson, onlySeries, tempDir, type SeriesJson } from './flags.js';

const CBP = sharedFile('cbp/nationwide-drugs-fy23-fy26-dec.csv');

describe('marco stats --filter', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('filter');
    if (CBP) expect((await marco(dir, 'import', 'cbp-drug-seizures', CBP)).code).toBe(EXIT.ok);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Pounds seized by fiscal year (`FY2024`) among the raw lines that `keep` accepts. */
  async function rawPounds(keep: (f: string[]) => boolean): Promise<Record<string, number>> {
    const sums = new Map<string, number>();
    for (const line of (await sharedLines(CBP!)).slice(1)) {
      const f = line.split(',');
      expect(f, line).toHaveLength(9); // no quoted commas in this file
      const fy = /^(\d{4})( \(FYTD\))?$/.exec(f[0]!)![1]!;
      if (keep(f)) add(sums, `FY${fy}`, Number(f[8]));
    }
    return Object.fromEntries(sums);
  }

  const expectSums = (got: Record<string, number>, expected: Record<string, number>) => {
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [period, value] of Object.entries(expected)) expect(got[period], period).toBeCloseTo(value, 6);
  };

  const pounds = (...filters: string[]) =>
    marcoJson<SeriesJson>(
      dir,
      'stats',
      '--measure',
      'drug_seizures_lbs',
      '--geo',
      'US',
      '--by',
      'fiscal_year',
      ...filters.flatMap((f) => ['--filter', f]),
      '--json',
    ).then(onlySeries);

  it('sums only the filtered drug’s rows, fiscal year by fiscal year, as the raw file does', async (context) => {
    if (!CBP) return context.skip();
    const fentanyl = await pounds('drug=Fentanyl');
    expectSums(fentanyl, await rawPounds((f) => f[6] === 'Fentanyl'));
    const all = await pounds();
    expectSums(all, await rawPounds(() => true));
    // Fentanyl is a small part of the weight seized: the filter changes every year's figure.
    for (const period of Object.keys(all)) expect(fentanyl[period]!).toBeLessThan(all[period]! / 10);
  });

  it('narrows the sum with each repeated --filter', async (context) => {
    if (!CBP) return context.skip();
    const both = await pounds('drug=Fentanyl', 'component=U.S. Border Patrol');
    expectSums(both, await rawPounds((f) => f[6] === 'Fentanyl' && f[2] === 'U.S. Border Patrol'));
    const fentanyl = await pounds('drug=Fentanyl');
    for (const period of Object.keys(both)) expect(both[period]!).toBeLessThan(fentanyl[period]!);
  });

  it('refuses a filter without a dimension name, naming --filter', async () => {
    const res = await marco(
      dir,
      'stats',
      '--measure',
      'drug_seizures_lbs',
      '--geo',
      'US',
      '--filter',
      'nodim',
    );
    expect(res.code).toBe(EXIT.invalid);
    expect(res.stderr).toContain('--filter: "nodim": expected name:value or name=value');
    expect(res.stdout).toBe('');
  });
});

const MUNICIPALITIES = sharedFile('geo/cve_nom_municipios.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');
const MUNICIPAL = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');

describe('marco stats --level … --within', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('within');
    if (!MUNICIPALITIES || !STATES || !MUNICIPAL) return;
    expect((await marco(dir, 'import', 'inegi-geo-catalog', MUNICIPALITIES, STATES)).code).toBe(EXIT.ok);
    expect((await marco(dir, 'import', 'inegi-homicides-municipal', MUNICIPAL)).code).toBe(EXIT.ok);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const homicides2020 = (...flags: string[]) =>
    marcoJson<SeriesJson>(
      dir,
      'stats',
      '--measure',
      'homicides',
      ...flags,
      '--from',
      '2020',
      '--to',
      '2020',
      '--json',
    );

  it('gives exactly the municipalities of Chihuahua (08), each with its 2020 homicides from the raw file', async (context) => {
    if (!MUNICIPALITIES || !MUNICIPAL) return context.skip();
    const catalogue = (await sharedLines(MUNICIPALITIES))
      .slice(1)
      .map((l) => l.split(','))
      .filter((f) => f[0]!.startsWith('08'));
    expect(catalogue).toHaveLength(67);
    const raw = new Map<string, number>();
    for (const line of (await sharedLines(MUNICIPAL)).slice(1)) {
      const f = line.split('|');
      if (f[0]!.startsWith('08') && f[1] === '2020') add(raw, f[0]!, Number(f[3]));
    }

    const result = await homicides2020('--level', 'municipality', '--within', '08');
    expect(result.series.map((s) => s.geo).sort()).toEqual(catalogue.map((f) => f[0]).sort());
    for (const s of result.series) {
      expect(s.name, s.geo).toBe(catalogue.find((f) => f[0] === s.geo)![3]);
      expect(
        s.points.map((p) => [p.period, p.value]),
        s.geo,
      ).toEqual([['2020', raw.get(s.geo)]]);
    }
    // Without --within, every municipality of Mexico.
    const everywhere = await homicides2020('--level', 'municipality');
    expect(everywhere.series.length).toBeGreaterThan(2000);
  });

  it('gives the U.S. states for --level state --within US, and Mexico’s states without --within', async (context) => {
    if (!STATES || !MUNICIPAL) return context.skip();
    const us = await homicides2020('--level', 'state', '--within', 'US');
    // INEGI counts no U.S. homicides: no series, and each U.S. state is listed as having no source.
    expect(us.series).toEqual([]);
    expect(us.gaps.map((g) => g.geo).sort()).toEqual(US_STATES.map(([usps]) => usps).sort());
    expect(new Set(us.gaps.map((g) => g.reason))).toEqual(new Set(['no_source']));

    // The catalogue's last line, `Nacional,00`, is the country.
    const states = (await sharedLines(STATES))
      .slice(1)
      .map((l) => l.split(',')[1]!)
      .filter((code) => code !== '00');
    expect(states).toHaveLength(32);
    for (const within of [[], ['--within', 'MX']]) {
      const mx = await homicides2020('--level', 'state', ...within);
      expect(mx.series.map((s) => s.geo).sort()).toEqual([...states].sort());
    }
  });

  it('refuses a --within that is not MX, US or a two-digit state code, and finds nothing in an unknown state', async () => {
    for (const within of ['8', 'Chihuahua', 'mx']) {
      const res = await marco(
        dir,
        'stats',
        '--measure',
        'homicides',
        '--level',
        'municipality',
        '--within',
        within,
      );
      expect(res.code, within).toBe(EXIT.invalid);
      expect(res.stderr).toContain('--within: expected MX or US (for states) or a state code such as 09');
    }
    const unknown = await homicides2020('--level', 'municipality', '--within', '99');
    expect(unknown.series).toEqual([]);
  });
});

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');

describe('marco anomalies --threshold and --min-count', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('anomalies');
    if (!STATE || !STATES) return;
    expect((await marco(dir, 'import', 'inegi-geo-catalog', STATES)).code).toBe(EXIT.ok);
    expect((await marco(dir, 'import', 'inegi-homicides-state', STATE)).code).toBe(EXIT.ok);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  interface Scored {
    geo: string;
    period: string;
    value: number;
    expected: number;
    z: number;
  }

  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };

  /**
   * Every state-month with 12 months before it, scored from the raw lines: the median of those months,
   * their MAD × 1.4826 (at least √median and at least 1) as the scale.
   */
  async function rawScores(): Promise<Scored[]> {
    const byState = new Map<string, { period: string; value: number }[]>();
    for (const line of (await sharedLines(STATE!)).slice(1)) {
      const [geo, year, month, count] = line.split('|');
      const rows = byState.get(geo!) ?? [];
      rows.push({ period: `${year}-${month!.padStart(2, '0')}`, value: Number(count) });
      byState.set(geo!, rows);
    }
    const scored: Scored[] = [];
    for (const [geo, rows] of byState) {
      rows.sort((a, b) => a.period.localeCompare(b.period));
      expect(rows).toHaveLength(276); // 2000-01 to 2022-12, no gaps
      for (let i = 12; i < rows.length; i++) {
        const window = rows.slice(i - 12, i).map((r) => r.value);
        const expected = median(window);
        const mad = median(window.map((v) => Math.abs(v - expected)));
        const scale = Math.max(1.4826 * mad, Math.sqrt(expected), 1);
        const { period, value } = rows[i]!;
        scored.push({ geo, period, value, expected, z: (value - expected) / scale });
      }
    }
    return scored;
  }

  interface AnomaliesJson {
    query: { threshold: number; minCount: number };
    anomalies: Scored[];
  }

  const anomalies = (...flags: string[]) =>
    marcoJson<AnomaliesJson>(
      dir,
      'anomalies',
      '--measure',
      'homicides',
      '--level',
      'state',
      ...flags,
      '--json',
    );

  const keys = (list: Scored[]) => list.map((a) => `${a.geo} ${a.period}`).sort();

  it('flags exactly the months whose z-score, recomputed from the raw file, reaches --threshold', async (context) => {
    if (!STATE || !STATES) return context.skip();
    const raw = await rawScores();
    const low = await anomalies('--threshold', '3.5', '--min-count', '0');
    expect(low.query).toMatchObject({ threshold: 3.5, minCount: 0 });
    expect(keys(low.anomalies)).toEqual(keys(raw.filter((s) => Math.abs(s.z) >= 3.5)));
    const byKey = new Map(raw.map((s) => [`${s.geo} ${s.period}`, s]));
    for (const a of low.anomalies) {
      const s = byKey.get(`${a.geo} ${a.period}`)!;
      expect(a.value).toBe(s.value);
      expect(a.expected).toBe(s.expected);
      expect(a.z).toBeCloseTo(s.z, 9);
    }

    // A higher threshold keeps exactly the months of the lower one that reach it.
    const high = await anomalies('--threshold', '6.5', '--min-count', '0');
    expect(high.query.threshold).toBe(6.5);
    const kept = low.anomalies.filter((a) => Math.abs(a.z) >= 6.5);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(low.anomalies.length);
    expect(keys(high.anomalies)).toEqual(keys(kept));
  });

  it('drops exactly the flagged months whose count and baseline are both below --min-count', async (context) => {
    if (!STATE || !STATES) return context.skip();
    const all = await anomalies('--threshold', '3.5', '--min-count', '0');
    const big = await anomalies('--threshold', '3.5', '--min-count', '100');
    expect(big.query).toMatchObject({ threshold: 3.5, minCount: 100 });
    const kept = all.anomalies.filter((a) => Math.max(a.value, a.expected) >= 100);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.anomalies.length);
    expect(keys(big.anomalies)).toEqual(keys(kept));
    // The default minimum, 10, already drops some of them: --min-count 0 was read, not ignored.
    const defaults = await anomalies('--threshold', '3.5');
    expect(defaults.query.minCount).toBe(10);
    expect(keys(defaults.anomalies)).toEqual(
      keys(all.anomalies.filter((a) => Math.max(a.value, a.expected) >= 10)),
    );
    expect(defaults.anomalies.length).toBeLessThan(all.anomalies.length);
  });

  it('refuses a threshold, minimum count or window that is not a valid number, naming it', async () => {
    const run = (...flags: string[]) =>
      marco(dir, 'anomalies', '--measure', 'homicides', '--geo', '08', ...flags);
    for (const [flags, message] of [
      [['--threshold', 'abc'], '--threshold: "abc": expected a positive number'],
      [['--threshold', '0'], '--threshold: "0": expected a positive number'],
      [['--min-count', '-1'], '--min-count: "-1"'],
      [['--min-count', 'ten'], '--min-count: "ten"'],
      [['--window', '2.5'], '--window: "2.5"'],
      // Well-formed but under the minimum of 3: refused by the query's schema, named as typed.
      [['--window', '2'], '--window: expected 3 or more'],
    ] as const) {
      const res = await run(...flags);
      expect(res.code, flags.join(' ')).toBe(EXIT.invalid);
      expect(res.stderr, flags.join(' ')).toContain(message);
    }
  });
});
