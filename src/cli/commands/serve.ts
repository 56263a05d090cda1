/**
 * `marco serve`: initialise the stores if needed and serve the API and home page until interrupted.
 * @module
 */
import { serve } from '@hono/node-server';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { openRecords } from '../../records/database.js';
import { createApp } from '../../server/app.js';
import { auditImport } from '../../custody/statistics-custody.js';
import { ensureFigures } from '../../stats/claims.js';
import { openStats } from '../../stats/stats-store.js';
import { VERSION } from '../../package.js';
import { initialise } from './init.js';

export async function runServe(
  config: Config,
  opts: { port?: string; host?: string; example?: boolean; env: NodeJS.ProcessEnv },
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const portText = opts.port ?? opts.env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535)
    throw new CliError(`--port ${JSON.stringify(portText)}: expected a port number between 0 and 65535`);
  const host = opts.host ?? opts.env.HOST ?? '127.0.0.1';
  const store = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    await initialise(store, config, opts.example === true);
  } catch (error) {
    await store.close();
    throw error;
  }
  let stats;
  try {
    stats = await openStats({ dataDir: config.dataDir });
    // The built-in documented figures are an import like any other, so they are audited.
    const figures = await ensureFigures(stats, VERSION);
    if (figures) await auditImport(stats, store, figures, 'built-in', { actor: 'marco' });
  } catch (error) {
    stats?.close();
    await store.close();
    throw error;
  }
  const app = createApp({ store, stats, version: VERSION });
  await new Promise<void>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      out(
        t('cli.serving', {
          url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}/`,
          kind: store.kind,
          location: store.location,
        }),
      );
    });
    server.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError(`port ${port} on ${host} is in use: choose another with --port`)
          : error,
      ),
    );
    const stop = () => {
      server.close(() => {
        stats.close();
        store.close().then(resolve, reject);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
