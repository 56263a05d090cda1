/**
 * The server's notice round: every few seconds, read the audit log into notices (`notifier.ts`) and
 * send what is due (`dispatch.ts`). Rounds never overlap; a failed round is reported (without secrets)
 * and the next one tries again. Stopping waits for the round under way.
 * @module
 */
import type { RecordsStore } from '../records/database.js';
import type { StatsStore } from '../stats/stats-store.js';
import { dispatchDue, redactSecrets, type Channels } from './dispatch.js';
import { notifyPending } from './notifier.js';

export interface Courier {
  /** One round now (what the interval does); resolves when it is done. */
  round(): Promise<void>;
  stop(): Promise<void>;
}

export function startCourier(
  store: RecordsStore,
  stats: StatsStore | undefined,
  channels: Channels,
  options: { intervalMs?: number; report?: (message: string) => void } = {},
): Courier {
  const intervalMs = options.intervalMs ?? 10_000;
  const report = options.report ?? ((m: string) => console.error(m));
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const once = async () => {
    try {
      // A round reads one statistics generation (with generations), however long it takes.
      const notify = () => notifyPending(store, stats, channels.now ? { now: channels.now } : {});
      await (stats?.pin ? stats.pin(notify) : notify());
      await dispatchDue(store, channels);
    } catch (error) {
      report(`marco: notices: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
  };
  const round = () => (running = running.then(once));
  const timer = setInterval(() => {
    if (!stopped) void round();
  }, intervalMs);
  timer.unref();
  return {
    round,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
