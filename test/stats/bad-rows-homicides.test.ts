/**
 * Bad rows of the INEGI homicide files by state and by municipality (Gargiulo, Aburto & Floridi's
 * layout). Each test writes a small file from the real header and real lines, damages one line for each
 * reject rule, and checks that the default limit refuses the file with nothing written, and that a high
 * limit rejects exactly the damaged lines and stores the others with their exact values.
 */
import { describe, expect, it } from 'vitest';
import { sharedFile, sharedLines } from './shared-data.js';
import { importBadRows, sorted, stats, stored, withFreshStores, type Reject } from './bad-rows.js';

withFreshStores();

/** A line of the `|`-separated file with some fields replaced (by index). */
const edit = (line: string, changes: Record<number, string>) =>
  line
    .split('|')
    .map((f, i) => changes[i] ?? f)
    .join('|');

describe.each([
  {
    source: 'inegi-homicides-state',
    file: 'inegi/mexico-state-month-homicide-rates-2000-2022.csv',
    level: 'state',
    code: 'cve_ent',
    goodCodes: ['08', '25'],
    badCodes: [
      ['8x', 'not an INEGI state code'],
      ['123', 'not an INEGI state code'],
    ],
    shortCode: ['9', '09'],
  },
  {
    source: 'inegi-homicides-municipal',
    file: 'inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz',
    level: 'municipality',
    code: 'ent_mun',
    goodCodes: ['08037', '25006'],
    badCodes: [
      ['08O37', 'not an INEGI municipality code'],
      ['123', 'not an INEGI municipality code'],
      ['123456', 'not an INEGI municipality code'],
    ],
    shortCode: ['1001', '01001'],
  },
])('bad rows of $source', ({ source, file, level, code, goodCodes, badCodes, shortCode }) => {
  it('rejects a bad place code, year, month and count at their lines, pads a short code, and stores the rest exactly', async (context) => {
    const real = sharedFile(file);
    if (!real) return context.skip();
    const [header, ...data] = await sharedLines(real);
    const row = (place: string, year: string, month: string) => {
      const line = data.find((l) => l.startsWith(`${place}|${year}|${month}|`));
      if (!line) throw new Error(`no line ${place} ${year} ${month} in ${file}`);
      return line;
    };
    const lines = [header!];
    const add = (line: string) => lines.push(line);
    const good = [row(goodCodes[0]!, '2019', '1'), row(goodCodes[1]!, '2020', '12')];
    good.forEach(add);
    // A code written without its leading zero is padded, as INEGI's codes are.
    const padded = edit(row(shortCode[1]!, '2019', '3'), { 0: shortCode[0]! });
    add(padded);
    const damaged = (month: string, changes: Record<number, string>) =>
      add(edit(row(goodCodes[0]!, '2018', month), changes));
    const rejects: Reject[] = [
      ...badCodes.map(([value, reason], i) => ({
        line: damaged(String(i + 1), { 0: value! }),
        column: code,
        value: value!,
        reason: reason!,
      })),
      { line: damaged('4', { 1: '20x8' }), column: 'year', value: '20x8', reason: 'not a year' },
      { line: damaged('5', { 1: '1799' }), column: 'year', value: '1799', reason: 'not a year' },
      { line: damaged('6', { 1: '2201' }), column: 'year', value: '2201', reason: 'not a year' },
      { line: damaged('7', { 1: '2018.5' }), column: 'year', value: '2018.5', reason: 'not a year' },
      { line: damaged('8', { 2: '0' }), column: 'month', value: '0', reason: 'month must be 1 to 12' },
      { line: damaged('9', { 2: '13' }), column: 'month', value: '13', reason: 'month must be 1 to 12' },
      { line: damaged('10', { 2: '1.5' }), column: 'month', value: '1.5', reason: 'month must be 1 to 12' },
      { line: damaged('11', { 3: 'n/d' }), column: 'homicides', value: 'n/d', reason: 'not a number' },
      { line: damaged('12', { 3: '-1' }), column: 'homicides', value: '-1', reason: 'negative count' },
      {
        line: damaged('12', { 2: '11', 3: '2.5' }),
        column: 'homicides',
        value: '2.5',
        reason: 'not a whole number',
      },
    ];
    await importBadRows({ source, name: `${level}.csv`, lines, rows: lines.length - 1, skipped: 0, rejects });
    const observation = (line: string) => {
      const [place, year, month, count] = line.split('|');
      return {
        measure: 'homicides',
        geo_level: level,
        geo: place!.padStart(level === 'state' ? 2 : 5, '0'),
        period: `${year}-${month!.padStart(2, '0')}-01`,
        value: Number(count),
        dims: '',
      };
    };
    expect(await stored(stats, source)).toEqual(sorted([...good, padded].map(observation)));
  });
});
