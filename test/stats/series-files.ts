/**
 * Small synthetic input files in the publishers' own layouts, with round numbers, for the series query
 * tests (series-plan.test.ts), and the three in-memory stores built from them:
 *
 * - `a`: the INEGI catalogue, homicides by state (01: month m of 2019 → m, of 2020 → 10m; 02: 5 a month,
 *   2019-07…2020-06) and by municipality (01001: 1 a month 2018-07…2020-12; 01002: 2 a month 2019;
 *   2020; 01003: 4 in 2019-06; 02001: 3 a month 2018-07…2020-12), CONAPO population by state and month
 *   (01: 99,000 + 1,000m in 2019, 119,000 + 1,000m in 2020; 02: 50,000), by state and year (MX 1,000,000
 *   and 1,200,000; 01 104,000 and 124,000; 02 50,000) and by municipality and year (01001 20,000 and
 *   24,000; 01002 10,000; 01003 0; 02001 30,000), CDC, CBP and USAID files;
 * - `b`: municipal homicides and municipal population only (no catalogue, no state population);
 * - `c`: the two state population sources reaching the same month (January 2020).
 * @module
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';

/** Every [year, month] from one month to another, inclusive. */
export function months(from: [number, number], to: [number, number]): [number, number][] {
  const out: [number, number][] = [];
  for (let y = from[0], m = from[1]; y * 12 + m <= to[0] * 12 + to[1]; m === 12 ? ((m = 1), y++) : m++)
    out.push([y, m]);
  return out;
}

const MONTH_NAMES = 'January February March April May June July August September October November December';
const monthName = (m: number) => MONTH_NAMES.split(' ')[m - 1]!;
const mm = (m: number) => String(m).padStart(2, '0');

const STATES = ['nombre_estado,cve_ent', 'Nacional,00', 'Aguascalientes,01', 'Baja California,02'];
const MUNICIPALITIES = [
  'cve_geo,nombre_estado,cve_ent,nombre_municipio,cve_mun',
  '01001,Aguascalientes,01,Aguascalientes,001',
  '01002,Aguascalientes,01,Asientos,002',
  '01003,Aguascalientes,01,Calvillo,003',
  '02001,Baja California,02,Ensenada,001',
];

const homicidesState = () => [
  'cve_ent|year|month|homicides|pop_est|homicide_rate',
  ...months([2019, 1], [2020, 12]).map(([y, m]) => `01|${y}|${m}|${y === 2019 ? m : 10 * m}|1000.5|0`),
  ...months([2019, 7], [2020, 6]).map(([y, m]) => `02|${y}|${m}|5|NA|0`),
];

const homicidesMunicipal = () => [
  'ent_mun|year|month|homicides|pop_est|homicide_rate',
  ...months([2018, 7], [2020, 12]).map(([y, m]) => `01001|${y}|${m}|1|NA|0`),
  ...months([2019, 1], [2020, 12]).map(([y, m]) => `01002|${y}|${m}|2|NA|0`),
  '01003|2019|6|4|NA|0',
  ...months([2018, 7], [2020, 12]).map(([y, m]) => `02001|${y}|${m}|3|NA|0`),
];

const populationMonthly = () => [
  '"state_code","date","population"',
  ...months([2019, 1], [2020, 12]).map(
    ([y, m]) => `1,${y}-${mm(m)}-01,${(y === 2019 ? 99_000 : 119_000) + 1000 * m}`,
  ),
  ...months([2019, 1], [2020, 12]).map(([y, m]) => `2,${y}-${mm(m)}-01,50000`),
];

const populationMonthlyShort = () => [
  'state_code,date,population',
  ...months([2019, 1], [2020, 1]).map(([y, m]) => `1,${y}-${mm(m)}-01,200000`),
];

/** [cve_ent, name, [men, women, total] in 2019, the same in 2020]. */
const YEARLY: [string, string, number[], number[]][] = [
  ['00', 'Nacional', [490_000, 510_000, 1_000_000], [590_000, 610_000, 1_200_000]],
  ['01', 'Aguascalientes', [50_000, 54_000, 104_000], [60_000, 64_000, 124_000]],
  ['02', 'Baja California', [25_000, 25_000, 50_000], [25_000, 25_000, 50_000]],
];
const populationYearly = () => [
  'n_year,nombre_estado,cve_ent,genero,pob_start_year,pob_mid_year',
  ...YEARLY.flatMap(([code, name, ...years]) =>
    years.flatMap((figures, i) =>
      ['Hombres', 'Mujeres', 'Total'].map((sex, j) => `${2019 + i},${name},${code},${sex},1,${figures[j]}`),
    ),
  ),
];

const populationMunicipal = () => [
  'Code,Population,Sex,Year',
  '1001.0,20000.0,Total,2019',
  '1001.0,24000.0,Total,2020',
  '1001.0,10000.0,Males,2019',
  '1002.0,10000.0,Total,2019',
  '1002.0,10000.0,Total,2020',
  '1003.0,0.0,Total,2019',
  '1003.0,0.0,Total,2020',
  '2001.0,30000.0,Total,2019',
  '2001.0,30000.0,Total,2020',
];

const SYNTHETIC = '"Synthetic opioids, excl. methadone (T40.4)"';
const cdcRow = (state: string, y: number, m: number, indicator: string, value: number) =>
  `${state},${y},${monthName(m)},12 month-ending,${indicator},100,0,Name,Numbers may differ.,,${value},`;
const cdc = () => [
  'state,year,month,period,indicator,percent_complete,percent_pending_investigation,state_name,footnote,footnote_symbol,data_value,predicted_value',
  ...months([2019, 1], [2020, 12]).map(([y, m]) =>
    cdcRow('NY', y, m, SYNTHETIC, (y === 2019 ? 0 : 2000) + 100 * m),
  ),
  ...months([2019, 1], [2020, 12]).map(([y, m]) => cdcRow('CA', y, m, SYNTHETIC, 50)),
  ...months([2020, 1], [2020, 12]).map(([y, m]) => cdcRow('US', y, m, SYNTHETIC, 10_000 + 100 * m)),
  ...months([2020, 1], [2020, 12]).map(([y, m]) =>
    cdcRow('NY', y, m, 'Number of Drug Overdose Deaths', 5000 + m),
  ),
  ...months([2020, 1], [2020, 12]).map(([y, m]) => cdcRow('NY', y, m, 'Cocaine (T40.5)', 700)),
];

const OFO = 'Office of Field Operations,Southwest Border,Land,LAREDO FIELD OFFICE';
const USBP = 'U.S. Border Patrol,Southwest Border,Land,EL PASO SECTOR';
const cbp = () => [
  'FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)',
  `2020,OCT,${USBP},Fentanyl,2,10`, // October 2019
  `2020,JAN,${OFO},Methamphetamine,5,100`,
  `2020,SEP,${OFO},Fentanyl,3,20`,
  `2021 (FYTD),OCT,${OFO},Fentanyl,4,40`, // October 2020
  `2021 (FYTD),NOV,${USBP},Fentanyl,1,5`,
];

const usaid = () => [
  'Country Code,Country Name,Region ID,Region Name,Income Group Acronym,Income Group Name,Transaction Type ID,Transaction Type Name,Fiscal Year,current_amount,constant_amount',
  'ABW,Aruba,6,Western Hemisphere,HIC,High Income Country,2,Obligations,2019,19000,29218',
  'MEX,Mexico,6,Western Hemisphere,UMIC,Upper Middle Income Country,2,Obligations,2019,1000,1100',
  'MEX,Mexico,6,Western Hemisphere,UMIC,Upper Middle Income Country,3,Disbursements,2019,800,880',
  'MEX,Mexico,6,Western Hemisphere,UMIC,Upper Middle Income Country,2,Obligations,2020,2000,2100',
];

const FILES = {
  'states.csv': STATES,
  'municipalities.csv': MUNICIPALITIES,
  'homicides-state.csv': homicidesState(),
  'homicides-municipal.csv': homicidesMunicipal(),
  'population-monthly.csv': populationMonthly(),
  'population-monthly-short.csv': populationMonthlyShort(),
  'population-yearly.csv': populationYearly(),
  'population-municipal.csv': populationMunicipal(),
  'cdc.csv': cdc(),
  'cbp.csv': cbp(),
  'usaid.csv': usaid(),
} as const;
type FileName = keyof typeof FILES;

const STORES: Record<'a' | 'b' | 'c', [string, FileName][]> = {
  a: [
    ['inegi-geo-catalog', 'states.csv'],
    ['inegi-geo-catalog', 'municipalities.csv'],
    ['inegi-homicides-state', 'homicides-state.csv'],
    ['inegi-homicides-municipal', 'homicides-municipal.csv'],
    ['conapo-population-state-monthly', 'population-monthly.csv'],
    ['conapo-population-state', 'population-yearly.csv'],
    ['conapo-population-municipal', 'population-municipal.csv'],
    ['cdc-vsrr-overdose', 'cdc.csv'],
    ['cbp-drug-seizures', 'cbp.csv'],
    ['usaid-foreign-aid', 'usaid.csv'],
  ],
  b: [
    ['inegi-homicides-municipal', 'homicides-municipal.csv'],
    ['conapo-population-municipal', 'population-municipal.csv'],
  ],
  c: [
    ['conapo-population-state-monthly', 'population-monthly-short.csv'],
    ['conapo-population-state', 'population-yearly.csv'],
  ],
};

export interface SeriesStores {
  a: StatsStore;
  b: StatsStore;
  c: StatsStore;
  /** The vintages a store holds, by source id, as the series answer lists them. */
  vintage(store: StatsStore, source: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Writes the files to a temporary folder and imports them into the three stores. */
export async function openSeriesStores(): Promise<SeriesStores> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-series-'));
  for (const [name, lines] of Object.entries(FILES))
    await writeFile(path.join(dir, name), `${lines.join('\n')}\n`);
  const open = async (imports: [string, FileName][]) => {
    const stats = await openStats({ memory: true });
    for (const [id, name] of imports) {
      const report = await importFile(stats, sourceById(id)!, path.join(dir, name), { version: 'test' });
      if (report.rowsRejected !== 0) throw new Error(`${name}: ${report.rowsRejected} rows rejected`);
    }
    return stats;
  };
  const [a, b, c] = [await open(STORES.a), await open(STORES.b), await open(STORES.c)];
  const digests = new Map<string, string>();
  for (const name of Object.keys(FILES))
    digests.set(
      name,
      createHash('sha256')
        .update(await readFile(path.join(dir, name)))
        .digest('hex'),
    );
  return {
    a,
    b,
    c,
    async vintage(store, source) {
      const v = (await store.metadata()).vintages.find((x) => x.source === source)!;
      expect(v.sha256).toBe(digests.get(v.file_name));
      expect(v.imported_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      return { id: v.id, source, file_name: v.file_name, sha256: v.sha256, imported_at: v.imported_at };
    },
    async close() {
      a.close();
      b.close();
      c.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
