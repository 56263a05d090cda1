/**
 * The `marco` flags that change what a command computes or where it writes: `--green`/`--amber`, `--max-rejects`, `--param` and `-o`.
 * Each outcome is checked against figures recomputed here from the raw shared files or the example
 * workspace, so a flag that were ignored or misread would change the numbers and fail the test, not only
 * its exit code.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXIT } from '../../src/error.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { openStats } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';
import { add, marco, marcoJson, onlySeries, tempDir, vintagesOf, type SeriesJson } from './flags.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');

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

    expect(doc.programs.map((p) => p.code).sort()).toEqual([
      'EX-ARMS-TRACING',
      'EX-CHIHUAHUA-PREVENTION',
      'EX-CORRECTIONS',
    ]);

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
