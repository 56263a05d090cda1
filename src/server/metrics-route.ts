/**
 * `GET /metrics`: Prometheus metrics in the text format, through prom-client. The process's own and the
 * store query durations (`src/metrics.ts`), and the server's: request durations by method, route (the
 * route's pattern, never the path a client sent) and status; jobs queued and running; the statistics
 * generation read now (with generations); the stores' sizes on disk. A process answers for itself; a
 * worker of `--workers N` answers for all the workers of its primary (`cluster-metrics.ts`). Open like
 * the health probes (`read`): route patterns and counts only, no user, record or address; a deployment
 * that wants it private closes `/metrics` at its reverse proxy.
 * @module
 */
import { stat } from 'node:fs/promises';
import type { Context, MiddlewareHandler } from 'hono';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { Permission } from '../access/permissions.js';
import { collectProcessMetrics, processRegistry } from '../metrics.js';
import type { RecordsStore } from '../records/database.js';
import { jobCounts } from '../records/job-repository.js';
import { recordsBytes } from '../records/records-size.js';
import type { StatsStore } from '../stats/stats-store.js';
import { matchLocale, translator } from '../i18n/index.js';
import { log } from '../log.js';
import { clusterMetricsOfWorker } from './cluster-metrics.js';

export const METRICS_ROUTE = { method: 'get', path: '/metrics', permission: 'read' } as const satisfies {
  method: string;
  path: string;
  permission: Permission;
};

export interface ServerMetrics {
  /** Times every request (registered first, so it sees the whole answer). */
  middleware: MiddlewareHandler;
  answer(c: Context): Promise<Response>;
}

export function serverMetrics(store: RecordsStore, stats: StatsStore | undefined): ServerMetrics {
  collectProcessMetrics();
  const registry = new Registry();
  const requests = new Histogram({
    name: 'marco_http_request_duration_seconds',
    help: 'Duration of HTTP requests, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'marco_jobs',
    help: 'Background jobs queued and running (the queue depth)',
    labelNames: ['status'] as const,
    registers: [registry],
    // The deployment's queue, the same from every worker.
    aggregator: 'first',
    async collect() {
      const counts = await jobCounts(store);
      this.set({ status: 'queued' }, counts.queued);
      this.set({ status: 'running' }, counts.running);
    },
  });
  if (stats?.generation)
    new Gauge({
      name: 'marco_statistics_generation',
      help: 'The statistics generation this process reads (with --workers: the oldest any worker reads)',
      registers: [registry],
      aggregator: 'min',
      collect() {
        this.set(stats.generation!());
      },
    });
  new Gauge({
    name: 'marco_store_bytes',
    help: 'Size of each store on disk, in bytes',
    labelNames: ['store'] as const,
    registers: [registry],
    aggregator: 'max',
    async collect() {
      this.set({ store: 'records' }, await recordsBytes(store));
      if (stats && stats.location !== 'memory')
        this.set({ store: 'statistics' }, (await stat(stats.location).catch(() => ({ size: 0 }))).size);
    },
  });
  const merged = Registry.merge([processRegistry, registry]);
  const ofAllWorkers = clusterMetricsOfWorker([processRegistry, registry]);
  const headers = { 'content-type': merged.contentType, 'cache-control': 'no-store' };
  return {
    async middleware(c, next) {
      const end = requests.startTimer();
      try {
        await next();
      } finally {
        end({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) });
      }
    },
    async answer(c) {
      if (!ofAllWorkers) return c.body(await merged.metrics(), 200, headers);
      try {
        return c.body(await ofAllWorkers(), 200, headers);
      } catch (error) {
        const reason = (error as Error).message;
        log.warn({ reason }, 'metrics: the aggregate of the workers did not arrive');
        const t = translator(matchLocale(c.req.header('accept-language')) ?? 'en');
        return c.body(`${t('metrics.unavailable', { reason })}\n`, 503, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          'retry-after': '5',
        });
      }
    },
  };
}
