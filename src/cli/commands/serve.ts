/**
 * `marco serve`: initialise the stores if needed and serve the API and home page until interrupted.
 * @module
 */
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { serve } from '@hono/node-server';
import {
  corsConfig,
  cursorKeyConfig,
  requestsPerMinuteConfig,
  heapGrowthConfig,
  trustedProxiesConfig,
  networkAccessConfig,
  notifyConfig,
  type Config,
} from '../../config.js';
import { openMailTransport } from '../../notifications/dispatch.js';
import { startCourier } from '../../notifications/courier.js';
import { noticeMail } from '../../web/notices/notice-mail.js';
import { CliError } from '../../error.js';
import { matchLocale, translator } from '../../i18n/index.js';
import { openRecords } from '../../records/database.js';
import { createApp } from '../../server/app.js';
import { startWorker } from '../../jobs/job-worker.js';
import { jobHandlers } from '../../server/job-handlers.js';
import type { StatsStore } from '../../stats/stats-store.js';
import type { JobHandler } from '../../jobs/job-worker.js';
import { runPrimary } from './serve-cluster.js';
import { listenAddress, openServeStats, workersOf } from './serve-stores.js';
import { readTls, tlsFilesOf, type TlsFiles } from './serve-tls.js';
import { log } from '../../log.js';
import cluster from 'node:cluster';
import { openPdfPrinter } from '../../web/reports/pdf-printer.js';
import { VERSION } from '../../package.js';
import { initialise } from './init.js';

/**
 * The answer while the stores open: 503 with `Retry-After`, in the language the request asks for
 * (`?lang=`, then `Accept-Language`), as JSON for the API and as text otherwise.
 */
function starting(request: Request): Response {
  const url = new URL(request.url);
  const locale =
    matchLocale(url.searchParams.get('lang')) ?? matchLocale(request.headers.get('accept-language')) ?? 'en';
  const message = translator(locale)('cli.starting');
  const headers = { 'retry-after': '2' };
  return url.pathname.startsWith('/api/')
    ? Response.json({ error: { code: 'unavailable', message } }, { status: 503, headers })
    : new Response(`${message}\n`, {
        status: 503,
        headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
      });
}

export interface ServeOptions {
  port?: string;
  host?: string;
  example?: boolean;
  /** `--workers N`: N server processes on one port (`serve-cluster.ts`). */
  workers?: string | number;
  /** `--tls-cert` and `--tls-key`: serve HTTPS (`serve-tls.ts`). */
  tlsCert?: string;
  tlsKey?: string;
  env: NodeJS.ProcessEnv;
}

/** On SIGHUP, the certificate and key are read again; a wrong new pair leaves the old one serving. */
function reloadOnHangup(server: HttpsServer, files: TlsFiles): () => void {
  const reload = () => {
    readTls(files).then(
      (pair) => {
        server.setSecureContext({ cert: pair.cert, key: pair.key });
        log.info({ cert: files.cert, validTo: pair.validTo }, 'server: certificate reloaded');
      },
      (error: unknown) =>
        log.error(
          { cert: files.cert, key: files.key, reason: (error as Error).message },
          'server: certificate not reloaded; the previous one still serves',
        ),
    );
  };
  process.on('SIGHUP', reload);
  return () => process.off('SIGHUP', reload);
}

export async function runServe(
  config: Config,
  opts: ServeOptions,
  out: (text: string) => void,
): Promise<void> {
  const workers = workersOf(opts.workers ?? opts.env.MARCO_WORKERS);
  const tlsFiles = tlsFilesOf(opts);
  // Checked before anything else: a wrong certificate stops the start with nothing changed.
  const tls = tlsFiles ? await readTls(tlsFiles) : null;
  const heapGrowth = heapGrowthConfig(opts.env);
  // V8 reads the factor at each full collection, so it holds from here on (each worker sets its own).
  // Its own rule lets a busy server's heap grow to ~4× what is live and stay there; with 30% the heap
  // stays flat at the same throughput (measured in docs/deployment.md, sizing).
  if (heapGrowth > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowth}`);
  if (workers > 1) {
    if (config.databaseUrl === null)
      throw new CliError({ key: 'stores.generationsNeedPostgres', values: {} });
    config = { ...config, statistics: 'generations' };
    if (cluster.isPrimary) return runPrimary(config, { ...opts, workers, tls: tls !== null }, out);
  }
  const prepared = cluster.isWorker && opts.env.MARCO_SERVE_PREPARED === '1';
  const t = translator(config.locale);
  const { port, host } = listenAddress(opts);
  // Read before the port is taken: a wrong mail setting stops the start with nothing changed.
  const notify = notifyConfig(opts.env);
  const cors = corsConfig(opts.env);
  const networks = networkAccessConfig(opts.env);
  const cursorKey = cursorKeyConfig(opts.env);
  const perMinute = requestsPerMinuteConfig(opts.env);
  const trustedProxies = trustedProxiesConfig(opts.env);
  // Until the stores are open, requests get 503 (`starting`).
  const ready: { app?: ReturnType<typeof createApp> } = {};
  const take = async () => {
    const server = serve({
      // The adapter's bindings (Node's request and response) reach the app as its `env`.
      fetch: (request, env) => (ready.app ? ready.app.fetch(request, env) : starting(request)),
      port,
      hostname: host,
      ...(tls ? { createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key } } : {}),
    });
    const stopReloading = tls && tlsFiles ? reloadOnHangup(server as HttpsServer, tlsFiles) : () => undefined;
    const close = () =>
      new Promise<void>((resolve) => {
        stopReloading();
        server.close(() => resolve());
      });
    const listening = await new Promise<number>((resolve, reject) => {
      server.once('listening', () => resolve((server.address() as AddressInfo).port));
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new CliError({ key: 'cli.errors.portInUse', values: { port, host } })
            : error,
        ),
      );
    }).catch((error: unknown) => {
      stopReloading();
      throw error;
    });
    return { server, listening, close, stopReloading };
  };
  // One process takes the port before any store is opened: a start that fails because the port is in
  // use creates and changes nothing. A worker of `--workers N` listens only once its stores are open:
  // its primary hands it connections as soon as it listens, and a replacement for a worker that died
  // must not answer 503 while the others could serve.
  let taken = cluster.isWorker ? undefined : await take();
  const closeServer = async () => taken?.close();
  let store;
  try {
    store = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  } catch (error) {
    await closeServer();
    throw error;
  }
  try {
    // Workers of `--workers N` start on stores their primary prepared.
    if (!prepared) await initialise(store, config, opts.example === true);
  } catch (error) {
    await store.close();
    await closeServer();
    throw error;
  }
  let stats: StatsStore | undefined;
  try {
    stats = await openServeStats(config, store, opts.example === true, !prepared);
  } catch (error) {
    stats?.close();
    await store.close();
    await closeServer();
    throw error;
  }
  const jobsDir = path.join(config.dataDir, 'jobs');
  // Fetch jobs download the catalogue's files here (from a mirror of it when one is named), as marco fetch.
  const mirror = opts.env.MARCO_FETCH_MIRROR;
  if (mirror !== undefined && !/^https?:\/\/\S+$/.test(mirror))
    throw new CliError({ key: 'fetch.badMirror', values: { value: JSON.stringify(mirror) } });
  const fetch = { downloadsDir: path.join(config.dataDir, 'downloads'), ...(mirror ? { mirror } : {}) };
  ready.app = createApp({
    store,
    stats,
    version: VERSION,
    jobsDir,
    fetch,
    mailConfigured: notify.mail !== null,
    corsOrigins: cors,
    networks,
    ...(cursorKey ? { cursorKey } : {}),
    ...(trustedProxies ? { trustedProxies } : {}),
    // 0: no budget of requests (failed authentications keep theirs).
    ...(perMinute === undefined
      ? {}
      : { limits: { requestsPerMinute: perMinute === 0 ? Number.MAX_SAFE_INTEGER : perMinute } }),
  });
  try {
    taken ??= await take();
  } catch (error) {
    await (stats.shutdown ? stats.shutdown() : stats.close());
    await store.close();
    throw error;
  }
  const { server, listening, stopReloading } = taken;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${listening}/`;
  const publicUrl = notify.publicUrl ?? url;
  // Notices are read from the audit log and sent in the background, while the server serves.
  const courier = startCourier(
    store,
    stats,
    {
      ...(notify.mail ? { mail: openMailTransport(notify.mail) } : {}),
      compose: (m) => noticeMail(m.language, m.name, m.event, m.subject, publicUrl),
    },
    { intervalMs: notify.roundSeconds * 1000 },
  );
  // Long work (reports, evaluations) runs in the background, in the same process, from the jobs queue.
  // Report PDFs are printed by one Chromium, kept open while reports are queued and closed when idle.
  const printer = openPdfPrinter();
  const worker = await startWorker(store, {
    dir: jobsDir,
    handlers: pinned(stats, jobHandlers(store, stats, VERSION, fetch, printer)),
    // The embedded store is this process's alone: a job left running was a dead process's.
    soleWorker: store.kind === 'pglite',
  });
  if (!cluster.isWorker) out(t('cli.serving', { url, kind: store.kind, location: store.location }));
  // A worker of `--workers N` tells its primary it serves (its stores are open): see serve-cluster.ts.
  else process.send?.({ marco: 'ready', port: listening });
  await new Promise<void>((resolve, reject) => {
    const stop = () => {
      stopReloading();
      server.close(async () => {
        await courier.stop();
        await worker.stop();
        await printer.close();
        await (stats.shutdown ? stats.shutdown() : stats.close());
        await store.close().then(resolve, reject);
        // A worker of `--workers N` is tied to its primary by a channel that keeps it alive: let go.
        cluster.worker?.disconnect();
      });
    };
    // A worker of `--workers N` stops when its primary says so (SIGTERM); Ctrl+C reaches the whole
    // process group, and the primary turns it into that.
    if (cluster.isWorker) process.on('SIGINT', () => undefined);
    else process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Each job reads one statistics generation from start to end (with generations). */
function pinned(stats: StatsStore, handlers: Record<string, JobHandler>): Record<string, JobHandler> {
  const pin = stats.pin?.bind(stats);
  if (!pin) return handlers;
  return Object.fromEntries(
    Object.entries(handlers).map(([kind, run]) => [kind, (ctx) => pin(() => run(ctx))]),
  );
}
