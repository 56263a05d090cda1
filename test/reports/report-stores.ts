/**
 * The stores the place brief, evaluation report and data-quality annex are tested on: a statistics store
 * with the real files of ../shared/data that the reports read (the geography, CONAPO and INEGI for states
 * and municipalities, SESNSP victims, the documented figures) and a small CDC sample with one damaged
 * line, which the annex must list; and a records store with the example workspace, a restricted Mexican
 * program located in Chihuahua, and the state military-operations evaluation saved as run 1.
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { evaluate } from '../../src/eval/evaluate.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import type { RecordsStore } from '../../src/records/database.js';
import { saveEvaluation } from '../../src/records/evaluation-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { ensureFigures } from '../../src/stats/claims.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { parse } from 'yaml';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const FILES = [
  ['inegi-geo-catalog', 'geo/cve_nom_estados.csv'],
  ['inegi-geo-catalog', 'geo/cve_nom_municipios.csv'],
  ['conapo-population-state', 'conapo/conapo_pob_ent_gender_1950_2070.csv'],
  ['inegi-homicides-state', 'inegi/mexico-state-month-homicide-rates-2000-2022.csv'],
  ['sesnsp-victims', 'sesnsp/db_victimas_delitos_ent_long.csv.bz2'],
  ['inegi-homicides-municipal', 'inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz'],
  ['conapo-population-municipal', 'conapo/municipio-population2010-2030.csv'],
] as const;

/** The real files, or undefined when any is missing (each one reported by `sharedFile`). */
export function reportFiles(): [string, string][] | undefined {
  const found = FILES.map(([id, f]) => [id, sharedFile(f)] as const);
  const cdc = sharedFile('cdc/vsrr_provisional_drug_overdose_death_counts.csv');
  if (!cdc || found.some(([, f]) => !f)) return undefined;
  return [...found.map(([id, f]) => [id, f!] as [string, string]), ['cdc-vsrr-overdose', cdc]];
}

/** The damaged line of the CDC sample: its line number in the sample, and its month in French. */
export const DAMAGED = { line: 4, column: 'month', value: 'Janvier' };

/** A statistics store with the report files, the documented figures, and the damaged CDC sample. */
export async function reportStats(files: [string, string][]): Promise<StatsStore> {
  const stats = await openStats({ memory: true });
  for (const [id, file] of files.filter(([id]) => id !== 'cdc-vsrr-overdose'))
    await importFile(stats, sourceById(id)!, file, { version: 'test' });
  await ensureFigures(stats, 'test');
  // Three real lines of the CDC file (the United States' first months of 2021) and one whose month is
  // French (line 4): a source no Mexican report reads, so the damage changes no other figure.
  const [header, ...data] = await sharedLines(files.find(([id]) => id === 'cdc-vsrr-overdose')![1]);
  const rows = data.filter((l) => l.startsWith('US,2021,')).slice(0, 3);
  const bad = rows[0]!.replace(',January,', `,${DAMAGED.value},`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-report-sample-'));
  try {
    const sample = path.join(dir, 'vsrr_sample.csv');
    await writeFile(sample, [header, rows[0], rows[1], bad, rows[2], ''].join('\n'));
    await importFile(stats, sourceById('cdc-vsrr-overdose')!, sample, {
      version: 'test',
      maxRejectShare: 0.5,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return stats;
}

/** A restricted Mexican program located in Chihuahua, active 2018–2021. */
export const SECRET_IN_CHIHUAHUA = {
  code: 'MX-SECRET-CHIH',
  title: {
    en: 'Restricted support to Chihuahua prosecutors',
    es: 'Apoyo reservado a fiscalías de Chihuahua',
  },
  status: 'active',
  start: '2018-01-01',
  serves: ['merida:1'],
  locations: ['08'],
  country: 'MX',
  agency: 'SSPC',
  classification: 'restricted',
};

/** The example workspace with the restricted program, and the state evaluation saved as run 1. */
export async function loadReportRecords(store: RecordsStore, stats: StatsStore): Promise<void> {
  await loadBuiltins(store, 'test');
  const ws = (await exampleWorkspace()) as { programs: unknown[] };
  ws.programs.push(SECRET_IN_CHIHUAHUA);
  await loadWorkspace(store, ws as never, { actor: 'loader', now: clock });
  const spec = parse(
    await readFile(path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml'), 'utf8'),
  ) as { estimators: { cs: { permutations?: number } } };
  // Fewer permutations than the example's 999 keep the test quick; the report shows whatever was run.
  spec.estimators.cs.permutations = 199;
  const result = await evaluate(stats, spec, 'test');
  await saveEvaluation(store, result, { actor: 'analyst', now: clock });
}
