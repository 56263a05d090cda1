/**
 * Form posts for the monitoring bench, sent from a worker thread like the trust bench's PATCHes
 * (`patch-clients.ts`): `clients` concurrent loops post `posts` forms over keep-alive `node:http`
 * connections, with the session cookie and the page's Origin, each body built from a template in which
 * `{i}` is the post's number, and each answer must be the 303 of a saved form.
 * @module
 */
import { runClients } from './worker.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const http = require('node:http');

function post(agent, url, cookie, origin, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        cookie,
        origin,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(payload),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

(async () => {
  const { url, origin, cookie, template, clients, posts, offset } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const times = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < posts) {
      const i = offset + next++;
      const start = performance.now();
      const { status, text } = await post(agent, url, cookie, origin, template.replaceAll('{i}', String(i)));
      if (status !== 303) throw new Error('POST ' + i + ': ' + status + ' ' + text.slice(0, 500));
      times.push(performance.now() - start);
    }
  }));
  agent.destroy();
  parentPort.postMessage({ times, seconds: (performance.now() - t0) / 1000 });
})().catch((error) => { throw error; });
`;

/** Posts `posts` forms from `clients` concurrent loops; each post's milliseconds and the elapsed time. */
export function postFormsFromWorker(input: {
  url: string;
  origin: string;
  cookie: string;
  template: string;
  clients: number;
  posts: number;
  offset: number;
}): Promise<{ times: number[]; seconds: number }> {
  return runClients(WORKER, input);
}
