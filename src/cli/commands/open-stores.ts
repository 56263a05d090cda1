/**
 * Opens the stores a command needs from the configuration, and always closes them.
 * @module
 */
import type { Config } from '../../config.js';
import { openRecords, type RecordsStore } from '../../records/database.js';
import { openStats, type StatsStore } from '../../stats/stats-store.js';

export async function withRecords<T>(config: Config, work: (store: RecordsStore) => Promise<T>): Promise<T> {
  const store = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Opens the statistics store of the data directory for `work`, and always closes it. */
export async function withStats<T>(config: Config, work: (stats: StatsStore) => Promise<T>): Promise<T> {
  const stats = await openStats({ dataDir: config.dataDir });
  try {
    return await work(stats);
  } finally {
    stats.close();
  }
}

/**
 * Opens both stores for `work`: statistics imports and rollbacks write their audit entries to the
 * records store. The statistics store opens first, so a running server (which holds it) is reported
 * before the records store is touched.
 */
export async function withStatsAndRecords<T>(
  config: Config,
  work: (stats: StatsStore, records: RecordsStore) => Promise<T>,
): Promise<T> {
  return withStats(config, (stats) => withRecords(config, (records) => work(stats, records)));
}

/** Prints JSON with a trailing newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
