/**
 * The `marco` flags that change what a command computes or where it writes: `--filter`, `--within`,
 * `--green`/`--amber`, `--threshold`, `--min-count`, `--max-rejects`, `--param` and `-o`. Each outcome is
 * checked against figures recomputed here from the raw shared files or the example workspace, so a flag
 * that were ignored or misread would change the numbers and fail the test, not only its exit code.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXIT } from '../../src/error.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { openStats } from '../../src/stats/stats-store.js';
import { US_STATES } from '../../src/stats/us-states.js';
import { runMarco } from '../fixtures/run-marco.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const marco = runMarco;

const tempDir = (name: string) => mkdtemp(path.join(os.tmpdir(), `marco-flags-${name}-`));

/** Runs `marco … --json`-style commands that must succeed and parses what they print. */
async function marcoJson<T>(dir: string, ...args: string[]): Promise<T> {
  const res = await marco(dir, ...args);
  expect(res.code, res.stderr).toBe(EXIT.ok);
  return JSON.parse(res.stdout) as T;
}

interface SeriesJson {
  series: { geo: string; name: string | null; points: { period: string; value: number }[] }[];
}

/** `{period: value}` of the one series of a `marco stats --json` result. */
function onlySeries(result: SeriesJson): Record<string, number> {
  expect(result.series).toHaveLength(1);
  return Object.fromEntries(result.series[0]!.points.map((p) => [p.period, p.value]));
}

/** Adds `value` to `map[key]`. */
function add(map: Map<string, number>, key: string, value: number) {
  map.set(key, (map.get(key) ?? 0) + value);
}

interface VintageJson {
  id: number;
  file_name: string;
  rows_loaded: number;
  rows_rejected: number;
  params: string | Record<string, string> | null;
}

/** The vintages `marco sources --json` lists for one source. */
async function vintagesOf(dir: string, source: string): Promise<VintageJson[]> {
  const catalogue = await marcoJson<{ id: string; vintages: VintageJson[] }[]>(dir, 'sources', '--json');
  const entry = catalogue.find((s) => s.id === source);
  expect(entry, source).toBeDefined();
  return entry!.vintages;
}

describe('marco scorecard --green and --amber', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('scorecard');
    expect((await marco(dir, 'init', '--example')).code).toBe(EXIT.ok);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  interface Workspace {
    programs: {
      code: string;
      indicators?: {
        code: string;
        direction: string;
        aggregation: string;
        baseline: { value: number };
        targets: { period: string; value: number }[];
      }[];
    }[];
    results: { indicator: string; period: string; value?: number }[];
  }

  /**
   * The share of target met of each fiscal-year target of EX-ACA-ACCREDITED, from examples/workspace.yaml:
   * the latest result of the fiscal year (October to September) against the baseline and the target.
   */
  async function accreditedShareMet(): Promise<Map<string, number>> {
    const doc = parse(
      await readFile(path.join(PACKAGE_ROOT, 'examples/workspace.yaml'), 'utf8'),
    ) as Workspace;
    const indicator = doc.programs
      .find((p) => p.code === 'EX-CORRECTIONS')!
      .indicators!.find((i) => i.code === 'EX-ACA-ACCREDITED')!;
    expect(indicator).toMatchObject({ direction: 'increase', aggregation: 'latest' });
    const fiscalYear = (month: string) =>
      `FY${Number(month.slice(0, 4)) + (Number(month.slice(5, 7)) >= 10 ? 1 : 0)}`;
    const results = doc.results
      .filter((r) => r.indicator === indicator.code)
      .sort((a, b) => a.period.localeCompare(b.period));
    const baseline = indicator.baseline.value;
    const shares = new Map<string, number>();
    for (const target of indicator.targets) {
      const latest = results.filter((r) => fiscalYear(r.period) === target.period).at(-1);
      if (latest?.value === undefined) continue;
      shares.set(target.period, (latest.value - baseline) / (target.value - baseline));
    }
    return shares;
  }

  interface CardJson {
    thresholds: { green: number; amber: number };
    programs: {
      indicators: {
        code: string;
        periods: { period: string; percentMet: number | null; status: string }[];
      }[];
    }[];
  }

  /** The thresholds of `marco scorecard --json` with `flags`, and EX-ACA-ACCREDITED's share met and status by period. */
  async function accreditedStatuses(...flags: string[]) {
    const card = await marcoJson<CardJson>(
      dir,
      'scorecard',
      '--program',
      'EX-CORRECTIONS',
      ...flags,
      '--json',
    );
    const indicator = card.programs[0]!.indicators.find((i) => i.code === 'EX-ACA-ACCREDITED')!;
    return {
      thresholds: card.thresholds,
      periods: new Map(indicator.periods.map((p) => [p.period, { share: p.percentMet, status: p.status }])),
    };
  }

  const statusFor = (share: number, green: number, amber: number) =>
    share >= green ? 'green' : share >= amber ? 'amber' : 'red';

  it('moves a period met between the thresholds from amber to green or red as the flags move past it', async () => {
    const shares = await accreditedShareMet();
    // FY2018: 81 accredited against a baseline of 23 and a target of 90, (81 − 23) / (90 − 23) ≈ 86.6%.
    const between = [...shares].filter(([, share]) => share >= 0.7 && share < 0.9);
    expect(between.map(([period]) => period)).toEqual(['FY2018']);
    const share = between[0]![1];
    expect(share).toBeGreaterThan(0.8);
    const above = Math.ceil(share * 100) / 100; // 0.87: an amber threshold just above the share met

    for (const [green, amber, flags, flipped] of [
      [0.9, 0.7, [], 'amber'],
      [0.8, 0.7, ['--green', '0.8'], 'green'],
      [0.95, above, ['--green', '0.95', '--amber', String(above)], 'red'],
    ] as const) {
      const card = await accreditedStatuses(...flags);
      expect(card.thresholds).toEqual({ green, amber });
      expect(card.periods.get('FY2018')!.status, flags.join(' ')).toBe(flipped);
      // Every period's status follows its share met under the thresholds given, FY2017 (90.4%) included.
      expect(card.periods.size).toBe(shares.size);
      for (const [period, expected] of shares) {
        const got = card.periods.get(period)!;
        expect(got.share).toBeCloseTo(expected, 12);
        expect(got.status, `${period} with ${flags.join(' ')}`).toBe(statusFor(expected, green, amber));
      }
    }
  });

  it('refuses an amber threshold above the green one with the usage exit code, naming both flags', async () => {
    const above = await marco(dir, 'scorecard', '--amber', '0.95'); // above the default green, 0.9
    expect(above.code).toBe(EXIT.invalid);
    expect(above.stderr).toContain('--amber 0.95 is above --green 0.9');
    const swapped = await marco(dir, 'scorecard', '--green', '0.6', '--amber', '0.8');
    expect(swapped.code).toBe(EXIT.invalid);
    expect(swapped.stderr).toContain('--amber 0.8 is above --green 0.6');
    expect((await marco(dir, 'scorecard', '--amber', 'most')).code).toBe(EXIT.invalid);
    // Equal thresholds leave no amber band, and are allowed.
    expect((await marco(dir, 'scorecard', '--green', '0.8', '--amber', '0.8')).code).toBe(EXIT.ok);
  });
});

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
    expect(us.series.map((s) => s.geo).sort()).toEqual(US_STATES.map(([usps]) => usps).sort());
    // INEGI counts no U.S. homicides: the places are listed, without a figure.
    expect(us.series.flatMap((s) => s.points)).toEqual([]);

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
      [['--window', '2'], '--window: Too small'],
    ] as const) {
      const res = await run(...flags);
      expect(res.code, flags.join(' ')).toBe(EXIT.invalid);
      expect(res.stderr, flags.join(' ')).toContain(message);
    }
  });
});

describe('marco import --max-rejects', () => {
  let dir: string;
  let file: string;
  /** Line numbers (the header is line 1) and the raw counts made negative. */
  const damaged = new Map<number, string>();
  let rows = 0;
  beforeAll(async () => {
    dir = await tempDir('rejects');
    if (!STATE) return;
    // Chihuahua's 276 months from the real file, four of them with a negative count: 4 / 276 ≈ 1.45%.
    const lines = await sharedLines(STATE);
    const kept = [lines[0]!, ...lines.slice(1).filter((l) => l.startsWith('08|'))];
    rows = kept.length - 1;
    for (const index of [5, 50, 100, 200]) {
      const f = kept[index]!.split('|');
      damaged.set(index + 1, f[3]!);
      f[3] = `-${f[3]}`;
      kept[index] = f.join('|');
    }
    file = path.join(dir, 'chihuahua-damaged.csv');
    await writeFile(file, `${kept.join('\n')}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a file with more than 1% damaged rows by default, importing nothing', async (context) => {
    if (!STATE) return context.skip();
    expect(rows).toBe(276);
    expect(damaged.size / rows).toBeGreaterThan(0.01);
    const res = await marco(dir, 'import', 'inegi-homicides-state', file);
    expect(res.code).toBe(EXIT.invalid);
    expect(res.stderr).toContain(`4 of 276 rows rejected (1.45%, above the 1% limit); nothing was imported.`);
    for (const line of damaged.keys())
      expect(res.stderr).toContain(`chihuahua-damaged.csv:${line} homicides=`);
    expect(await vintagesOf(dir, 'inegi-homicides-state')).toEqual([]);
  });

  it('refuses a --max-rejects that is not a share between 0 and 1, before reading the file', async (context) => {
    if (!STATE) return context.skip();
    for (const share of ['2', 'abc', '-0.5', '1.5']) {
      const res = await marco(dir, 'import', 'inegi-homicides-state', file, '--max-rejects', share);
      expect(res.code, share).toBe(EXIT.invalid);
      expect(res.stderr).toContain(`--max-rejects "${share}": expected a share between 0 and 1`);
    }
    expect(await vintagesOf(dir, 'inegi-homicides-state')).toEqual([]);
  });

  it('accepts the file with --max-rejects 0.5, reporting each damaged line and loading the others', async (context) => {
    if (!STATE) return context.skip();
    const [report] = await marcoJson<
      {
        rowsRead: number;
        rowsLoaded: number;
        rowsRejected: number;
        rejects: { line: number; column: string; value: string; reason: string }[];
      }[]
    >(dir, 'import', 'inegi-homicides-state', file, '--max-rejects', '0.5', '--json');
    expect(report).toMatchObject({
      rowsRead: rows,
      rowsLoaded: rows - damaged.size,
      rowsRejected: damaged.size,
    });
    expect(report!.rejects.map((r) => [r.line, r.column, r.value, r.reason])).toEqual(
      [...damaged].map(([line, count]) => [line, 'homicides', `-${count}`, 'negative count']),
    );
    const [vintage, ...more] = await vintagesOf(dir, 'inegi-homicides-state');
    expect(more).toEqual([]);
    expect(vintage).toMatchObject({
      file_name: 'chihuahua-damaged.csv',
      rows_loaded: rows - damaged.size,
      rows_rejected: damaged.size,
    });

    // 2000 keeps its eleven good months, with the file's counts; May (line 6) is left out, not negated.
    const raw = (await sharedLines(STATE!))
      .slice(1)
      .map((l) => l.split('|'))
      .filter((f) => f[0] === '08' && f[1] === '2000' && f[2] !== '5');
    const months = await marcoJson<SeriesJson>(
      dir,
      'stats',
      '--measure',
      'homicides',
      '--geo',
      '08',
      '--by',
      'month',
      '--from',
      '2000',
      '--to',
      '2000',
      '--json',
    );
    expect(onlySeries(months)).toEqual(
      Object.fromEntries(raw.map((f) => [`2000-${f[2]!.padStart(2, '0')}`, Number(f[3])])),
    );
  });
});

const AID = sharedFile('usaid/us_foreign_aid_country.csv');

describe('marco import --param', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('param');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Obligations in current dollars by fiscal year, from the raw lines of one country. */
  async function rawObligations(country: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const line of await sharedLines(AID!)) {
      if (!line.startsWith(`${country},`)) continue;
      const f = line.split(',');
      expect(f, line).toHaveLength(11);
      // `1976tq`, the transition quarter, belongs to no fiscal year; an empty amount is no figure.
      if (f[7] === 'Obligations' && /^\d{4}$/.test(f[8]!) && f[9] !== '') add(out, f[8]!, Number(f[9]));
    }
    return out;
  }

  /** Obligations by fiscal year stored for `geo`, read from the statistics store itself. */
  async function storedObligations(geo: string): Promise<Map<string, number>> {
    const stats = await openStats({ dataDir: dir });
    try {
      const rows = await stats.all<{ fy: number; value: number }>(
        `select year(period) + 1 as fy, sum(value) as value from observations
         where source = 'usaid-foreign-aid' and measure = 'us_assistance_usd' and geo = $1
           and dims['transaction_type'] = 'Obligations' group by all`,
        [geo],
      );
      return new Map(rows.map((r) => [String(r.fy), Number(r.value)]));
    } finally {
      stats.close();
    }
  }

  it('imports the country named by --param country instead of Mexico, and records it in the vintage', async (context) => {
    if (!AID) return context.skip();
    const colombia = await rawObligations('COL');
    const mexico = await rawObligations('MEX');
    expect(colombia.get('2010')).toBe(794513075);
    expect(colombia.get('2010')).not.toBe(mexico.get('2010'));

    const [report] = await marcoJson<{ status: string; rowsRejected: number }[]>(
      dir,
      'import',
      'usaid-foreign-aid',
      AID,
      '--param',
      'country=COL',
      '--json',
    );
    expect(report).toMatchObject({ status: 'imported', rowsRejected: 0 });
    const stored = await storedObligations('COL');
    expect(stored.get('2010')).toBe(colombia.get('2010'));
    expect(stored).toEqual(colombia);
    expect((await storedObligations('MX')).size).toBe(0); // the default country was not imported

    const [vintage, ...more] = await vintagesOf(dir, 'usaid-foreign-aid');
    expect(more).toEqual([]);
    const params =
      typeof vintage!.params === 'string' ? (JSON.parse(vintage!.params) as unknown) : vintage!.params;
    expect(params).toEqual({ country: 'COL' });

    // Without --param, the same file gives Mexico's figures, as a second vintage that replaces nothing.
    expect((await marco(dir, 'import', 'usaid-foreign-aid', AID)).code).toBe(EXIT.ok);
    expect(await storedObligations('MX')).toEqual(mexico);
    expect(await storedObligations('COL')).toEqual(colombia);
    const both = await vintagesOf(dir, 'usaid-foreign-aid');
    expect(
      both.map((v) => v.params && (typeof v.params === 'string' ? JSON.parse(v.params) : v.params)),
    ).toEqual([{ country: 'COL' }, { country: 'MEX' }]);
  });

  it('refuses an unknown parameter, a malformed --param and a bad value, importing nothing', async (context) => {
    if (!AID) return context.skip();
    const before = await vintagesOf(dir, 'usaid-foreign-aid');
    const unknown = await marco(dir, 'import', 'usaid-foreign-aid', AID, '--param', 'nation=COL');
    expect(unknown.code).toBe(EXIT.invalid);
    expect(unknown.stderr).toContain('usaid-foreign-aid has no parameter "nation"; it takes country');
    const malformed = await marco(dir, 'import', 'usaid-foreign-aid', AID, '--param', 'x');
    expect(malformed.code).toBe(EXIT.invalid);
    expect(malformed.stderr).toContain('--param: "x": expected name:value or name=value');
    const lower = await marco(dir, 'import', 'usaid-foreign-aid', AID, '--param', 'country=col');
    expect(lower.code).toBe(EXIT.invalid);
    expect(lower.stderr).toContain('--param country=col: expected an ISO 3166 alpha-3 country code');
    expect(await vintagesOf(dir, 'usaid-foreign-aid')).toEqual(before);
  });
});

describe('-o writes to a file what the command prints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('output');
    expect((await marco(dir, 'init', '--example')).code).toBe(EXIT.ok);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes with marco export -o the workspace document that marco export prints', async () => {
    const printed = await marco(dir, 'export');
    expect(printed.code).toBe(EXIT.ok);
    const file = path.join(dir, 'exported.yaml');
    const written = await marco(dir, 'export', '-o', file);
    expect(written.code).toBe(EXIT.ok);
    expect(written.stdout).not.toContain('programs:');
    const text = await readFile(file, 'utf8');
    const doc = parse(text) as { programs: { code: string }[] };
    expect(doc).toEqual(parse(printed.stdout));
    expect(text).toBe(printed.stdout); // the same YAML, not merely the same data

    expect(doc.programs.map((p) => p.code).sort()).toEqual(['EX-CHIHUAHUA-PREVENTION', 'EX-CORRECTIONS']);

    const jsonFile = path.join(dir, 'exported.json');
    expect((await marco(dir, 'export', '--format', 'json', '--output', jsonFile)).code).toBe(EXIT.ok);
    expect(JSON.parse(await readFile(jsonFile, 'utf8'))).toEqual(doc);
  });

  it('writes with marco openapi -o the document in docs/openapi.json, byte for byte', async () => {
    const file = path.join(dir, 'openapi.json');
    const res = await marco(dir, 'openapi', '-o', file);
    expect(res.code).toBe(EXIT.ok);
    expect(res.stdout).toBe('');
    const written = await readFile(file, 'utf8');
    expect(written).toBe(await readFile(path.join(PACKAGE_ROOT, 'docs/openapi.json'), 'utf8'));
    expect(written).toBe((await marco(dir, 'openapi')).stdout);
  });
});
