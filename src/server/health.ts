/**
 * Probes for whoever runs Marco (a load balancer, systemd, Kubernetes): `GET /healthz` answers 200 while
 * the process serves at all (liveness: restart it if not); `GET /readyz` answers 200 only when the
 * records store answers a query within two seconds, its migrations are those of this release, and the
 * statistics store answers (the checks are kept a second, so a flood of probes is one query a second), and 503 with each failed check otherwise (readiness: send it no traffic
 * until it is ready). Both are open (`read`), are not rate-limited, carry no session and are never
 * cached; neither says more than `ok` or `failed` of a store, so they tell an outsider nothing about
 * the data or the infrastructure (no host, port or driver message). The failed checks' texts are in the
 * reader's language.
 * @module
 */
import type { Context } from 'hono';
import type { Permission } from '../access/permissions.js';
import { translator, type Locale } from '../i18n/index.js';
import { pendingMigrations, type RecordsStore } from '../records/database.js';
import type { StatsStore } from '../stats/stats-store.js';

export const HEALTH_ROUTES = [
  { method: 'get', path: '/healthz', permission: 'read' },
  { method: 'get', path: '/readyz', permission: 'read' },
] as const satisfies { method: string; path: string; permission: Permission }[];

/** How long a store has to answer before it counts as not ready. */
export const READY_TIMEOUT_MS = 2000;

type Check = 'ok' | 'failed' | 'absent';

export interface Readiness {
  ready: boolean;
  checks: { records: Check; migrations: Check; statistics: Check };
  /** Why each failed check failed, in the reader's language. */
  problems: string[];
}

/** `promise`, or a rejection once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What the checks found, before it is put in words. */
interface Found {
  checks: Readiness['checks'];
  pending: number;
}

/** Each store's last checks, kept a second: a flood of probes costs one query a second, not one each. */
const recent = new WeakMap<
  RecordsStore,
  { at: number; stats: StatsStore | undefined; found: Promise<Found> }
>();
const KEEP_MS = 1000;

async function check(store: RecordsStore, stats: StatsStore | undefined, timeoutMs: number): Promise<Found> {
  const checks: Readiness['checks'] = { records: 'ok', migrations: 'ok', statistics: 'absent' };
  let pending = 0;
  try {
    pending = (await within(pendingMigrations(store), timeoutMs)).length;
    if (pending > 0) checks.migrations = 'failed';
  } catch {
    // The reason (a host, a port, a driver's message) stays out of an open answer.
    checks.records = 'failed';
    checks.migrations = 'failed';
  }
  if (stats)
    try {
      await within(stats.all('select 1'), timeoutMs);
      checks.statistics = 'ok';
    } catch {
      checks.statistics = 'failed';
    }
  return { checks, pending };
}

/** Checks the stores (or takes the checks of the last second); never throws. */
export async function readiness(
  store: RecordsStore,
  stats: StatsStore | undefined,
  locale: Locale,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<Readiness> {
  const now = Date.now();
  let kept = recent.get(store);
  if (!kept || kept.stats !== stats || now - kept.at > KEEP_MS) {
    kept = { at: now, stats, found: check(store, stats, timeoutMs) };
    recent.set(store, kept);
  }
  const { checks, pending } = await kept.found;
  const t = translator(locale);
  const seconds = timeoutMs / 1000;
  const problems = [
    ...(checks.records === 'failed' ? [t('http.ready.records', { seconds })] : []),
    ...(checks.records === 'ok' && checks.migrations === 'failed'
      ? [t('http.ready.migrations', { count: pending })]
      : []),
    ...(checks.statistics === 'failed' ? [t('http.ready.statistics', { seconds })] : []),
  ];
  return { ready: problems.length === 0, checks, problems };
}

const NO_STORE = { 'cache-control': 'no-store' };

/** `GET /healthz`: the process answers. */
export const liveness = (c: Context, version: string | undefined) =>
  c.json({ status: 'ok', ...(version ? { version } : {}) }, 200, NO_STORE);

/** `GET /readyz`: 200 when every check passes, else 503 with the failed ones. */
export async function readinessAnswer(
  c: Context,
  store: RecordsStore,
  stats: StatsStore | undefined,
  locale: Locale,
) {
  const r = await readiness(store, stats, locale);
  return c.json(
    {
      status: r.ready ? 'ready' : 'not_ready',
      checks: r.checks,
      ...(r.ready ? {} : { problems: r.problems }),
    },
    r.ready ? 200 : 503,
    NO_STORE,
  );
}
