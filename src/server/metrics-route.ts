/**
 * `GET /metrics`: Prometheus metrics in the text format, through prom-client. The process's own and the
 * store query durations (`src/metrics.ts`), and the server's: request durations by method, route (the
 * route's pattern, never the path a client sent) and status; jobs queued and running; the statistics
 * generation read now (with generations); the stores' sizes on disk. Each process answers for itself
 * (with `--workers N`, a scrape reaches one worker: scrape each host's processes, or read them as a
 * sample). Open like the health probes (`read`): route patterns and counts only, no user, record or
 * address; a deployment that wants it private closes `/metrics` at its reverse proxy.
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
    async collect() {
      const counts = await jobCounts(store);
      this.set({ status: 'queued' }, counts.queued);
      this.set({ status: 'running' }, counts.running);
    },
  });
  if (stats?.generation)
    new Gauge({
      name: 'marco_statistics_generation',
      help: 'The statistics generation this process reads',
      registers: [registry],
      collect() {
        this.set(stats.generation!());
      },
    });
  new Gauge({
    name: 'marco_store_bytes',
    help: 'Size of each store on disk, in bytes',
    labelNames: ['store'] as const,
    registers: [registry],
    async collect() {
      this.set({ store: 'records' }, await recordsBytes(store));
      if (stats && stats.location !== 'memory')
        this.set({ store: 'statistics' }, (await stat(stats.location).catch(() => ({ size: 0 }))).size);
    },
  });
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
      const merged = Registry.merge([processRegistry, registry]);
      return c.body(await merged.metrics(), 200, {
        'content-type': merged.contentType,
        'cache-control': 'no-store',
      });
    },
  };
}
