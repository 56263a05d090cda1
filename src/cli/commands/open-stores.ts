/**
 * Opens the stores a command needs from the configuration, and always closes them.
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SpinePlace } from '../../domain/place-check.js';
import type { Config } from '../../config.js';
import { CliError, EXIT } from '../../error.js';
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

/**
 * The geography spine of the data directory's statistics store, to check place codes against, as
 * `{ places }`; `{}` when there is no store yet (none is created for this) or a running server holds it
 * (places are then checked by format only, and the server checks them when it serves a write).
 */
export async function spineOf(config: Config): Promise<{ places?: ReadonlyMap<string, SpinePlace> }> {
  if (!existsSync(path.resolve(config.dataDir, 'statistics.duckdb'))) return {};
  try {
    return await withStats(config, async (stats) => ({ places: (await stats.metadata()).places }));
  } catch (error) {
    // The store is held by a running server (`stores.statsInUse`).
    if (error instanceof CliError && error.exitCode === EXIT.conflict) return {};
    throw error;
  }
}

/** Prints JSON with a trailing newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
