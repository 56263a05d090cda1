/**
 * Runs a bench's HTTP clients on a worker thread (plain JavaScript `code`, evaluated), so their work
 * does not share the server's event loop; resolves with each request's milliseconds and the elapsed time.
 * @module
 */
import { Worker } from 'node:worker_threads';

export function runClients(code: string, input: unknown): Promise<{ times: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: input });
    worker.once('message', (m: { times: number[]; seconds: number }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
