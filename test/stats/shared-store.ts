/**
 * A statistics store holding every real observations file of ../shared/data (or `MARCO_SHARED_DATA`),
 * imported as `marco import-dir` would: places first, then population, then the rest. Used by the tests
 * that check properties over every measure on real data (window invariance, partial periods).
 * @module
 */
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from './shared-data.js';

export const SHARED_OBSERVATIONS: [source: string, file: string][] = [
  ['inegi-geo-catalog', 'geo/cve_nom_estados.csv'],
  ['inegi-geo-catalog', 'geo/cve_nom_municipios.csv'],
  ['conapo-population-state-monthly', 'conapo/pop_states_monthly_1990_2050.csv'],
  ['conapo-population-state', 'conapo/conapo_pob_ent_gender_1950_2070.csv'],
  ['conapo-population-municipal', 'conapo/municipio-population1990-2009.csv'],
  ['conapo-population-municipal', 'conapo/municipio-population2010-2030.csv'],
  ['inegi-homicides-historic', 'inegi/county-month-1990-2008.csv.bz2'],
  ['inegi-homicides-municipal', 'inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz'],
  ['inegi-homicides-state', 'inegi/mexico-state-month-homicide-rates-2000-2022.csv'],
  ['sesnsp-victims', 'sesnsp/db_victimas_delitos_ent_long.csv.bz2'],
  ['sesnsp-incidence', 'sesnsp/IDEFC_NM_mar22.csv'],
  ['cdc-vsrr-overdose', 'cdc/vsrr_provisional_drug_overdose_death_counts.csv'],
  ['cbp-drug-seizures', 'cbp/nationwide-drugs-fy19-fy22.csv'],
  ['cbp-drug-seizures', 'cbp/nationwide-drugs-fy23-fy26-dec.csv'],
  ['usaid-foreign-aid', 'usaid/us_foreign_aid_country.csv'],
];

/** The files, or undefined (each missing one reported by `sharedFile`) when any is absent. */
export function sharedObservationFiles(): [string, string][] | undefined {
  const found = SHARED_OBSERVATIONS.map(([id, relative]) => [id, sharedFile(relative)] as const);
  return found.every(([, f]) => f) ? found.map(([id, f]) => [id, f!]) : undefined;
}

/** An in-memory store with every file imported. */
export async function openSharedStats(files: [string, string][]): Promise<StatsStore> {
  const stats = await openStats({ memory: true });
  for (const [id, file] of files) await importFile(stats, sourceById(id)!, file, { version: 'test' });
  return stats;
}
