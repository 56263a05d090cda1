/**
 * Placebo replications (`placebo.ts`) spread over worker threads. Each replication is independent of the
 * others once its order of the controls is drawn, so the orders are drawn here first, in R's sequence
 * (the same draws as one thread makes), and the threads share the panel and the Gram matrices of all
 * controls through shared memory. The estimates come back by replication number, so the standard error is
 * the same, to the last digit, as one thread's. On 2,400 donors × 120 pre-treatment months a replication
 * takes about 120 ms; two threads halve the 200 replications' time, and the main thread stays free to
 * answer requests while they run.
 *
 * A thread loads this module again. From the compiled JavaScript that is plain `import`; from the
 * TypeScript sources (tests, `tsx`), the thread first registers `tsx`, a development dependency.
 * @module
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  placeboReport,
  placeboShared,
  replicate,
  type FittedForPlacebo,
  type PlaceboReport,
  type PlaceboShared,
} from './placebo.js';
import type { BlockPanel } from './synthdid.js';

/** What a thread is sent: the panel and Gram matrices in shared memory, the fit, its replications. */
interface ThreadData {
  panel: Omit<BlockPanel, 'y'> & { y: Float64Array };
  fitted: FittedForPlacebo;
  units?: Float64Array | undefined;
  times?: { size: number; rows: Float64Array; outer: Float64Array; controls: number } | undefined;
  /** Replication numbers and their drawn orders of the controls. */
  jobs: { b: number; drawn: number[] }[];
  module: string;
  tsx?: string | undefined;
}

type ThreadMessage = { b: number; estimate: number; converged: boolean } | { error: string };

/** A thread's work: its replications, each answered as it ends. */
export function runThread(data: ThreadData, post: (m: ThreadMessage) => void): void {
  const shared: PlaceboShared = { units: data.units, times: data.times };
  for (const { b, drawn } of data.jobs) post({ b, ...replicate(data.panel, data.fitted, drawn, shared) });
}

const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  const { runThread } = await import(workerData.module);
  runThread(workerData, (m) => parentPort.postMessage(m));
})().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
`;

/** A copy of `a` in memory the threads share. */
function sharedCopy(a: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/**
 * The placebo standard error of `fitted` from `replications` orders drawn by `shuffle`, on `threads`
 * threads. `pause` is awaited as each replication ends (it throws to cancel: the threads are stopped).
 */
export async function placeboThreaded(
  p: BlockPanel,
  fitted: FittedForPlacebo,
  replications: number,
  shuffle: (n: number) => number[],
  threads: number,
  pause: () => Promise<void>,
): Promise<PlaceboReport> {
  const n1 = p.units - p.controls;
  if (p.controls <= n1) throw new RangeError('placebo inference needs more controls than treated units');
  if (replications < 2) throw new RangeError('placebo inference needs two replications or more');
  const orders = Array.from({ length: replications }, () => shuffle(p.controls));
  const shared = placeboShared(p, fitted);
  const ts = import.meta.url.endsWith('.ts');
  const common: Omit<ThreadData, 'jobs'> = {
    panel: { units: p.units, periods: p.periods, controls: p.controls, pre: p.pre, y: sharedCopy(p.y) },
    fitted: {
      method: fitted.method,
      omega: fitted.omega,
      lambda: fitted.lambda,
      zetaOmega: fitted.zetaOmega,
      zetaLambda: fitted.zetaLambda,
      minDecrease: fitted.minDecrease,
    },
    units: shared.units && sharedCopy(shared.units),
    times: shared.times && {
      ...shared.times,
      rows: sharedCopy(shared.times.rows),
      outer: sharedCopy(shared.times.outer),
    },
    module: import.meta.url,
    // tsx's ESM entry (its package resolves the CommonJS one for `require`).
    tsx: ts
      ? pathToFileURL(
          createRequire(import.meta.url)
            .resolve('tsx/esm/api')
            .replace(/\.cjs$/, '.mjs'),
        ).href
      : undefined,
  };
  const estimates = new Array<number>(replications);
  let unconverged = 0;
  let done = 0;
  const count = Math.max(1, Math.min(threads, replications));
  const jobs = Array.from({ length: count }, (_, w) =>
    orders.flatMap((drawn, b) => (b % count === w ? [{ b, drawn }] : [])),
  );
  const workers: Worker[] = [];
  try {
    for (const own of jobs)
      workers.push(
        new Worker(THREAD, { eval: true, workerData: { ...common, jobs: own } satisfies ThreadData }),
      );
    await new Promise<void>((resolve, reject) => {
      workers.forEach((worker, w) => {
        let answered = 0;
        worker.on('message', (m: ThreadMessage) => {
          if ('error' in m) return reject(new Error(`a placebo thread failed: ${m.error}`));
          estimates[m.b] = m.estimate;
          answered++;
          if (!m.converged) unconverged++;
          if (++done === replications) resolve();
          else pause().catch(reject);
        });
        worker.on('error', reject);
        // A thread that ends before answering all its replications died (out of memory, killed).
        worker.on('exit', (code) => {
          if (answered < jobs[w]!.length)
            reject(
              new Error(`a placebo thread ended after ${answered} of its replications (exit code ${code})`),
            );
        });
      });
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return placeboReport(estimates, unconverged);
}
