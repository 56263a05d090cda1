/**
 * Bad rows, source by source (U.S. publishers: CDC, CBP, USAID). Each test writes a small file from the real file's header and a handful of
 * its real lines, damages one line for each reject rule of the source's staging SQL, and checks that:
 * above the default 1% limit the file is refused with a DataError naming every `file:line` and nothing is
 * written; with a higher limit exactly the damaged lines are rejected, with their column, value and
 * reason, suppressed values are skipped, and the good lines are stored with their exact values. Lines
 * are numbered as in the file: the header is line 1.
 */
import { describe, expect, it } from 'vitest';
import { sharedFile, sharedLines } from './shared-data.js';
import {
  dimsKey,
  edit,
  fieldsOf,
  importBadRows,
  pick,
  sample,
  sorted,
  stats,
  stored,
  withFreshStores,
  type Reject,
} from './bad-rows.js';

withFreshStores();

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
      // An empty period is not a 12-month-ending count; a fractional year is no year (never rounded).
      {
        line: bad('August', { 3: '' }),
        column: 'period',
        value: null,
        reason: 'only 12 month-ending counts are read',
      },
      { line: bad('September', { 1: '2021.5' }), column: 'year', value: '2021.5', reason: 'not a year' },
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
    const empty = s.add(edit(row('MEX', 'Obligations', '2012'), { 8: '' }));
    const ancient = s.add(edit(row('MEX', 'Obligations', '2013'), { 8: '1700' }));
    const current = row('MEX', 'Obligations', '2012');
    const constant = row('MEX', 'Obligations', '2013');
    const rejects: Reject[] = [
      { line: fy, column: 'Fiscal Year', value: 'FY2010', reason: fyReason },
      { line: fy, column: 'Fiscal Year', value: 'FY2010', reason: fyReason },
      { line: type, column: 'Transaction Type Name', value: null, reason: 'empty transaction type' },
      { line: type, column: 'Transaction Type Name', value: null, reason: 'empty transaction type' },
      // An empty or impossible year is refused, not skipped as if it were the transition quarter.
      { line: empty, column: 'Fiscal Year', value: null, reason: fyReason },
      { line: empty, column: 'Fiscal Year', value: null, reason: fyReason },
      { line: ancient, column: 'Fiscal Year', value: '1700', reason: fyReason },
      { line: ancient, column: 'Fiscal Year', value: '1700', reason: fyReason },
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
      // Two amounts per Mexican line (the Canadian line is not read).
      rows: 2 * 9,
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
