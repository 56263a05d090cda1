/**
 * `marco serve --workers N`: N server processes on one port, through Node's own `cluster` module. The
 * primary prepares the stores once (migrations, built-ins, the first statistics generation), forks the
 * workers, and hands each incoming connection to one of them in turn; it serves nothing itself. Every
 * worker reads the statistics generations and writes the records on the one PostgreSQL server, so any
 * worker can answer any request. A worker that dies is replaced a second later while the others serve;
 * SIGTERM to the primary stops each worker gracefully (requests in flight finish) and then the primary.
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { log } from '../../log.js';
import { openRecords } from '../../records/database.js';
import { initialise } from './init.js';
import { listenAddress, openServeStats } from './serve-stores.js';
import { answerClusterMetrics } from '../../server/cluster-metrics.js';

export async function runPrimary(
  config: Config,
  opts: {
    port?: string;
    host?: string;
    example?: boolean;
    workers: number;
    /** Whether the workers serve HTTPS (each reads the certificate itself, and again on SIGHUP). */
    tls: boolean;
    env: NodeJS.ProcessEnv;
  },
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const { port, host } = listenAddress(opts);
  // Prepared once, here, so that N workers do not race to migrate and import the same things.
  const store = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    await initialise(store, config, opts.example === true);
    (await openServeStats(config, store, opts.example === true, true)).close();
  } finally {
    await store.close();
  }
  const env = {
    MARCO_SERVE_PREPARED: '1',
    MARCO_STATISTICS: 'generations',
    PORT: String(port),
    HOST: host,
  };
  let stopping = false;
  const serving = new Set<Worker>();
  const fork = () => cluster.fork(env);
  // Until every worker serves (its stores open), a worker that stops is a failed start: all stop, and
  // the error says so. A worker says it serves with a message (serve.ts).
  const started = new Promise<number>((resolve, reject) => {
    const onMessage = (worker: Worker, message: unknown) => {
      if ((message as { marco?: unknown } | null)?.marco !== 'ready') return;
      serving.add(worker);
      if (serving.size === opts.workers) {
        cluster.off('message', onMessage);
        cluster.off('exit', onEarlyExit);
        resolve(Number((message as { port: unknown }).port));
      }
    };
    const onEarlyExit = (worker: Worker, code: number | null) => {
      cluster.off('message', onMessage);
      cluster.off('exit', onEarlyExit);
      reject(
        new CliError({
          key: 'cli.errors.workerFailed',
          values: { pid: worker.process.pid ?? 0, code: code ?? 1 },
        }),
      );
    };
    cluster.on('message', onMessage);
    cluster.on('exit', onEarlyExit);
  });
  // A scrape of /metrics reaching any worker answers for all of them.
  const stopMetrics = answerClusterMetrics();
  for (let i = 0; i < opts.workers; i++) fork();
  let listening: number;
  try {
    listening = await started;
  } catch (error) {
    stopping = true;
    stopMetrics();
    await stopAll();
    throw error;
  }
  // A worker that keeps dying is started again less and less often: 1 s, 2 s, 4 s … up to 30 s.
  const deaths: number[] = [];
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! < now - 60_000) deaths.shift();
    const delay = Math.min(30_000, 1000 * 2 ** (deaths.length - 1));
    log.error(
      { worker: worker.process.pid, code, signal, restartInMs: delay },
      'server: a worker stopped; starting another',
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });
  const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${listening}/`;
  out(
    t('cli.servingWorkers', {
      url,
      workers: opts.workers,
      location: config.databaseUrl ? new URL(config.databaseUrl).host : '',
    }),
  );
  // A renewed certificate: every worker reads it again (systemd's `ExecReload=kill -HUP $MAINPID`).
  const hangup = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
  };
  if (opts.tls) process.on('SIGHUP', hangup);
  await new Promise<void>((resolve) => {
    const stop = () => {
      stopping = true;
      process.off('SIGHUP', hangup);
      void stopAll().then(() => {
        stopMetrics();
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** How long a worker has to finish what it serves after SIGTERM before it is killed. */
const STOP_MS = 30_000;

/**
 * Asks every worker to stop (SIGTERM: it finishes what it serves and closes its stores), and waits; one
 * still running after {@link STOP_MS} is killed, and the log says so.
 */
async function stopAll(): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const late = setTimeout(() => {
            log.error({ worker: worker.process.pid }, 'server: a worker did not stop in time; killed');
            worker.process.kill('SIGKILL');
          }, STOP_MS);
          worker.once('exit', () => {
            clearTimeout(late);
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
    ),
  );
}
