/**
 * The PATCH load of the trust bench, sent from a worker thread: the clients' own work (building
 * requests, parsing answers) runs on another thread, as it would on other machines, instead of sharing
 * the server's event loop and inflating the figures it measures. Each of `clients` loops edits results
 * in turn, carrying the version it last read.
 *
 * The clients use `node:http` with keep-alive connections, not `fetch`: on the bench's two cores the
 * clients share the server's CPU, and `fetch` (undici's WHATWG layer) spent about 1 ms of CPU per
 * request, 40% of what the server spends on a whole PATCH, where a remote client's CPU would be its own.
 * @module
 */
import { runClients } from './worker.js';

// Plain JavaScript, evaluated in the worker: no loader needed.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const http = require('node:http');

/** One PATCH over the agent's kept-alive connections: its status and parsed answer. */
function patch(agent, url, token, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'PATCH',
      agent,
      headers: {
        authorization: 'Bearer ' + token,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

(async () => {
  const { base, token, ids, clients, writes } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const times = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < writes) {
      const i = next++;
      const r = ids[(i * 7919) % ids.length];
      const start = performance.now();
      const payload = JSON.stringify({ version: r.version, value: 2 + i });
      const { status, body } = await patch(agent, base + '/api/v1/results/' + r.id, token, payload);
      if (status !== 200) throw new Error('PATCH ' + r.id + ': ' + status + ' ' + JSON.stringify(body));
      r.version = body.version;
      times.push(performance.now() - start);
    }
  }));
  agent.destroy();
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
  return runClients(WORKER, input);
}
