/**
 * What `marco serve` opens before it serves, apart from the serving itself: the number of processes
 * asked for, and the statistics store, with the built-in figures (and the starter snapshot for
 * `--example`) imported when missing.
 * @module
 */
import type { Config } from '../../config.js';
import { auditImport } from '../../custody/statistics-custody.js';
import { CliError } from '../../error.js';
import type { RecordsStore } from '../../records/database.js';
import { ensureFigures, missingFigures } from '../../stats/claims.js';
import { openStats, type StatsStore } from '../../stats/stats-store.js';
import { VERSION } from '../../package.js';
import { importStarter } from './init.js';
import { openGenerationsFor } from './open-stores.js';

/** `--workers` (or `MARCO_WORKERS`): a whole number from 1 to 64; 1 when not given. */
export function workersOf(given: string | number | undefined): number {
  if (given === undefined) return 1;
  const text = String(given);
  if (!/^\d{1,2}$/.test(text) || Number(text) < 1 || Number(text) > 64)
    throw new CliError({ key: 'cli.errors.workers', values: { given: JSON.stringify(text) } });
  return Number(text);
}

/**
 * Opens the statistics store the server reads: the data directory's file, or its generations. The
 * built-in documented figures (and, for `--example`, the starter snapshot) are imported when missing,
 * and audited; with generations, only when missing, as a new generation.
 */
export async function openServeStats(
  config: Config,
  store: RecordsStore,
  example: boolean,
  bootstrap: boolean,
): Promise<StatsStore> {
  const fill = async (stats: StatsStore) => {
    // The built-in documented figures are an import like any other, so they are audited.
    const figures = await ensureFigures(stats, VERSION);
    for (const report of figures) await auditImport(stats, store, report, 'built-in', { actor: 'marco' });
    // `npm start` (serve --example) shows real data on a fresh machine: the starter snapshot.
    if (example) await importStarter(stats, store);
  };
  if (config.statistics === 'file') {
    const stats = await openStats({ dataDir: config.dataDir });
    try {
      await fill(stats);
    } catch (error) {
      stats.close();
      throw error;
    }
    return stats;
  }
  const stats = await openGenerationsFor(config, store);
  try {
    const missing = async () =>
      (await missingFigures(stats)).length > 0 || (example && (await stats.metadata()).coverage.length === 0);
    if (bootstrap && (await stats.pin(missing))) await stats.exclusive(fill);
  } catch (error) {
    stats.close();
    throw error;
  }
  return stats;
}

/** `--port` (or `PORT`, 8080) and `--host` (or `HOST`, 127.0.0.1), checked. */
export function listenAddress(opts: { port?: string; host?: string; env: NodeJS.ProcessEnv }): {
  port: number;
  host: string;
} {
  const portText = opts.port ?? opts.env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535)
    throw new CliError({ key: 'cli.errors.port', values: { given: JSON.stringify(portText) } });
  return { port, host: opts.host ?? opts.env.HOST ?? '127.0.0.1' };
}
