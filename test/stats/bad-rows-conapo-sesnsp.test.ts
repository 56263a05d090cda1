/**
 * Bad rows, source by source (CONAPO population and SESNSP crime statistics). Each test writes a small file from the real file's header and a handful of
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
