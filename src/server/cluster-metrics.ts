/**
 * `/metrics` under `marco serve --workers N`: one scrape answers for every worker. The primary hands each
 * connection to a worker in turn, so without this a scraper would read one worker's counters, then
 * another's, and see them jump back and forth. Instead the worker that receives the scrape asks the
 * primary over the cluster channel; the primary gathers every worker's registries through prom-client's
 * `AggregatorRegistry` and answers with their aggregate: counts and durations summed, the memory of all
 * workers summed, the statistics generation as the oldest any worker reads, the job queue and store
 * sizes as one worker sees them (they are the deployment's, not the process's).
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const ASK = 'marco:metrics?';
const ANSWER = 'marco:metrics';
/** How long a worker waits for the primary's aggregate (prom-client gives each worker 5 s). */
const WAIT_MS = 8000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/**
 * In a worker of `--workers N`: lets the primary read `registries`, and returns how to ask it for the
 * aggregate of every worker. Null in any other process (its own registries are the answer).
 */
export function clusterMetricsOfWorker(registries: Registry[]): (() => Promise<string>) | null {
  if (!cluster.isWorker || !process.send) return null;
  // Constructing one makes prom-client answer the primary's requests for this worker's metrics.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries(registries);
  let next = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: Answer | null) => {
    if (message?.type !== ANSWER) return;
    const asked = waiting.get(message.id);
    if (!asked) return;
    waiting.delete(message.id);
    if (message.error !== undefined) asked.reject(new Error(message.error));
    else asked.resolve(message.text ?? '');
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const late = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`no answer from the primary in ${WAIT_MS} ms`));
      }, WAIT_MS);
      waiting.set(id, {
        resolve: (text) => {
          clearTimeout(late);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(late);
          reject(error);
        },
      });
      process.send!({ type: ASK, id });
    });
}

/** In the primary of `--workers N`: answers each worker's request with every worker's aggregate. */
export function answerClusterMetrics(): () => void {
  const aggregator = new AggregatorRegistry();
  const onMessage = (worker: Worker, message: { type?: unknown; id?: unknown } | null) => {
    if (message?.type !== ASK || typeof message.id !== 'number') return;
    const id = message.id;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id, ...answer });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
