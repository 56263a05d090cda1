/**
 * Marco's Prometheus metrics (prom-client): the process's own (memory, CPU, event-loop delay, garbage
 * collection, under `marco_`) and the durations of store queries, kept in this registry; each server
 * adds its requests and its gauges in a registry of its own (`server/metrics-route.ts`), and `/metrics`
 * answers both.
 * @module
 */
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const processRegistry = new Registry();

let collecting = false;
/** Starts the process's own metrics, once, when a server starts: a command never pays for them. */
export function collectProcessMetrics(): void {
  if (collecting) return;
  collecting = true;
  collectDefaultMetrics({ register: processRegistry, prefix: 'marco_' });
}

/** Seconds a query of a store took: `records` (PostgreSQL or PGlite) or `statistics` (DuckDB). */
export const storeQueryDuration = new Histogram({
  name: 'marco_store_query_duration_seconds',
  help: 'Duration of store queries, by store',
  labelNames: ['store'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [processRegistry],
});
