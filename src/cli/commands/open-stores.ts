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
import { openGenerations, type GenerationStats } from '../../generations/generation-stats.js';
import { log } from '../../log.js';

export async function withRecords<T>(config: Config, work: (store: RecordsStore) => Promise<T>): Promise<T> {
  const store = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * Opens the statistics store of the data directory for `work`, and always closes it. With statistics
 * generations (`MARCO_STATISTICS=generations`), `work` reads the newest generation; with `write`, it works
 * on a draft of the next, published when it succeeds and changed something.
 */
export async function withStats<T>(
  config: Config,
  work: (stats: StatsStore) => Promise<T>,
  options: { write?: boolean } = {},
): Promise<T> {
  if (config.statistics === 'generations')
    return withRecords(config, (records) => withGenerations(config, records, work, options));
  const stats = await openStats({ dataDir: config.dataDir });
  try {
    return await work(stats);
  } finally {
    stats.close();
  }
}

/** The statistics directory of generations, and the single-file store the first one is made from. */
export const generationsOf = (config: Config) => ({
  dir: path.resolve(config.dataDir, 'statistics'),
  from: path.resolve(config.dataDir, 'statistics.duckdb'),
});

/** Opens the statistics generations of the configuration's directory on `records`. */
export function openGenerationsFor(config: Config, records: RecordsStore): Promise<GenerationStats> {
  return openGenerations({ records, actor: config.actor, log, ...generationsOf(config) });
}

async function withGenerations<T>(
  config: Config,
  records: RecordsStore,
  work: (stats: StatsStore) => Promise<T>,
  options: { write?: boolean },
): Promise<T> {
  const stats = await openGenerationsFor(config, records);
  try {
    return options.write ? await stats.exclusive(work) : await stats.pin(() => work(stats));
  } finally {
    await stats.shutdown();
  }
}

/**
 * Opens both stores for `work`: statistics imports and rollbacks write their audit entries to the
 * records store. The statistics store opens first, so a running server (which holds it) is reported
 * before the records store is touched. `write` as for {@link withStats}.
 */
export async function withStatsAndRecords<T>(
  config: Config,
  work: (stats: StatsStore, records: RecordsStore) => Promise<T>,
  options: { write?: boolean } = {},
): Promise<T> {
  if (config.statistics === 'generations')
    return withRecords(config, (records) =>
      withGenerations(config, records, (stats) => work(stats, records), options),
    );
  return withStats(config, (stats) => withRecords(config, (records) => work(stats, records)));
}

/**
 * The geography spine of the data directory's statistics store, to check place codes against, as
 * `{ places }`; `{}` when there is no store yet (none is created for this) or a running server holds it
 * (places are then checked by format only, and the server checks them when it serves a write).
 */
export async function spineOf(config: Config): Promise<{ places?: ReadonlyMap<string, SpinePlace> }> {
  if (config.statistics === 'generations')
    return withStats(config, async (stats) => ({ places: (await stats.metadata()).places }));
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
