/**
 * The series query's planner (src/stats/series.ts) on the synthetic files of series-files.ts: the choice
 * of source and level, the places of a level, filters, refusals and vintages, with exact values.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/error.js';
import { querySeries } from '../../src/stats/series.js';
import { MX_STATES } from '../../src/stats/mx-states.js';
import { US_STATES } from '../../src/stats/us-states.js';
import { HS, HM, PM, PY, CDC, AID, AGS, series, seriesStores, spliced, withPartial } from './series-setup.js';

const { stores, run, points, failure } = seriesStores();

describe('querySeries plans', () => {
  it('serves each period from the first source of the measure’s precedence that covers it whole', async () => {
    const q = { measure: 'homicides', geo: ['MX'] };
    const mx = (method: string, source: string, rows: string) => [
      series('MX', 'México', method, source, rows),
    ];
    // Only the municipal file reaches 2018, from July: the year is partial, with the months it holds.
    const y2018 = withPartial(series('MX', 'México', 'sum of municipalities', HM, '2018 2018-01-01 24'), {
      2018: ['2018-07', '2018-12'],
    });
    expect(await points({ ...q, from: '2018', to: '2018' })).toEqual([y2018]);
    // The state file, first in the precedence, covers 2019 and 2020: the series changes source there,
    // and 2018 keeps the value it has when asked alone.
    expect(await points(q)).toEqual([
      withPartial(
        spliced(
          series(
            'MX',
            'México',
            'sum of municipalities',
            HM,
            '2018 2018-01-01 24; 2019 2019-01-01 108; 2020 2020-01-01 810',
          ),
          { 2019: ['sum of states', HS] },
        ),
        { 2018: ['2018-07', '2018-12'] },
      ),
    ]);
    expect(await points({ ...q, geo: ['01'], by: 'month', from: '2018-12', to: '2019-01' })).toEqual([
      spliced(series('01', AGS, 'sum of municipalities', HM, '2018-12 2018-12-01 1; 2019-01 2019-01-01 1'), {
        '2019-01': ['published', HS],
      }),
    ]);
    // Both cover the window: states before municipalities.
    expect(await points({ ...q, from: '2019', to: '2019' })).toEqual(
      mx('sum of states', HS, '2019 2019-01-01 108'),
    );
    // `source` restricts the choice.
    expect(await points({ ...q, geo: ['01'], from: '2019', to: '2019', source: HM })).toEqual([
      series('01', AGS, 'sum of municipalities', HM, '2019 2019-01-01 40'),
    ]);
    expect(await points({ ...q, to: '2018', source: HS })).toEqual(mx('sum of states', HS, ''));
    expect(await points({ ...q, source: 'nothing' })).toEqual([]);
  });

  it('then prefers the source reaching later, then the first id, among those that fit the `by`', async () => {
    const pop = { measure: 'population', geo: ['01'], from: '2019', to: '2019' };
    const ags = (source: string, rows: string) => [series('01', AGS, 'published', source, rows)];
    // Both state sources cover 2019; the monthly one reaches December 2020, the yearly one January 2020.
    expect(await points(pop)).toEqual(ags(PM, '2019 2019-01-01 105500'));
    // In store c both reach January 2020: the first id wins, unless only the monthly one fits the `by`.
    expect(await points(pop, stores().c)).toEqual(ags(PY, '2019 2019-01-01 104000'));
    expect(await points({ ...pop, by: 'month', to: '2019-02' }, stores().c)).toEqual(
      ags(PM, '2019-01 2019-01-01 200000; 2019-02 2019-02-01 200000'),
    );
    // Dimension-free totals, unless a filter asks for a breakdown.
    expect(await points({ ...pop, source: PY })).toEqual(ags(PY, '2019 2019-01-01 104000'));
    expect(await points({ ...pop, source: PY, filters: { sex: 'female' } })).toEqual(
      ags(PY, '2019 2019-01-01 54000'),
    );
    expect(await points({ ...pop, source: PY, filters: { sex: 'male' } })).toEqual(
      ags(PY, '2019 2019-01-01 50000'),
    );
    // The country publishes its own yearly figure; by month only the states' monthly figures fit.
    expect(await points({ ...pop, geo: ['MX'] })).toEqual([
      series('MX', 'México', 'published', PY, '2019 2019-01-01 1000000'),
    ]);
    expect(await points({ ...pop, geo: ['MX'], by: 'month', to: '2019-02' })).toEqual([
      series('MX', 'México', 'sum of states', PM, '2019-01 2019-01-01 150000; 2019-02 2019-02-01 151000'),
    ]);
  });

  it('lists the places of a level, within a country or a state, in the order asked', async () => {
    const q = { measure: 'homicides', from: '2019', to: '2019' };
    const y = (geo: string, name: string | null, source: string, value?: number, method = 'published') =>
      series(geo, name, method, source, value === undefined ? '' : `2019 2019-01-01 ${value}`);
    const municipalities = [
      y('01001', AGS, HM, 12),
      y('01002', 'Asientos', HM, 24),
      y('01003', 'Calvillo', HM, 4),
    ];
    expect(await points({ ...q, level: 'municipality', within: '01' })).toEqual(municipalities);
    expect(await points({ ...q, level: 'municipality' })).toEqual([
      ...municipalities,
      y('02001', 'Ensenada', HM, 36),
    ]);
    const states = await points({ ...q, level: 'state' });
    expect(states.map((x) => x.geo)).toEqual(MX_STATES.map(([code]) => code));
    expect(states.slice(0, 3)).toEqual([
      y('01', AGS, HS, 78),
      y('02', 'Baja California', HS, 30),
      y('03', 'Baja California Sur', HS),
    ]);
    expect(await points({ ...q, level: 'state', within: 'MX' })).toEqual(states);
    expect(await points({ ...q, level: 'state', within: '01' })).toEqual([]);
    const us = await points({ ...q, measure: 'synthetic_opioid_deaths_12m', level: 'state', within: 'US' });
    expect(us.map((x) => x.geo)).toEqual(US_STATES.map(([usps]) => usps).sort());
    expect(us.find((x) => x.geo === 'NY')).toEqual(y('NY', 'New York', CDC, 1200));
    expect(us.find((x) => x.geo === 'CA')).toEqual(y('CA', 'California', CDC, 50));
    // The order of `geo`, whatever the plans; a place without data keeps an empty series, and the
    // answer says why it is empty.
    const answer = await run({ ...q, geo: ['01001', 'MX', '02', '01', '03'] });
    expect(answer.series).toEqual([
      y('01001', AGS, HM, 12),
      y('MX', 'México', HS, 108, 'sum of states'),
      y('02', 'Baja California', HS, 30),
      y('01', AGS, HS, 78),
      y('03', 'Baja California Sur', HS),
    ]);
    expect(answer.gaps).toEqual([{ geo: '03', reason: 'no_values' }]);
    expect((await run({ ...q, geo: ['01'], from: '2010', to: '2012' })).gaps).toEqual([
      { geo: '01', reason: 'outside_coverage', covered: { from: '2018-07', to: '2020-12' } },
    ]);
    // CBP publishes the country only.
    expect((await run({ measure: 'drug_seizures_lbs', geo: ['01'] })).gaps).toEqual([
      { geo: '01', reason: 'no_source' },
    ]);
    expect(await points({ ...q, geo: ['02001', '01002'] })).toEqual([
      y('02001', 'Ensenada', HM, 36),
      y('01002', 'Asientos', HM, 24),
    ]);
  });

  it('serves more than 50 places of one state at once', async () => {
    // Store b has no place catalogue, so codes it has never seen are not refused.
    const codes = Array.from({ length: 51 }, (_, i) => `01${String(i + 2).padStart(3, '0')}`);
    expect(
      await points({ measure: 'homicides', geo: codes, from: '2019', to: '2019', per: 100000 }, stores().b),
    ).toEqual([
      series('01002', null, 'published', HM, '2019 2019-01-01 24 10000', 1e5),
      series('01003', null, 'published', HM, '2019 2019-01-01 4 0', 1e5),
      ...codes.slice(2).map((code) => series(code, null, 'published', HM)),
    ]);
  });
});

describe('querySeries refusals', () => {
  it('refuses a window that ends before it starts, an unknown place and an unknown filter value', async () => {
    const q = { measure: 'homicides', geo: ['01'] };
    expect(await failure({ ...q, from: '2020', to: '2010' })).toEqual([
      { path: 'to', message: '"2010" ends before "2020" starts: give a "to" after "from"' },
    ]);
    // The nearest codes, those of the same state first for a municipality.
    expect(await failure({ ...q, geo: ['01', '33', '01009'] })).toEqual([
      {
        path: 'geo',
        message:
          'no place "33" in the geography catalogue; nearest codes: 32 Zacatecas, 31 Yucatán, 30 Veracruz de Ignacio de la Llave, 23 Quintana Roo, 13 Hidalgo',
      },
      {
        path: 'geo',
        message:
          'no place "01009" in the geography catalogue; nearest codes: 01003 Calvillo, 01002 Asientos, 01001 Aguascalientes',
      },
    ]);
    const pop = { measure: 'population', geo: ['01'], source: PY };
    expect(await failure({ ...pop, filters: { sex: 'Female' } })).toEqual([
      {
        path: 'filter.sex',
        message: '"Female" is not a value of sex in population; valid: "female", "male"',
      },
    ]);
    expect(await failure({ ...pop, filters: { gender: 'female' } })).toEqual([
      { path: 'filter.gender', message: 'population has no dimension "gender"; its dimensions: sex' },
    ]);
    expect(await failure({ ...q, filters: { sex: 'female' } })).toEqual([
      { path: 'filter.sex', message: 'homicides has no dimensions to filter on' },
    ]);
  });

  it('refuses a measure without its required filter', async () => {
    const message = (m: string, d: string) =>
      `${m} must be filtered by ${d}: its categories overlap and cannot be added up`;
    expect(await failure({ measure: 'overdose_deaths_12m', geo: ['NY'] })).toEqual([
      { path: 'filters.indicator', message: message('overdose_deaths_12m', 'indicator') },
    ]);
    expect(
      await failure({ measure: 'us_assistance_usd', geo: ['MX'], by: 'fiscal_year', filters: { x: 'y' } }),
    ).toEqual([
      { path: 'filters.transaction_type', message: message('us_assistance_usd', 'transaction_type') },
    ]);
  });

  it('refuses a `by` that would split the published periods, naming the ones that work', async () => {
    const by = (published: string, asked: string, measure = 'population', source = PY) =>
      `${measure} from ${source} is published by ${published}, so it cannot be given by ${asked}; ask by=${published.replace(' ', '_')}`;
    const aid = { measure: 'us_assistance_usd', geo: ['MX'], filters: { transaction_type: 'Obligations' } };
    expect(await failure(aid)).toEqual([
      { path: 'by', message: by('fiscal year', 'year', aid.measure, AID) },
    ]);
    expect(await failure({ ...aid, by: 'month' })).toEqual([
      { path: 'by', message: by('fiscal year', 'month', aid.measure, AID) },
    ]);
    const pop = { measure: 'population', geo: ['01'], source: PY };
    expect(await failure({ ...pop, by: 'month' })).toEqual([{ path: 'by', message: by('year', 'month') }]);
    expect(await failure({ ...pop, by: 'quarter' })).toEqual([
      { path: 'by', message: by('year', 'quarter') },
    ]);
    expect(await failure({ ...pop, by: 'fiscal_year' })).toEqual([
      { path: 'by', message: by('year', 'fiscal year') },
    ]);
  });

  it('refuses bad periods, bad fields and unknown measures', async () => {
    const q = { measure: 'homicides', geo: ['01'] };
    expect(await failure({ ...q, from: 'x2019', to: '2019-13' })).toEqual([
      { path: 'from', message: 'not a period: "x2019"; write 2019, 2019-Q1, 2019-03, 2019-H1 or FY2019' },
      { path: 'to', message: 'not a period: "2019-13"; write 2019, 2019-Q1, 2019-03, 2019-H1 or FY2019' },
    ]);
    expect(await failure({ ...q, from: '2019', to: '2019-13' })).toEqual([
      { path: 'to', message: 'not a period: "2019-13"; write 2019, 2019-Q1, 2019-03, 2019-H1 or FY2019' },
    ]);
    expect(await failure({ ...q, from: '2019/2018', to: '2020' })).toEqual([
      { path: 'from', message: 'not a period: "2019/2018"; write 2019, 2019-Q1, 2019-03, 2019-H1 or FY2019' },
    ]);
    const error = await querySeries(stores().a, { measure: 'homicides' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'series query: 1 problem in the query\n  geo: give places (geo) or a level',
    );
    expect(await failure({ measure: 'homicides', level: 'state', within: '9' })).toEqual([
      { path: 'within', message: 'expected MX or US (for states) or a state code such as 09' },
    ]);
    expect(await failure({ measure: 'Homicides', geo: ['8', 'MEX'], per: 0, extra: 1 })).toEqual([
      { path: 'measure', message: 'expected a measure id such as homicides' },
      { path: 'geo[0]', message: 'expected a place code: MX, 09, 09015' },
      { path: 'geo[1]', message: 'expected a place code: MX, 09, 09015' },
      { path: 'per', message: 'expected more than 0' },
      { path: '', message: 'unknown field "extra"; check the spelling against docs/workspace-format.md' },
    ]);
    expect(await failure({ ...q, geo: Array(3001).fill('01'), per: 2e9 })).toEqual([
      { path: 'geo', message: 'expected at most 3,000 items' },
      { path: 'per', message: 'expected 1,000,000,000 or less' },
    ]);
    expect((await run({ ...q, geo: Array(3000).fill('03'), per: 1e9, to: '2019' })).series).toHaveLength(
      3000,
    );
    // Whole values only: a valid prefix or suffix is not enough.
    expect(
      await failure({
        measure: 'homicides!',
        geo: ['x01', '01x', '0100', 'MXX'],
        level: 'state',
        within: 'X09',
      }),
    ).toEqual([
      { path: 'measure', message: 'expected a measure id such as homicides' },
      ...[0, 1, 2, 3].map((i) => ({ path: `geo[${i}]`, message: 'expected a place code: MX, 09, 09015' })),
      { path: 'within', message: 'expected MX or US (for states) or a state code such as 09' },
    ]);
    expect(await failure({ measure: '!homicides', level: 'state', within: '09X' })).toEqual([
      { path: 'measure', message: 'expected a measure id such as homicides' },
      { path: 'within', message: 'expected MX or US (for states) or a state code such as 09' },
    ]);
    expect(await failure({ ...q, level: 'county', by: 'week' })).toEqual([
      { path: 'level', message: 'expected one of "state", "municipality"' },
      { path: 'by', message: 'expected one of "month", "quarter", "year", "fiscal_year"' },
    ]);
    const missing = await querySeries(stores().a, { measure: 'nothing', geo: ['01'] }).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as Error).message).toBe(
      'no measure "nothing"; `marco measures` and GET /api/v1/measures list them',
    );
  });
});
