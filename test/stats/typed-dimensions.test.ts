/**
 * Typed dimension columns (`Source.dimensions`) beside the `dims` maps of stores written before them: a
 * store whose older SESNSP victims vintage holds maps and whose newer one holds columns answers series,
 * filters, the dimension catalogue and the `observations` view exactly as the file says.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureDimensions } from '../../src/stats/discover/dimensions.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import type { Source } from '../../src/stats/source.js';
import { sesnspVictims } from '../../src/stats/sources/sesnsp-victims.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const VICTIMS = sharedFile('sesnsp/db_victimas_delitos_ent_long.csv.bz2');

/** The victims source as it stored rows before typed columns: one `dims` map per row, lines numbered. */
const asMaps: Source = {
  ...sesnspVictims,
  dimensions: undefined,
  constant: undefined,
  linesByOrder: undefined,
  staging: (csv, layout, params) => `
    select row_number() over () + 1 as line,
      * exclude (dim_crime_type, dim_crime_subtype, dim_modality, dim_sex, dim_age_group),
      MAP {'crime_type': dim_crime_type, 'crime_subtype': dim_crime_subtype, 'modality': dim_modality,
           'sex': dim_sex, 'age_group': dim_age_group} as dims
    from (${sesnspVictims.staging!(csv, layout, params)})`,
};

(VICTIMS ? describe : describe.skip)('typed dimension columns beside maps', () => {
  let dir: string;
  let stats: StatsStore;
  let rows: string[][];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-typed-dims-'));
    stats = await openStats({ dataDir: dir });
    const [header, ...data] = await sharedLines(VICTIMS!);
    rows = data.map((l) => l.split(','));
    // 2018–2019 in the old form, 2020 in the new one.
    const years = (ys: string[]) =>
      [header!, ...data.filter((l) => ys.includes(l.split(',')[1]!))].join('\n');
    await writeFile(path.join(dir, 'old.csv'), years(['2018', '2019']));
    await writeFile(path.join(dir, 'new.csv'), years(['2020']));
    await importFile(stats, asMaps, path.join(dir, 'old.csv'), { version: 'test' });
    await importFile(stats, sesnspVictims, path.join(dir, 'new.csv'), { version: 'test' });
  });
  afterAll(async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores one vintage as maps and the other as columns', async () => {
    expect(
      await stats.all(`select dimensions, constants from vintages where table_name is not null order by id`),
    ).toEqual([
      { dimensions: null, constants: null },
      {
        dimensions: '["crime_type","crime_subtype","modality","sex","age_group"]',
        // The level and granularity every row shares are kept once, on the vintage.
        constants: '{"geo_level":"state","granularity":"month"}',
      },
    ]);
    const columns = await stats.all<{ name: string }>(
      `select column_name as name from duckdb_columns() where table_name = 'obs_2' order by column_index`,
    );
    expect(columns.map((c) => c.name)).not.toContain('geo_level');
    expect(columns.map((c) => c.name)).toContain('dim_crime_type');
  });

  it('answers a filtered series across both, as the file sums it', async () => {
    const sum = (year: string, sex?: string) =>
      rows
        .filter((f) => f[7] === 'Homicidio doloso' && f[1] === year && (!sex || f[9] === sex))
        .reduce((s, f) => s + Number(f[11]), 0);
    const values = async (filters?: Record<string, string>) =>
      (
        await querySeries(stats, {
          measure: 'homicide_victims',
          geo: ['MX'],
          by: 'year',
          from: '2018',
          to: '2020',
          ...(filters ? { filters } : {}),
        })
      ).series[0]!.points.map((p) => p.value);
    expect(await values()).toEqual([sum('2018'), sum('2019'), sum('2020')]);
    expect(await values({ sex: 'Mujer' })).toEqual([
      sum('2018', 'Mujer'),
      sum('2019', 'Mujer'),
      sum('2020', 'Mujer'),
    ]);
    expect(sum('2020', 'Mujer')).toBeGreaterThan(0);
  });

  it('lists the same dimension values from maps and columns', async () => {
    const dims = await measureDimensions(stats, 'homicide_victims');
    const distinct = (i: number) =>
      [
        ...new Set(
          rows
            .filter((f) => f[7] === 'Homicidio doloso' && ['2018', '2019', '2020'].includes(f[1]!))
            .map((f) => f[i]!),
        ),
      ].sort();
    expect(Object.keys(dims)).toEqual(['age_group', 'crime_subtype', 'crime_type', 'modality', 'sex']);
    expect(dims.sex).toEqual(distinct(9));
    expect(dims.age_group).toEqual(distinct(10));
  });

  it('shows both forms alike in the observations view', async () => {
    const view = await stats.all<{ year: number; dims: string; dims_key: string; n: number }>(
      `select year(period) as year, any_value(dims)::varchar as dims, any_value(dims_key) as dims_key, count(*) as n
       from observations where geo = '09' and period in ('2019-12-01', '2020-01-01') and measure = 'homicide_victims'
         and dims['sex'] = 'Mujer' and dims['age_group'] = 'Adultos (18 y más)' and dims['modality'] = 'Con arma de fuego'
       group by year order by year`,
    );
    expect(view).toEqual([
      {
        year: 2019,
        dims: "{crime_type=Homicidio, crime_subtype=Homicidio doloso, modality=Con arma de fuego, sex=Mujer, age_group='Adultos (18 y más)'}",
        dims_key:
          'age_group=Adultos (18 y más);crime_subtype=Homicidio doloso;crime_type=Homicidio;modality=Con arma de fuego;sex=Mujer',
        n: 1,
      },
      {
        year: 2020,
        dims: "{crime_type=Homicidio, crime_subtype=Homicidio doloso, modality=Con arma de fuego, sex=Mujer, age_group='Adultos (18 y más)'}",
        dims_key:
          'age_group=Adultos (18 y más);crime_subtype=Homicidio doloso;crime_type=Homicidio;modality=Con arma de fuego;sex=Mujer',
        n: 1,
      },
    ]);
  });
});
