/**
 * BACRIM 2020 from the shared data, imported as `marco import-dir` does (groups, then alliances, then
 * rivalries): the network the network tests, the contract test and the pages read.
 */
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from '../stats/shared-data.js';

export const BACRIM_FILES = ['BACRIM2020_Nodes.csv', 'BACRIM2020_Alliances.csv', 'BACRIM2020_Rivals.csv'].map(
  (f) => sharedFile(`network/${f}`),
);

export const haveBacrim = BACRIM_FILES.every(Boolean);

/** Imports the three files into `stats`; their reports, in order. */
export async function importBacrim(stats: StatsStore) {
  const source = sourceById('bacrim-network')!;
  const reports = [];
  for (const file of BACRIM_FILES) reports.push(await importFile(stats, source, file!, { version: 'test' }));
  return reports;
}
