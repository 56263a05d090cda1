/**
 * Bad rows, source by source. Each test writes a small file from the real file's header and a handful of
 * its real lines, damages one line for each reject rule of the source's staging SQL, and checks that:
 * above the default 1% limit the file is refused with a DataError naming every `file:line` and nothing is
 * written; with a higher limit exactly the damaged lines are rejected, with their column, value and
 * reason, suppressed values are skipped, and the good lines are stored with their exact values. Lines
 * are numbered as in the file: the header is line 1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataError, type ImportReport } from '../../src/stats/import-report.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

/** A rejected row as the importer reports it, without the file. */
interface Reject {
  line: number;
  column: string;
  value: string | null;
  reason: string;
}

/** A stored observation, its period as ISO text and its dimensions as `key=value;…` (sorted keys). */
interface Observation {
  measure: string;
  geo_level: string;
  geo: string;
  period: string;
  value: number;
  dims: string;
}

/** A CSV line's fields (quoted fields may hold the delimiter). */
function fieldsOf(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

/** A real line with some fields replaced (by index), quoted again where needed. */
function edit(line: string, changes: Record<number, string>): string {
  const fields = fieldsOf(line);
  for (const [i, value] of Object.entries(changes)) fields[Number(i)] = value;
  return fields.map((f) => (/[",]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}

/** The first real data line whose fields pass `test`. */
function pick(data: string[], what: string, test: (f: string[]) => boolean): string {
  const line = data.find((l) => test(fieldsOf(l)));
  if (line === undefined) throw new Error(`the real file has no line with ${what}`);
  return line;
}

/** A small file: the real header, then lines; `add` returns a line's number (the header is line 1). */
function sample(header: string) {
  const lines = [header];
  return { lines, add: (line: string) => lines.push(line) };
}

const dimsKey = (dims: Record<string, string>) =>
  Object.keys(dims)
    .sort()
    .map((k) => `${k}=${dims[k]}`)
    .join(';');

/** Sorted by content (whatever the key order), so that rows of one line compare in any order. */
const sorted = <T extends object>(rows: T[]) => {
  const text = (row: T) => JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));
  return [...rows].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
};

/** Row counts of every table an import writes. */
async function contents(stats: StatsStore) {
  const [row] = await stats.all<Record<string, number>>(`select
    (select count(*) from vintages) as vintages, (select count(*) from observations) as observations,
    (select count(*) from rejects) as rejects, (select count(*) from coverage) as coverage,
    (select count(*) from geo where source != 'marco') as places`);
  return row!;
}
const EMPTY = { vintages: 0, observations: 0, rejects: 0, coverage: 0, places: 0 };

async function stored(stats: StatsStore, source: string): Promise<Observation[]> {
  return sorted(
    await stats.all<Observation>(
      `select measure, geo_level, geo, strftime(period, '%Y-%m-%d') as period, value, dims_key as dims
       from observations where source = $1`,
      [source],
    ),
  );
}

let dir: string;
let stats: StatsStore;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'marco-bad-rows-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  stats = await openStats({ memory: true });
});
afterEach(() => stats?.close());

/**
 * Writes the file, checks that the default limit refuses it (naming each rejected `file:line` and
 * writing nothing), then imports it with a 90% limit and checks the counts and every rejected row.
 * `rows` counts staged rows: one per line, or one per value cell for sources with several per line.
 */
async function importBadRows(c: {
  source: string;
  name: string;
  lines: string[];
  encoding?: BufferEncoding;
  params?: Record<string, string>;
  rows: number;
  skipped: number;
  rejects: Reject[];
}): Promise<ImportReport> {
  const file = path.join(dir, c.name);
  await writeFile(file, Buffer.from(`${c.lines.join('\n')}\n`, c.encoding ?? 'utf8'));
  const source = sourceById(c.source)!;
  const options = { version: 'test', ...(c.params ? { params: c.params } : {}) };

  expect(await contents(stats)).toEqual(EMPTY);
  const error = await importFile(stats, source, file, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  const message = (error as DataError).message;
  expect(message).toContain(`${file}: ${c.rejects.length} of ${c.rows} rows rejected`);
  expect(message).toContain('nothing was imported');
  for (const r of c.rejects.slice(0, 20))
    expect(message).toContain(`\n  ${file}:${r.line} ${r.column}=${JSON.stringify(r.value)}: ${r.reason}\n`);
  expect(await contents(stats)).toEqual(EMPTY);

  const report = await importFile(stats, source, file, { ...options, maxRejectShare: 0.9 });
  expect(report).toMatchObject({
    status: 'imported',
    rowsRead: c.rows,
    rowsRejected: c.rejects.length,
    rowsSkipped: c.skipped,
    rowsLoaded: c.rows - c.rejects.length - c.skipped,
  });
  expect(sorted(report.rejects)).toEqual(sorted(c.rejects.slice(0, 20).map((r) => ({ file, ...r }))));
  const all = await stats.all<Reject>(
    `select line, "column", value, reason from rejects where vintage_id = $1`,
    [report.vintage],
  );
  expect(sorted(all)).toEqual(sorted(c.rejects));
  return report;
}

describe('bad rows of CDC VSRR provisional overdose deaths', () => {
  it('rejects a bad state code, year, month name, period, non-number and negative count at their lines, skips a suppressed value and stores the rest exactly', async (context) => {
    const real = sharedFile('cdc/vsrr_provisional_drug_overdose_death_counts.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (state: string, year: string, month: string) =>
      pick(data, `${state} ${year} ${month}`, (f) => f[0] === state && f[1] === year && f[2] === month);
    const s = sample(header!);
    const good = [row('TX', '2020', 'January'), row('US', '2020', 'December')];
    good.forEach(s.add);
    const suppressed = row('AK', '2015', 'January');
    expect(fieldsOf(suppressed)[10]).toBe('');
    s.add(suppressed);
    const bad = (month: string, changes: Record<number, string>) =>
      s.add(edit(row('TX', '2021', month), changes));
    const rejects: Reject[] = [
      {
        line: bad('January', { 0: 'TEX' }),
        column: 'state',
        value: 'TEX',
        reason: 'not a USPS jurisdiction code',
      },
      { line: bad('February', { 1: '20x1' }), column: 'year', value: '20x1', reason: 'not a year' },
      { line: bad('March', { 1: '2999' }), column: 'year', value: '2999', reason: 'not a year' },
      {
        line: bad('April', { 2: 'Abril' }),
        column: 'month',
        value: 'Abril',
        reason: 'not an English month name',
      },
      {
        line: bad('May', { 3: '1 month-ending' }),
        column: 'period',
        value: '1 month-ending',
        reason: 'only 12 month-ending counts are read',
      },
      { line: bad('June', { 10: '1,234' }), column: 'data_value', value: '1,234', reason: 'not a number' },
      { line: bad('July', { 10: '-12' }), column: 'data_value', value: '-12', reason: 'negative count' },
    ];

    await importBadRows({
      source: 'cdc-vsrr-overdose',
      name: 'cdc.csv',
      lines: s.lines,
      rows: s.lines.length - 1,
      skipped: 1,
      rejects,
    });
    const [tx, us] = good.map((l) => fieldsOf(l));
    expect(await stored(stats, 'cdc-vsrr-overdose')).toEqual(
      sorted(
        [
          { geo: 'TX', geo_level: 'state', period: '2020-01-01', f: tx! },
          { geo: 'US', geo_level: 'country', period: '2020-12-01', f: us! },
        ].map(({ f, ...o }) => ({
          measure: 'synthetic_opioid_deaths_12m',
          ...o,
          value: Number(f[10]),
          dims: dimsKey({ indicator: f[4]! }),
        })),
      ),
    );
  });
});

describe('bad rows of CBP drug seizures', () => {
  it('rejects a bad fiscal year, month abbreviation, empty drug, fractional event count, non-number and negative values per cell, skips an empty weight and stores the rest exactly', async (context) => {
    const real = sharedFile('cbp/nationwide-drugs-fy23-fy26-dec.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (fy: string, month: string, office: string, drug: string) =>
      pick(
        data,
        `${fy} ${month} ${office} ${drug}`,
        (f) => f[0] === fy && f[1] === month && f[5] === office && f[6] === drug,
      );
    const s = sample(header!);
    const good = [
      row('2026 (FYTD)', 'DEC', 'ATLANTA FIELD OFFICE', 'Methamphetamine'),
      row('2023', 'OCT', 'BALTIMORE FIELD OFFICE', 'Cocaine'),
      row('2024', 'MAR', 'ATLANTA FIELD OFFICE', 'Cocaine'),
    ];
    good.forEach(s.add);
    // Damaged copies of other real lines of October 2022: each line holds two cells.
    const spare = data.filter((l) => l.startsWith('2023,OCT,') && !good.includes(l));
    let next = 0;
    const bad = (changes: Record<number, string>) => s.add(edit(spare[next++]!, changes));
    const both = (r: Reject): Reject[] => [r, r];
    const fyReason = 'not a fiscal year such as 2023 or 2026 (FYTD)';
    const halfLoaded: string[] = [];
    const keepOther = (changes: Record<number, string>) => {
      const line = bad(changes);
      halfLoaded.push(s.lines[line - 1]!);
      return line;
    };
    const rejects: Reject[] = [
      ...both({ line: bad({ 0: 'FY2023' }), column: 'FY', value: 'FY2023', reason: fyReason }),
      ...both({ line: bad({ 0: '1800' }), column: 'FY', value: '1800', reason: fyReason }),
      ...both({
        line: bad({ 1: 'OCTOBER' }),
        column: 'Month (abbv)',
        value: 'OCTOBER',
        reason: 'not a month abbreviation JAN to DEC',
      }),
      ...both({ line: bad({ 6: '' }), column: 'Drug Type', value: null, reason: 'empty drug type' }),
      { line: keepOther({ 7: '2.5' }), column: 'Count of Event', value: '2.5', reason: 'not a whole number' },
      { line: keepOther({ 8: '12 lbs' }), column: 'Sum Qty (lbs)', value: '12 lbs', reason: 'not a number' },
      { line: keepOther({ 8: '-3.25' }), column: 'Sum Qty (lbs)', value: '-3.25', reason: 'negative value' },
      { line: keepOther({ 7: '-2' }), column: 'Count of Event', value: '-2', reason: 'negative value' },
    ];
    const emptyWeight = bad({ 8: '' });
    expect(next).toBeLessThanOrEqual(spare.length);

    await importBadRows({
      source: 'cbp-drug-seizures',
      name: 'cbp.csv',
      lines: s.lines,
      rows: 2 * (s.lines.length - 1),
      skipped: 1,
      rejects,
    });
    const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
    const observation = (line: string, measure: string) => {
      const f = fieldsOf(line);
      const fy = Number(f[0]!.slice(0, 4));
      const m = months.indexOf(f[1]!) + 1;
      const year = m >= 10 ? fy - 1 : fy;
      return {
        measure,
        geo_level: 'country',
        geo: 'US',
        period: `${year}-${String(m).padStart(2, '0')}-01`,
        value: Number(measure === 'drug_seizure_events' ? f[7] : f[8]),
        dims: dimsKey({
          component: f[2]!,
          region: f[3]!,
          land_filter: f[4]!,
          area_of_responsibility: f[5]!,
          drug: f[6]!,
        }),
      };
    };
    const [count, weight, negativeWeight, negativeCount] = halfLoaded;
    const expected = [
      ...good.flatMap((l) => [observation(l, 'drug_seizure_events'), observation(l, 'drug_seizures_lbs')]),
      observation(count!, 'drug_seizures_lbs'),
      observation(weight!, 'drug_seizure_events'),
      observation(negativeWeight!, 'drug_seizure_events'),
      observation(negativeCount!, 'drug_seizures_lbs'),
      observation(s.lines[emptyWeight - 1]!, 'drug_seizure_events'),
    ];
    // FY 2026 (FYTD) December is December 2025; FY 2023 October is October 2022; FY 2024 March, March 2024.
    expect(expected.slice(0, 6).map((o) => o.period)).toEqual([
      '2025-12-01',
      '2025-12-01',
      '2022-10-01',
      '2022-10-01',
      '2024-03-01',
      '2024-03-01',
    ]);
    expect(await stored(stats, 'cbp-drug-seizures')).toEqual(sorted(expected));
  });
});

describe('bad rows of the USAID Foreign Aid Explorer', () => {
  it('rejects a bad fiscal year, an empty transaction type and non-numbers of the chosen country only, skips the 1976 transition quarter and stores the rest exactly', async (context) => {
    const real = sharedFile('usaid/us_foreign_aid_country.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (country: string, type: string, fy: string) =>
      pick(data, `${country} ${type} ${fy}`, (f) => f[0] === country && f[7] === type && f[8] === fy);
    const s = sample(header!);
    // Other countries' lines are neither read nor rejected, but they count in line numbers.
    s.add(data[0]!);
    expect(fieldsOf(data[0]!)[0]).not.toBe('MEX');
    const good = [row('MEX', 'Appropriated and Planned', '2006'), row('MEX', 'Obligations', '2009')];
    good.forEach(s.add);
    s.add(row('MEX', 'Obligations', '1976tq'));
    const fyReason = 'not a fiscal year (or 1976tq, the transition quarter)';
    const fy = s.add(edit(row('MEX', 'Obligations', '2010'), { 8: 'FY2010' }));
    const type = s.add(edit(row('MEX', 'Obligations', '2011'), { 7: '' }));
    const current = row('MEX', 'Obligations', '2012');
    const constant = row('MEX', 'Obligations', '2013');
    const rejects: Reject[] = [
      { line: fy, column: 'Fiscal Year', value: 'FY2010', reason: fyReason },
      { line: fy, column: 'Fiscal Year', value: 'FY2010', reason: fyReason },
      { line: type, column: 'Transaction Type Name', value: null, reason: 'empty transaction type' },
      { line: type, column: 'Transaction Type Name', value: null, reason: 'empty transaction type' },
      {
        line: s.add(edit(current, { 9: 'n/a' })),
        column: 'current_amount',
        value: 'n/a',
        reason: 'not a number',
      },
    ];
    s.add(edit(row('CAN', 'Obligations', '1951'), { 8: 'FY1951', 9: 'n/a' }));
    rejects.push({
      line: s.add(edit(constant, { 10: '4.8e8 USD' })),
      column: 'constant_amount',
      value: '4.8e8 USD',
      reason: 'not a number',
    });

    await importBadRows({
      source: 'usaid-foreign-aid',
      name: 'aid.csv',
      lines: s.lines,
      rows: 2 * 7,
      skipped: 2,
      rejects,
    });
    const observation = (line: string, measure: string) => {
      const f = fieldsOf(line);
      return {
        measure,
        geo_level: 'country',
        geo: 'MX',
        period: `${Number(f[8]) - 1}-10-01`,
        value: Number(measure === 'us_assistance_usd' ? f[9] : f[10]),
        dims: dimsKey({ transaction_type: f[7]! }),
      };
    };
    expect(await stored(stats, 'usaid-foreign-aid')).toEqual(
      sorted([
        ...good.flatMap((l) => [
          observation(l, 'us_assistance_usd'),
          observation(l, 'us_assistance_usd_constant'),
        ]),
        observation(current, 'us_assistance_usd_constant'),
        observation(constant, 'us_assistance_usd'),
      ]),
    );
  });
});

describe('bad rows of CONAPO population', () => {
  it('by state and month: rejects a state code out of range or not a number, a bad date, a non-number and a negative population, and stores the rest exactly', async (context) => {
    const real = sharedFile('conapo/pop_states_monthly_1990_2050.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (state: string, date: string) =>
      pick(data, `${state} ${date}`, (f) => f[0] === state && f[1] === date);
    const s = sample(header!);
    const good = [row('1', '1990-01-01'), row('9', '2020-03-01')];
    good.forEach(s.add);
    const reason = 'not a state code 1 to 32';
    const rejects: Reject[] = [
      { line: s.add(edit(row('32', '2020-03-01'), { 0: '33' })), column: 'state_code', value: '33', reason },
      {
        line: s.add(edit(row('14', '2020-03-01'), { 0: 'Jal' })),
        column: 'state_code',
        value: 'Jal',
        reason,
      },
      {
        line: s.add(edit(row('9', '2020-04-01'), { 1: '2020-13-01' })),
        column: 'date',
        value: '2020-13-01',
        reason: 'not a date',
      },
      {
        line: s.add(edit(row('9', '2020-05-01'), { 2: '9,343,904' })),
        column: 'population',
        value: '9,343,904',
        reason: 'not a number',
      },
      {
        line: s.add(edit(row('9', '2020-06-01'), { 2: '-1' })),
        column: 'population',
        value: '-1',
        reason: 'negative population',
      },
    ];

    await importBadRows({
      source: 'conapo-population-state-monthly',
      name: 'pop-monthly.csv',
      lines: s.lines,
      rows: s.lines.length - 1,
      skipped: 0,
      rejects,
    });
    expect(await stored(stats, 'conapo-population-state-monthly')).toEqual(
      sorted(
        good
          .map((l) => fieldsOf(l))
          .map((f) => ({
            measure: 'population',
            geo_level: 'state',
            geo: f[0]!.padStart(2, '0'),
            period: f[1]!,
            value: Number(f[2]),
            dims: '',
          })),
      ),
    );
  });

  it('by state, year and sex: rejects a bad year, a state code out of range or not a number, an unknown sex, and a mid-year population that is not a non-negative number, and stores the rest exactly', async (context) => {
    const real = sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (year: string, code: string, sex: string) =>
      pick(data, `${year} ${code} ${sex}`, (f) => f[0] === year && f[2] === code && f[3] === sex);
    const s = sample(header!);
    const good = [row('1950', '00', 'Hombres'), row('2020', '09', 'Total')];
    good.forEach(s.add);
    const rejects: Reject[] = [
      {
        line: s.add(edit(row('2021', '09', 'Total'), { 0: 'NA' })),
        column: 'n_year',
        value: 'NA',
        reason: 'not a year',
      },
      {
        line: s.add(edit(row('2022', '09', 'Total'), { 0: '1799' })),
        column: 'n_year',
        value: '1799',
        reason: 'not a year',
      },
      {
        line: s.add(edit(row('2020', '32', 'Total'), { 2: '33' })),
        column: 'cve_ent',
        value: '33',
        reason: 'not a state code 00 to 32',
      },
      {
        line: s.add(edit(row('2020', '14', 'Total'), { 2: 'JAL' })),
        column: 'cve_ent',
        value: 'JAL',
        reason: 'not a state code 00 to 32',
      },
      {
        line: s.add(edit(row('2020', '09', 'Mujeres'), { 3: 'Ambos' })),
        column: 'genero',
        value: 'Ambos',
        reason: 'sex must be Hombres, Mujeres or Total',
      },
      {
        line: s.add(edit(row('2020', '09', 'Hombres'), { 5: 'n.d.' })),
        column: 'pob_mid_year',
        value: 'n.d.',
        reason: 'not a non-negative number',
      },
      {
        line: s.add(edit(row('2020', '15', 'Total'), { 5: '-100' })),
        column: 'pob_mid_year',
        value: '-100',
        reason: 'not a non-negative number',
      },
    ];

    await importBadRows({
      source: 'conapo-population-state',
      name: 'pop-yearly.csv',
      lines: s.lines,
      rows: s.lines.length - 1,
      skipped: 0,
      rejects,
    });
    const [mx, cdmx] = good.map((l) => fieldsOf(l));
    expect(await stored(stats, 'conapo-population-state')).toEqual(
      sorted([
        {
          measure: 'population',
          geo_level: 'country',
          geo: 'MX',
          period: '1950-01-01',
          value: Number(mx![5]),
          dims: 'sex=male',
        },
        {
          measure: 'population',
          geo_level: 'state',
          geo: '09',
          period: '2020-01-01',
          value: Number(cdmx![5]),
          dims: '',
        },
      ]),
    );
  });

  it('by municipality: rejects a fractional, out-of-range or missing code, a bad year, an unknown sex, a non-number and a negative population, skips an empty population and stores the rest exactly', async (context) => {
    const real = sharedFile('conapo/municipio-population1990-2009.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (code: string, sex: string, year: string) =>
      pick(data, `${code} ${sex} ${year}`, (f) => f[0] === code && f[2] === sex && f[3] === year);
    const s = sample(header!);
    const good = [row('1001.0', 'Total', '1990'), row('1001.0', 'Males', '1995')];
    good.forEach(s.add);
    const empty = row('1001.0', 'Total', '2007');
    expect(fieldsOf(empty)[1]).toBe('');
    s.add(empty);
    const codeReason = 'not an INEGI municipality code (1001 to 32999, written as a number)';
    const damaged = (year: string, changes: Record<number, string>) =>
      s.add(edit(row('8037.0', 'Total', year), changes));
    const rejects: Reject[] = [
      { line: damaged('1990', { 0: '8037.5' }), column: 'Code', value: '8037.5', reason: codeReason },
      { line: damaged('1991', { 0: '33001.0' }), column: 'Code', value: '33001.0', reason: codeReason },
      { line: damaged('1992', { 0: 'Juárez' }), column: 'Code', value: 'Juárez', reason: codeReason },
      { line: damaged('1993', { 3: '1993-94' }), column: 'Year', value: '1993-94', reason: 'not a year' },
      {
        line: damaged('1994', { 2: 'Hombres' }),
        column: 'Sex',
        value: 'Hombres',
        reason: 'sex must be Total, Males or Females',
      },
      { line: damaged('1995', { 1: 'NA' }), column: 'Population', value: 'NA', reason: 'not a number' },
      {
        line: damaged('1996', { 1: '-5.0' }),
        column: 'Population',
        value: '-5.0',
        reason: 'negative population',
      },
    ];

    await importBadRows({
      source: 'conapo-population-municipal',
      name: 'pop-municipal.csv',
      lines: s.lines,
      rows: s.lines.length - 1,
      skipped: 1,
      rejects,
    });
    const [total, males] = good.map((l) => fieldsOf(l));
    expect(await stored(stats, 'conapo-population-municipal')).toEqual(
      sorted([
        {
          measure: 'population',
          geo_level: 'municipality',
          geo: '01001',
          period: '1990-01-01',
          value: Number(total![1]),
          dims: '',
        },
        {
          measure: 'population',
          geo_level: 'municipality',
          geo: '01001',
          period: '1995-01-01',
          value: Number(males![1]),
          dims: 'sex=male',
        },
      ]),
    );
  });
});

describe('bad rows of SESNSP crime statistics', () => {
  it('victims: rejects a bad state code, year, month, an empty subtype, and a non-number, negative or fractional count, and stores the rest exactly', async (context) => {
    const real = sharedFile('sesnsp/db_victimas_delitos_ent_long.csv.bz2');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const s = sample(header!);
    const good = [
      pick(data, 'an intentional homicide', (f) => f[7] === 'Homicidio doloso' && Number(f[11]) > 0),
      pick(data, 'a femicide', (f) => f[7] === 'Feminicidio' && Number(f[11]) > 0),
      pick(data, 'a kidnapping', (f) => f[7] === 'Secuestro' && Number(f[11]) > 0),
      pick(data, 'a zero count', (f) => f[7] === 'Lesiones dolosas' && f[11] === '0'),
    ];
    good.forEach(s.add);
    // Damaged copies of the next real lines of Aguascalientes, 2016.
    const spare = data.filter((l) => l.startsWith('2016-') && !good.includes(l));
    let next = 0;
    const bad = (changes: Record<number, string>) => s.add(edit(spare[next++]!, changes));
    const stateReason = 'not a state code 1 to 32';
    const rejects: Reject[] = [
      { line: bad({ 3: 'AGS' }), column: 'cve_ent', value: 'AGS', reason: stateReason },
      { line: bad({ 3: '33' }), column: 'cve_ent', value: '33', reason: stateReason },
      { line: bad({ 1: '2O16' }), column: 'n_year', value: '2O16', reason: 'not a year' },
      { line: bad({ 2: '13' }), column: 'n_month', value: '13', reason: 'month must be 1 to 12' },
      { line: bad({ 7: '' }), column: 'subtipo_de_delito', value: null, reason: 'empty crime subtype' },
      { line: bad({ 11: 'n/d' }), column: 'n_victimas', value: 'n/d', reason: 'not a number' },
      { line: bad({ 11: '-1' }), column: 'n_victimas', value: '-1', reason: 'negative count' },
      { line: bad({ 11: '2.5' }), column: 'n_victimas', value: '2.5', reason: 'not a whole number' },
    ];

    await importBadRows({
      source: 'sesnsp-victims',
      name: 'victims.csv',
      lines: s.lines,
      rows: s.lines.length - 1,
      skipped: 0,
      rejects,
    });
    const measures: Record<string, string> = {
      'Homicidio doloso': 'homicide_victims',
      Feminicidio: 'femicide_victims',
      Secuestro: 'kidnapping_victims',
    };
    expect(await stored(stats, 'sesnsp-victims')).toEqual(
      sorted(
        good
          .map((l) => fieldsOf(l))
          .map((f) => ({
            measure: measures[f[7]!] ?? 'crime_victims',
            geo_level: 'state',
            geo: f[3]!.padStart(2, '0'),
            period: `${f[1]}-${f[2]!.padStart(2, '0')}-01`,
            value: Number(f[11]),
            dims: dimsKey({
              crime_type: f[6]!,
              crime_subtype: f[7]!,
              modality: f[8]!,
              sex: f[9]!,
              age_group: f[10]!,
            }),
          })),
      ),
    );
  }, 180_000);

  describe('incidence, in the wide layout with one column per month', () => {
    const MONTHS = [
      'enero',
      'febrero',
      'marzo',
      'abril',
      'mayo',
      'junio',
      'julio',
      'agosto',
      'septiembre',
      'octubre',
      'noviembre',
      'diciembre',
    ];
    // Latin-1 text misread as Mac Roman, and what it was: only the letters of the lines used here.
    const repair = (text: string) =>
      text.replaceAll('·', 'á').replaceAll('Ì', 'í').replaceAll('˙', 'ú').replaceAll('Ò', 'ñ');
    /** The stored observations of a real line: one per non-empty month cell. */
    const observations = (line: string, skip: string[] = []) => {
      const f = fieldsOf(line);
      return MONTHS.flatMap((month, i) =>
        f[7 + i] === '' || skip.includes(month)
          ? []
          : [
              {
                measure: 'crime_reports',
                geo_level: 'state',
                geo: f[1]!.padStart(2, '0'),
                period: `${f[0]}-${String(i + 1).padStart(2, '0')}-01`,
                value: Number(f[7 + i]),
                dims: dimsKey({
                  legal_good: repair(f[3]!),
                  crime_type: repair(f[4]!),
                  crime_subtype: repair(f[5]!),
                  modality: repair(f[6]!),
                }),
              },
            ],
      );
    };
    const twelve = (r: Reject): Reject[] => Array.from({ length: 12 }, () => r);

    it('rejects a bad state code, year, empty subtype, non-number and negative cell (row rules once per month), leaves out empty months and stores the repaired rest exactly', async (context) => {
      const real = sharedFile('sesnsp/IDEFC_NM_mar22.csv');
      if (!real) return context.skip();
      const [header, ...data] = await sharedLines(real);
      const row = (year: string, subtype: string, modality: string) =>
        pick(
          data,
          `${year} ${subtype} ${modality}`,
          (f) => f[0] === year && f[1] === '1' && f[5] === subtype && f[6] === modality,
        );
      const s = sample(header!);
      const armaDeFuego = row('2015', 'Homicidio doloso', 'Con arma de fuego');
      const transito = row('2015', 'Homicidio culposo', 'En accidente de tr·nsito');
      const electorales = pick(
        data,
        'a 2022 Electorales row',
        (f) => f[0] === '2022' && f[4] === 'Electorales',
      );
      [armaDeFuego, transito, electorales].forEach(s.add);
      expect(fieldsOf(electorales).slice(7 + 3)).toEqual(Array(9).fill(''));
      const notNumber = row('2016', 'Homicidio doloso', 'Con arma de fuego');
      const negative = row('2016', 'Homicidio doloso', 'Con arma blanca');
      const damaged = (modality: string, changes: Record<number, string>) =>
        s.add(edit(row('2017', 'Homicidio doloso', modality), changes));
      const stateReason = 'not a state code 1 to 32';
      const rejects: Reject[] = [
        { line: s.add(edit(notNumber, { 9: 'N/D' })), column: 'marzo', value: 'N/D', reason: 'not a number' },
        { line: s.add(edit(negative, { 10: '-1' })), column: 'abril', value: '-1', reason: 'negative count' },
        ...twelve({
          line: damaged('Con arma de fuego', { 1: 'AGS' }),
          column: 'Clave_Ent',
          value: 'AGS',
          reason: stateReason,
        }),
        ...twelve({
          line: damaged('Con arma blanca', { 1: '33' }),
          column: 'Clave_Ent',
          value: '33',
          reason: stateReason,
        }),
        ...twelve({
          line: damaged('Con otro elemento', { 0: '2O17' }),
          column: 'Año',
          value: '2O17',
          reason: 'not a year',
        }),
        ...twelve({
          line: damaged('No especificado', { 5: '' }),
          column: 'Subtipo de delito',
          value: null,
          reason: 'empty crime subtype',
        }),
      ];

      const report = await importBadRows({
        source: 'sesnsp-incidence',
        name: 'incidence.csv',
        lines: s.lines,
        // DuckDB's UNPIVOT drops empty cells: the 9 unpublished months of 2022 are neither read nor
        // counted as skipped (see the report).
        rows: 12 * (s.lines.length - 1) - 9,
        skipped: 0,
        rejects,
      });
      expect(report.layout).toBe('incidence-wide-damaged');
      expect(await stored(stats, 'sesnsp-incidence')).toEqual(
        sorted([
          ...observations(armaDeFuego),
          ...observations(transito),
          ...observations(electorales),
          ...observations(notNumber, ['marzo']),
          ...observations(negative, ['abril']),
        ]),
      );
      const [names] = await stats.all<{ modality: string; legal_good: string }>(
        `select dims['modality'] as modality, dims['legal_good'] as legal_good from observations
         where source = 'sesnsp-incidence' and dims['crime_type'] = 'Electorales' limit 1`,
      );
      expect(names!.legal_good).toBe('Otros bienes jurídicos afectados (del fuero común)');
    });

    it('rejects, in a file whose header is not damaged, text still damaged by the bad re-encoding', async (context) => {
      const real = sharedFile('sesnsp/IDEFC_NM_mar22.csv');
      if (!real) return context.skip();
      const [header, ...data] = await sharedLines(real);
      const clean = header!.replace('AÒo', 'Año').replace('jurÌdico', 'jurídico');
      expect(clean).not.toBe(header);
      const s = sample(clean);
      const good = pick(
        data,
        'a 2015 firearm homicide',
        (f) => f[0] === '2015' && f[6] === 'Con arma de fuego',
      );
      s.add(good);
      const transito = pick(
        data,
        'a road accident',
        (f) => f[0] === '2015' && f[6] === 'En accidente de tr·nsito',
      );
      const rejects = twelve({
        line: s.add(transito),
        column: 'Subtipo de delito',
        value: 'Homicidio culposo',
        reason: 'text that could not be mapped back to Spanish',
      });

      const report = await importBadRows({
        source: 'sesnsp-incidence',
        name: 'incidence-clean.csv',
        lines: s.lines,
        rows: 24,
        skipped: 0,
        rejects,
      });
      expect(report.layout).toBe('incidence-wide');
      expect(await stored(stats, 'sesnsp-incidence')).toEqual(sorted(observations(good)));
    });
  });
});

describe('bad rows of the INEGI geography catalogue', () => {
  const places = (stats: StatsStore) =>
    stats.all<{ code: string; level: string; name: string; parent: string }>(
      `select code, level, name, parent from geo where source = 'inegi-geo-catalog' order by code`,
    );

  it('states: rejects a code that is not one or two digits and an empty name, leaves out the national row, and stores the rest exactly', async (context) => {
    const real = sharedFile('geo/cve_nom_estados.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (code: string) => pick(data, `state ${code}`, (f) => f[1] === code);
    const s = sample(header!);
    const good = [row('01'), row('08'), row('09')];
    good.forEach(s.add);
    // The national row is the country node, neither read nor rejected; it still counts as a line.
    s.add(row('00'));
    const rejects: Reject[] = [
      {
        line: s.add(edit(row('02'), { 1: 'B2' })),
        column: 'cve_ent',
        value: 'B2',
        reason: 'not a state code',
      },
      {
        line: s.add(edit(row('03'), { 1: '003' })),
        column: 'cve_ent',
        value: '003',
        reason: 'not a state code',
      },
      { line: s.add(edit(row('04'), { 0: '' })), column: 'nombre_estado', value: null, reason: 'empty name' },
    ];

    await importBadRows({
      source: 'inegi-geo-catalog',
      name: 'states.csv',
      lines: s.lines,
      rows: s.lines.length - 2,
      skipped: 0,
      rejects,
    });
    expect(await places(stats)).toEqual(
      good.map((l) => fieldsOf(l)).map((f) => ({ code: f[1], level: 'state', name: f[0], parent: 'MX' })),
    );
  });

  it('municipalities: rejects a code that is not four or five digits, a state code that does not match it and an empty name, and stores the rest exactly', async (context) => {
    const real = sharedFile('geo/cve_nom_municipios.csv');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (code: string) => pick(data, `municipality ${code}`, (f) => f[0] === code);
    const s = sample(header!);
    const good = [row('01008'), row('08037'), row('09015')];
    good.forEach(s.add);
    const codeReason = 'not a municipality code';
    const rejects: Reject[] = [
      {
        line: s.add(edit(row('01009'), { 0: '01O09' })),
        column: 'cve_geo',
        value: '01O09',
        reason: codeReason,
      },
      {
        line: s.add(edit(row('01010'), { 0: '010010' })),
        column: 'cve_geo',
        value: '010010',
        reason: codeReason,
      },
      {
        line: s.add(edit(row('02001'), { 2: '03' })),
        column: 'cve_ent',
        value: '03',
        reason: 'state code does not match the municipality code',
      },
      {
        line: s.add(edit(row('09016'), { 3: '' })),
        column: 'nombre_municipio',
        value: null,
        reason: 'empty name',
      },
    ];

    await importBadRows({
      source: 'inegi-geo-catalog',
      name: 'municipalities.csv',
      lines: s.lines,
      rows: s.lines.length - 1,
      skipped: 0,
      rejects,
    });
    expect(await places(stats)).toEqual(
      good
        .map((l) => fieldsOf(l))
        .map((f) => ({ code: f[0], level: 'municipality', name: f[3], parent: f[2] })),
    );
  });
});

describe('bad rows of the historic INEGI extract', () => {
  it('rejects an unknown place, a bad year, an unknown month name, a non-number and a negative count, skips totals, unspecified months, early years and deaths abroad, and stores the rest exactly', async (context) => {
    const real = sharedFile('inegi/county-month-1990-2008.csv.bz2');
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real, 'latin1');
    const row = (code: string, county: string, year: string, month: string) =>
      pick(
        data,
        `${code} ${county} ${year} ${month}`,
        (f) => f[0] === code && f[1] === county && f[2] === year && f[3] === month,
      );
    const chihuahua = (year: string, month: string) => row('#NAME?', 'Chihuahua', year, month);
    /** The index of a line's first non-empty registration-year cell. */
    const firstCell = (line: string) => fieldsOf(line).findIndex((c, i) => i >= 4 && c !== '');
    const s = sample(header!);
    const good = [
      row('', 'Total', '2008', 'Enero'),
      chihuahua('2008', 'Enero'),
      row('08 037', 'Juárez', '2008', 'Febrero'),
    ];
    good.forEach(s.add);
    const skipped = [
      chihuahua('2008', 'Total'),
      chihuahua('2008', 'No especificado'),
      row('', 'Total', '1900', 'Enero'),
      row('#NAME?', 'Extranjero', '2004', 'Enero'),
    ];
    skipped.forEach(s.add);
    const negative = chihuahua('2008', 'Junio');
    const notNumber = chihuahua('2007', 'Total');
    const rejects: Reject[] = [
      {
        line: s.add(edit(chihuahua('2008', 'Marzo'), { 1: 'Chihuahuita' })),
        column: 'Code',
        value: '#NAME? Chihuahuita',
        reason: 'neither an INEGI municipality code (SS MMM), a state name nor the national Total',
      },
      {
        line: s.add(edit(chihuahua('2008', 'Abril'), { 2: '2OO8' })),
        column: 'Year.of.Murder',
        value: '2OO8',
        reason: 'not a year, Total or No especificado',
      },
      {
        line: s.add(edit(chihuahua('2008', 'Mayo'), { 3: 'May' })),
        column: 'Month.of.Murder',
        value: 'May',
        reason: 'not a Spanish month name, Total or No especificado',
      },
      // On a `Total` row: text in a month row's cells makes the whole import fail (see the report).
      {
        line: s.add(edit(notNumber, { [firstCell(notNumber)]: 'n/d' })),
        column: '(year of registration)',
        value: 'n/d',
        reason: 'not a whole number',
      },
      {
        line: s.add(edit(negative, { [firstCell(negative)]: `-${fieldsOf(negative)[firstCell(negative)]}` })),
        column: '(year of registration)',
        value: `-${fieldsOf(negative)[firstCell(negative)]}`,
        reason: 'negative count',
      },
    ];

    await importBadRows({
      source: 'inegi-homicides-historic',
      name: 'historic.csv',
      lines: s.lines,
      encoding: 'latin1',
      rows: s.lines.length - 1,
      skipped: skipped.length,
      rejects,
    });
    const deaths = (line: string) =>
      fieldsOf(line)
        .slice(4)
        .reduce((sum, c) => sum + (c === '' ? 0 : Number(c)), 0);
    const [national, state, juarez] = good;
    expect(await stored(stats, 'inegi-homicides-historic')).toEqual(
      sorted(
        [
          { geo_level: 'country', geo: 'MX', period: '2008-01-01', line: national! },
          { geo_level: 'state', geo: '08', period: '2008-01-01', line: state! },
          { geo_level: 'municipality', geo: '08037', period: '2008-02-01', line: juarez! },
        ].map(({ line, ...o }) => ({ measure: 'homicides', ...o, value: deaths(line), dims: '' })),
      ),
    );
  });
});
