/**
 * Several server processes against one (issue 18): the series throughput of 3 `marco serve` processes
 * on one PostgreSQL database and one statistics directory, against 1 process, under the same clients,
 * each for 20 s of series reads; and, from a short soak with an import half-way, how much longer than
 * usual a request waits when a generation is published. On a machine with fewer cores than processes
 * the ratio is bounded by the cores, so it is also reported per core. Needs a PostgreSQL server
 * (`DATABASE_URL`, else the local one); without one the section is skipped, saying so.
 * @module
 */
import os from 'node:os';
import pg from 'pg';
import { runSoak } from './soak/soak-run.js';
import { fmtMs, fmtX, table } from './print.js';
import { section, type BenchContext, type Section } from './runner.js';

export const GOAL_PUBLISH_EXTRA_MS = 100;
export const GOAL_RATIO = 2.5;
const SECONDS = 20;
const CLIENTS = 8;

interface ScaleBench {
  cores: number;
  one: number;
  three: number;
  publishExtraMs: number;
  importMs: number;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function measureScale({ progress }: BenchContext): Promise<ScaleBench | { skipped: string }> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(serverUrl))) return { skipped: `no PostgreSQL server at ${new URL(serverUrl).host}` };
  const throughput = async (processes: number) => {
    progress(`scale: ${processes} process(es), ${SECONDS} s of series reads from ${CLIENTS} clients`);
    const r = await runSoak({ seconds: SECONDS, processes, clients: CLIENTS, serverUrl, readsOnly: true });
    if (r.kinds.series.errors > 0) throw new Error(`scale: ${r.kinds.series.errors} series requests failed`);
    return r.kinds.series.requests / SECONDS;
  };
  const one = await throughput(1);
  const three = await throughput(3);
  progress('scale: a 30 s soak with an import half-way');
  const soak = await runSoak({ seconds: 30, processes: 3, clients: CLIENTS, serverUrl });
  return {
    cores: os.availableParallelism(),
    one,
    three,
    publishExtraMs: soak.publishExtraMs,
    importMs: soak.generations.importMs,
  };
}

export function benchScale(ctx: BenchContext): Promise<Section<ScaleBench>> {
  return section(
    ctx,
    'scale',
    () => measureScale(ctx),
    (r) => {
      const title = 'Several server processes on one PostgreSQL (issue 18)';
      if ('skipped' in r) return [title, `  skipped: ${r.skipped}`];
      const ratio = r.three / r.one;
      return [
        title,
        ...table(
          ['figure', ' value'],
          [
            ['series throughput, 1 process (reference)', `${r.one.toFixed(1)} /s`],
            ['series throughput, 3 processes', `${r.three.toFixed(1)} /s`],
            ['import that publishes a generation (6 MB)', fmtMs(r.importMs)],
            ['longest extra wait of a request around the publication', fmtMs(r.publishExtraMs)],
          ],
        ),
        `  ratio: 3 processes ${fmtX(ratio)} 1 process, on ${r.cores} cores: ${fmtX(ratio / r.cores)} per core`,
        ...(r.cores < 4
          ? [
              `  (the ${GOAL_RATIO}× goal needs 4 cores or more, for three servers and the clients that load them; on ${r.cores} it is reported, not judged)`,
            ]
          : []),
      ];
    },
    (r) => {
      const ratio = r.three / r.one;
      // Three servers and the load generator need 4 cores before the ratio can say anything about Marco;
      // on fewer it is printed above, not judged.
      return [
        ...(r.cores >= 4
          ? [
              {
                goal: `3 processes ≥ ${GOAL_RATIO}× 1 process's series throughput`,
                value: ratio,
                display: fmtX(ratio),
                met: ratio >= GOAL_RATIO,
              },
            ]
          : []),
        {
          goal: `publishing a generation: no request waits > ${GOAL_PUBLISH_EXTRA_MS} ms longer than usual`,
          value: r.publishExtraMs,
          display: fmtMs(r.publishExtraMs),
          met: r.publishExtraMs < GOAL_PUBLISH_EXTRA_MS,
        },
      ];
    },
  );
}
