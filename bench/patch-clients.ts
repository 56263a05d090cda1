/**
 * The PATCH load of the trust bench, sent from a worker thread: the clients' own work (building
 * requests, parsing answers) runs on another thread, as it would on other machines, instead of sharing
 * the server's event loop and inflating the figures it measures. Each of `clients` loops edits results
 * in turn, carrying the version it last read.
 * @module
 */
import { Worker } from 'node:worker_threads';

// Plain JavaScript, evaluated in the worker: no loader needed.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
(async () => {
  const { base, token, ids, clients, writes } = workerData;
  const times = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < writes) {
      const i = next++;
      const r = ids[(i * 7919) % ids.length];
      const start = performance.now();
      const res = await fetch(base + '/api/v1/results/' + r.id, {
        method: 'PATCH',
        headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
        body: JSON.stringify({ version: r.version, value: 2 + i }),
      });
      const body = await res.json();
      if (res.status !== 200) throw new Error('PATCH ' + r.id + ': ' + res.status + ' ' + JSON.stringify(body));
      r.version = body.version;
      times.push(performance.now() - start);
    }
  }));
  parentPort.postMessage({ times, seconds: (performance.now() - t0) / 1000 });
})().catch((error) => { throw error; });
`;

/** Sends `writes` PATCHes from `clients` concurrent loops; each call's milliseconds and the elapsed time. */
export function patchFromWorker(input: {
  base: string;
  token: string;
  ids: { id: number; version: number }[];
  clients: number;
  writes: number;
}): Promise<{ times: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: input });
    worker.once('message', (m: { times: number[]; seconds: number }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
