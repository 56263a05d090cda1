/**
 * Bad rows, source by source (the INEGI catalogue and the historic extract). Each test writes a small file from the real file's header and a handful of
 * its real lines, damages one line for each reject rule of the source's staging SQL, and checks that:
 * above the default 1% limit the file is refused with a DataError naming every `file:line` and nothing is
 * written; with a higher limit exactly the damaged lines are rejected, with their column, value and
 * reason, suppressed values are skipped, and the good lines are stored with their exact values. Lines
 * are numbered as in the file: the header is line 1.
 */
import { describe, expect, it } from 'vitest';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';
import {
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
      // An empty state code is refused too: it would store the municipality without its state.
      {
        line: s.add(edit(row('02002'), { 2: '' })),
        column: 'cve_ent',
        value: null,
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
    const notNumber = chihuahua('2008', 'Julio');
    const fractional = chihuahua('2008', 'Agosto');
    const huge = chihuahua('2008', 'Octubre');
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
      {
        line: s.add(edit(notNumber, { [firstCell(notNumber)]: 'n/d' })),
        column: '(year of registration)',
        value: 'n/d',
        reason: 'not a whole number',
      },
      // DuckDB's own cast would round 1.5 deaths to 2.
      {
        line: s.add(edit(fractional, { [firstCell(fractional)]: '1.5' })),
        column: '(year of registration)',
        value: '1.5',
        reason: 'not a whole number',
      },
      // Too large for 64 bits: that row is refused, not the whole file.
      {
        line: s.add(edit(huge, { [firstCell(huge)]: '99999999999999999999' })),
        column: '(year of registration)',
        value: '99999999999999999999',
        reason: 'not a whole number',
      },
      {
        line: s.add(edit(chihuahua('2008', 'Septiembre'), { 2: '' })),
        column: 'Year.of.Murder',
        value: null,
        reason: 'not a year, Total or No especificado',
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
