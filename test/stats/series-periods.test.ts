/**
 * The series query (src/stats/series.ts) on small synthetic files in the publishers' layouts (see
 * series-files.ts for their numbers): every `by`, partial windows, rates per any base, annualisation,
 * population spread and sums, with exact values.
 */
import { describe, expect, it } from 'vitest';
import { querySeries, type SeriesQuery } from '../../src/stats/series.js';
import {
  HS,
  HM,
  PM,
  PY,
  PMUN,
  CDC,
  CBP,
  AID,
  AGS,
  partialPoint,
  series,
  seriesStores,
  spliced,
  withPartial,
} from './series-setup.js';

const { stores, run, points } = seriesStores();

describe('querySeries by period', () => {
  it('answers by year with the query, the unit, the method, the source and the vintages', async () => {
    expect(await run({ measure: 'homicides', geo: ['01'], from: '2019', to: '2020' })).toEqual({
      query: { measure: 'homicides', geo: ['01'], by: 'year', from: '2019', to: '2020' },
      gaps: [],
      measure: { id: 'homicides', unit: { en: 'deaths', es: 'defunciones' } },
      populationSource: null,
      series: [series('01', AGS, 'published', HS, '2019 2019-01-01 78; 2020 2020-01-01 780')],
      vintages: [await stores().vintage(stores().a, HS)],
    });
  });

  it('buckets by quarter and month; a window that cuts a period still gets the whole period', async () => {
    const q = { measure: 'homicides', geo: ['01'] };
    const ags = (rows: string) => [series('01', AGS, 'published', HS, rows)];
    expect(await points({ ...q, by: 'quarter', from: '2019-03', to: '2020-05' })).toEqual(
      ags(
        '2019-Q1 2019-01-01 6; 2019-Q2 2019-04-01 15; 2019-Q3 2019-07-01 24; 2019-Q4 2019-10-01 33; ' +
          '2020-Q1 2020-01-01 60; 2020-Q2 2020-04-01 150',
      ),
    );
    // A period's value never depends on where the window cuts it: the years are whole.
    expect(await points({ ...q, from: '2019-03', to: '2020-05' })).toEqual(
      ags('2019 2019-01-01 78; 2020 2020-01-01 780'),
    );
    expect(await points({ ...q, by: 'month', from: '2020-09', to: '2021-02' })).toEqual(
      ags('2020-09 2020-09-01 90; 2020-10 2020-10-01 100; 2020-11 2020-11-01 110; 2020-12 2020-12-01 120'),
    );
    // The source's last month alone still names its vintage.
    const last = await run({ ...q, by: 'month', from: '2020-12', to: '2020-12' });
    expect(last.series).toEqual(ags('2020-12 2020-12-01 120'));
    expect(last.vintages).toEqual([await stores().vintage(stores().a, HS)]);
    // An empty `from` is no bound at all.
    expect(await points({ ...q, from: '', to: '2019', source: HS })).toEqual(ags('2019 2019-01-01 78'));
  });

  it('buckets by fiscal year, October to September, coded FY', async () => {
    const fy: SeriesQuery = {
      measure: 'homicides',
      geo: ['01'],
      by: 'fiscal_year',
      from: '2019-01',
      to: '2020-12',
    };
    // The state file starts in January 2019, so only the municipal file covers FY2019 whole; FY2021
    // is served by the state file, which holds its first three months only.
    const ags = spliced(
      series(
        '01',
        AGS,
        'sum of municipalities',
        HM,
        'FY2019 2018-10-01 34; FY2020 2019-10-01 483; FY2021 2020-10-01 330',
      ),
      { FY2020: ['published', HS] },
    );
    ags.points[2] = partialPoint(ags.points[2]!, '2020-10', '2020-12');
    expect(await points(fy)).toEqual([ags]);
    // The CBP file holds October 2019 to November 2020: FY2021, 2020-Q4 and both calendar years are
    // partial, each with the months it holds.
    const us = (rows: string, partial: Record<string, [string, string]> = {}) => [
      withPartial(series('US', 'United States', 'published', CBP, rows), partial),
    ];
    const fy2021: Record<string, [string, string]> = { FY2021: ['2020-10', '2020-11'] };
    const lbs: SeriesQuery = { measure: 'drug_seizures_lbs', geo: ['US'], by: 'fiscal_year' };
    // No totals: every drug is summed; a filter keeps the rows matching every one of its dimensions.
    expect(await points(lbs)).toEqual(us('FY2020 2019-10-01 130; FY2021 2020-10-01 45', fy2021));
    expect(await points({ ...lbs, filters: { drug: 'Fentanyl' } })).toEqual(
      us('FY2020 2019-10-01 30; FY2021 2020-10-01 45', fy2021),
    );
    expect(
      await points({ ...lbs, filters: { drug: 'Fentanyl', component: 'Office of Field Operations' } }),
    ).toEqual(us('FY2020 2019-10-01 20; FY2021 2020-10-01 40', fy2021));
    // A drug the file never names is an impossible query, with the drugs it does name.
    expect(
      await querySeries(stores().a, { ...lbs, filters: { drug: 'Heroin' } }).catch((e: Error) => e.message),
    ).toContain('"Heroin" is not a value of drug in drug_seizures_lbs');
    const events = { measure: 'drug_seizure_events', geo: ['US'] };
    // The quarters between without a Fentanyl row are listed as missing, with their source.
    const [fentanyl] = us('2019-Q4 2019-10-01 2; 2020-Q3 2020-07-01 3; 2020-Q4 2020-10-01 5', {
      '2020-Q4': ['2020-10', '2020-11'],
    });
    expect(await points({ ...events, by: 'quarter', filters: { drug: 'Fentanyl' } })).toEqual([
      {
        ...fentanyl,
        missing: ['2020-Q1 2020-01-01', '2020-Q2 2020-04-01'].map((p) => {
          const [period, start] = p.split(' ');
          return { period, start, reason: 'no_rows', source: 'cbp-drug-seizures' };
        }),
      },
    ]);
    expect(await points(events)).toEqual(
      us('2019 2019-01-01 2; 2020 2020-01-01 13', {
        2019: ['2019-10', '2019-12'],
        2020: ['2020-01', '2020-11'],
      }),
    );
    expect(await points({ ...events, by: 'month', from: '2020-09', to: '2020-11' })).toEqual(
      us('2020-09 2020-09-01 3; 2020-10 2020-10-01 4; 2020-11 2020-11-01 1'),
    );
  });

  it('serves fiscal-year data by fiscal year only, filtered by transaction type, with rates', async () => {
    const aid: SeriesQuery = { measure: 'us_assistance_usd', geo: ['MX'], by: 'fiscal_year' };
    const res = await run({ ...aid, filters: { transaction_type: 'Obligations' }, per: 100000 });
    // MX's yearly population spread over months: FY2020 is 3 months of 2019 and 9 of 2020.
    expect(res.series).toEqual([
      series(
        'MX',
        'México',
        'published',
        AID,
        'FY2019 2018-10-01 1000 1000000; FY2020 2019-10-01 2000 1150000',
        1e5,
      ),
    ]);
    expect(res.populationSource).toBe(PY);
    expect(res.vintages).toEqual([
      await stores().vintage(stores().a, PY),
      await stores().vintage(stores().a, AID),
    ]);
    const constant = {
      ...aid,
      measure: 'us_assistance_usd_constant',
      filters: { transaction_type: 'Disbursements' },
    };
    expect(await points(constant)).toEqual([
      series('MX', 'México', 'published', AID, 'FY2019 2018-10-01 880'),
    ]);
  });
});

describe('querySeries rates', () => {
  it('gives rates per the base asked for, annualised by month and quarter only', async () => {
    const q = { measure: 'homicides', geo: ['01'] };
    const ags = (rows: string, per: number, k = 1) => [series('01', AGS, 'published', HS, rows, per, k)];
    const res = await run({ ...q, from: '2019', to: '2020', per: 100000 });
    // A year's rate divides by the yearly (mid-year) figure, though a monthly one exists; months and
    // quarters divide by the monthly figures.
    const yearly = ags('2019 2019-01-01 78 104000; 2020 2020-01-01 780 124000', 1e5);
    expect(res.series).toEqual(yearly);
    expect(res.series[0]!.points.map((p) => p.populationSource)).toEqual([PY, PY]);
    expect(res.populationSource).toBe(PY);
    expect(res.vintages).toEqual([
      await stores().vintage(stores().a, HS),
      await stores().vintage(stores().a, PY),
    ]);
    expect(await points({ ...q, from: '2019', to: '2020', per: 100000, annualize: true })).toEqual(yearly);
    expect(
      await points({ ...q, by: 'month', from: '2019-01', to: '2019-03', per: 1000, annualize: true }),
    ).toEqual(
      ags('2019-01 2019-01-01 1 100000; 2019-02 2019-02-01 2 101000; 2019-03 2019-03-01 3 102000', 1000, 12),
    );
    // A quarter's population is the mean of its three months, even when the window cuts the quarter.
    const quarters: SeriesQuery = { ...q, by: 'quarter', per: 100000, annualize: true };
    expect(await points({ ...quarters, from: '2019-03', to: '2019-06' })).toEqual(
      ags('2019-Q1 2019-01-01 6 101000; 2019-Q2 2019-04-01 15 104000', 1e5, 4),
    );
    expect(await points({ ...q, by: 'quarter', from: '2020-10', to: '2021-03', per: 10 })).toEqual(
      ags('2020-Q4 2020-10-01 330 130000', 10),
    );
    expect(await points({ ...q, by: 'month', from: '2019-03', to: '2019-04' })).toEqual(
      ags('2019-03 2019-03-01 3; 2019-04 2019-04-01 4', 0),
    );
  });

  it('gives no rate for a population of 0, and finds the population of every period with values', async () => {
    const q = { measure: 'homicides', geo: ['01003'], per: 1000 };
    expect(await points({ ...q, from: '2019', to: '2019' })).toEqual([
      series('01003', 'Calvillo', 'published', HM, '2019 2019-01-01 4 0', 1000),
    ]);
    // 01003's only month is June; 02001's May and July need a population too.
    expect(
      await points({ ...q, geo: ['01003', '02001'], by: 'month', from: '2019-05', to: '2019-07' }),
    ).toEqual([
      series('01003', 'Calvillo', 'published', HM, '2019-06 2019-06-01 4 0', 1000),
      series(
        '02001',
        'Ensenada',
        'published',
        HM,
        '2019-05 2019-05-01 3 30000; 2019-06 2019-06-01 3 30000; 2019-07 2019-07-01 3 30000',
        1000,
      ),
    ]);
  });

  it('spreads yearly population over months, from the first year of a span that starts mid-year', async () => {
    const q = { measure: 'homicides', geo: ['01001'], per: 100000 };
    const ags = (rows: string, k = 1) => [series('01001', AGS, 'published', HM, rows, 1e5, k)];
    const res = await run({ ...q, by: 'month', from: '2019-11', to: '2020-02' });
    expect(res.series).toEqual(
      ags(
        '2019-11 2019-11-01 1 20000; 2019-12 2019-12-01 1 20000; 2020-01 2020-01-01 1 24000; 2020-02 2020-02-01 1 24000',
      ),
    );
    expect(res.populationSource).toBe(PMUN);
    expect(res.vintages).toEqual([
      await stores().vintage(stores().a, HM),
      await stores().vintage(stores().a, PMUN),
    ]);
    expect(await points({ ...q, by: 'quarter', from: '2020-Q1', to: '2020-Q1', annualize: true })).toEqual(
      ags('2020-Q1 2020-01-01 3 24000', 4),
    );
    expect(await points({ ...q, by: 'fiscal_year', from: 'FY2020', to: 'FY2020' })).toEqual(
      ags('FY2020 2019-10-01 12 23000'),
    );
    expect(await points({ ...q, from: '2019', to: '2019' })).toEqual(ags('2019 2019-01-01 12 20000'));
    // 2018 has no population: no rate. The quarters are whole, though the window cuts both.
    expect(await points({ ...q, by: 'quarter', from: '2018-12', to: '2019-01' })).toEqual(
      ags('2018-Q4 2018-10-01 3 -; 2019-Q1 2019-01-01 3 20000'),
    );
  });

  it('uses the country’s own yearly population, spread, and names every population source', async () => {
    const mx = { measure: 'homicides', geo: ['MX'], per: 100000 };
    const sum = (rows: string, per = 1e5) => series('MX', 'México', 'sum of states', HS, rows, per);
    expect(await points({ ...mx, by: 'month', from: '2020-03', to: '2020-04' })).toEqual([
      sum('2020-03 2020-03-01 35 1200000; 2020-04 2020-04-01 45 1200000'),
    ]);
    expect(await points({ ...mx, by: 'fiscal_year', from: 'FY2020', to: 'FY2020', per: 1000 })).toEqual([
      sum('FY2020 2019-10-01 528 1150000', 1000),
    ]);
    // The country and its states divide by the same yearly file.
    const both = await run({ ...mx, geo: ['MX', '01'], from: '2019', to: '2019' });
    expect(both.series).toEqual([
      sum('2019 2019-01-01 108 1000000'),
      series('01', AGS, 'published', HS, '2019 2019-01-01 78 104000', 1e5),
    ]);
    expect(both.populationSource).toBe(PY);
    expect(both.vintages).toEqual([
      await stores().vintage(stores().a, HS),
      await stores().vintage(stores().a, PY),
    ]);
    // By month, the state divides by the monthly file.
    const monthly = await run({ ...mx, geo: ['MX', '01'], by: 'month', from: '2019-01', to: '2019-01' });
    expect(monthly.series.map((s) => s.points[0]!.populationSource)).toEqual([PY, PM]);
    expect(monthly.populationSource).toBe(`${PY}, ${PM}`);
  });

  it('takes the population of the children when the place has none', async () => {
    const q = { measure: 'homicides', from: '2019', to: '2019', per: 100000 };
    const res = await run({ ...q, geo: ['01'] }, stores().b);
    expect(res.series).toEqual([
      series('01', AGS, 'sum of municipalities', HM, '2019 2019-01-01 40 30000', 1e5),
    ]);
    expect(res.populationSource).toBe(PMUN);
    expect(await points({ ...q, geo: ['MX'] }, stores().b)).toEqual([
      series('MX', 'México', 'sum of municipalities', HM, '2019 2019-01-01 76 60000', 1e5),
    ]);
    const months: SeriesQuery = { ...q, by: 'month', from: '2020-01', to: '2020-02' };
    expect(await points({ ...months, geo: ['MX'] }, stores().b)).toEqual([
      series(
        'MX',
        'México',
        'sum of municipalities',
        HM,
        '2020-01 2020-01-01 6 64000; 2020-02 2020-02-01 6 64000',
        1e5,
      ),
    ]);
    expect(await points({ ...months, geo: ['01001'] }, stores().b)).toEqual([
      series('01001', null, 'published', HM, '2020-01 2020-01-01 1 24000; 2020-02 2020-02-01 1 24000', 1e5),
    ]);
  });

  it('gives no rate for a U.S. place, and 12-month-ending counts by their last month', async () => {
    const q = { measure: 'synthetic_opioid_deaths_12m', geo: ['NY'] };
    const ny = (rows: string) => [series('NY', 'New York', 'published', CDC, rows)];
    const res = await run({ ...q, from: '2019', to: '2020', per: 100000 });
    // No population is imported for U.S. places: each point says so.
    expect(res.series).toEqual([
      series('NY', 'New York', 'published', CDC, '2019 2019-01-01 1200; 2020 2020-01-01 3200', 1e5),
    ]);
    expect(res.series[0]!.points.map((p) => p.rateGap)).toEqual([
      'no_population_source',
      'no_population_source',
    ]);
    expect(res.populationSource).toBeNull();
    expect(res.vintages).toEqual([await stores().vintage(stores().a, CDC)]);
    // A quarter's 12-month-ending count is its last month's, wherever the window ends.
    expect(await points({ ...q, by: 'quarter', from: '2020-01', to: '2020-05' })).toEqual(
      ny('2020-Q1 2020-01-01 2300; 2020-Q2 2020-04-01 2600'),
    );
    expect(await points({ ...q, by: 'month', from: '2020-11', to: '2021-01' })).toEqual(
      ny('2020-11 2020-11-01 3100; 2020-12 2020-12-01 3200'),
    );
    expect(await points({ ...q, by: 'fiscal_year', from: '2019', to: '2020' })).toEqual(
      // The file holds January 2019 to December 2020: FY2019 and FY2021 are partial.
      [
        withPartial(ny('FY2019 2018-10-01 900; FY2020 2019-10-01 2900; FY2021 2020-10-01 3200')[0]!, {
          FY2019: ['2019-01', '2019-09'],
          FY2021: ['2020-10', '2020-12'],
        }),
      ],
    );
    // The national figure starts in 2020: 2019 is the sum of the states, 2020 the national figure,
    // whatever the window, and the method's change is a break.
    expect(await points({ ...q, geo: ['US'] })).toEqual([
      spliced(
        series('US', 'United States', 'sum of states', CDC, '2019 2019-01-01 1250; 2020 2020-01-01 11200'),
        { 2020: ['published', CDC] },
      ),
    ]);
    expect(await points({ ...q, geo: ['US'], from: '2020', to: '2020' })).toEqual([
      series('US', 'United States', 'published', CDC, '2020 2020-01-01 11200'),
    ]);
    const all = {
      ...q,
      measure: 'overdose_deaths_12m',
      filters: { indicator: 'Number of Drug Overdose Deaths' },
    };
    expect(await points(all)).toEqual(ny('2020 2020-01-01 5012'));
    expect(await points({ ...all, by: 'quarter', to: '2020-Q1' })).toEqual(ny('2020-Q1 2020-01-01 5003'));
  });
});
