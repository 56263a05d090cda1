/**
 * `npm run soak -- --minutes 10 [--processes 3] [--clients 8] [--json] [--timeline FILE]
 * [--requests FILE]`: the loopback soak of `soak-run.ts` against a PostgreSQL server (`DATABASE_URL`, by
 * default the local one's `postgres` database, on which a database of the soak's own is made and
 * dropped). Prints each kind's requests, errors, p50 and p99, the import that published a generation
 * half-way, how much longer than usual a request waited around it, and each process's memory after
 * warm-up and at the end (resident, and the V8 heap's share). For a closer look, `--timeline` writes
 * every 2 s memory sample as JSON lines, and `--requests` every request (kind, process, start, duration,
 * generation) and the import. Exits 1 when any request failed, an answer mixed two generations, or a
 * process's memory grew 10% or more after warm-up.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runSoak } from './soak-run.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    processes: { type: 'string', default: '3' },
    clients: { type: 'string', default: '8' },
    json: { type: 'boolean', default: false },
    timeline: { type: 'string' },
    requests: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const processes = Number(values.processes);
const clients = Number(values.clients);
if (
  !(minutes > 0 && minutes <= 600) ||
  !Number.isInteger(processes) ||
  processes < 1 ||
  !Number.isInteger(clients) ||
  clients < 1
) {
  process.stderr.write(
    'soak: --minutes must be above 0 (at most 600), --processes and --clients whole numbers from 1\n',
  );
  process.exit(2);
}
const timeline = values.timeline;
if (timeline !== undefined) writeFileSync(timeline, '');
const requests = values.requests;
if (requests !== undefined) writeFileSync(requests, '');
/** Request lines are many: they are written in batches. */
let pending: string[] = [];
const flush = () => {
  if (requests !== undefined && pending.length) appendFileSync(requests, pending.join(''));
  pending = [];
};
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const report = await runSoak({
  seconds: Math.round(minutes * 60),
  processes,
  clients,
  serverUrl,
  progress: (line) => process.stderr.write(`soak: ${line}\n`),
  ...(timeline === undefined
    ? {}
    : { timeline: (pid, sample) => appendFileSync(timeline, `${JSON.stringify({ pid, ...sample })}\n`) }),
  ...(requests === undefined
    ? {}
    : {
        requests: (line) => {
          pending.push(`${JSON.stringify(line)}\n`);
          if (pending.length >= 1000) flush();
        },
      }),
});
flush();
const failed =
  Object.values(report.kinds).some((k) => k.errors > 0) ||
  report.errors.length > 0 ||
  report.mixed > 0 ||
  report.memory.some((m) => m.growth >= 0.1);
if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const lines = [
    `Soak: ${minutes} min, ${processes} processes on one PostgreSQL, ${clients} clients`,
    '',
    'kind     requests   errors      p50      p99      max',
    ...Object.entries(report.kinds).map(
      ([kind, k]) =>
        `${kind.padEnd(8)} ${String(k.requests).padStart(8)} ${String(k.errors).padStart(8)} ${ms(k.p50).padStart(8)} ${ms(k.p99).padStart(8)} ${ms(k.max).padStart(8)}`,
    ),
    '',
    `throughput: ${(Object.values(report.kinds).reduce((a, k) => a + k.requests, 0) / report.seconds).toFixed(1)} requests/s`,
    `import half-way: generation ${report.generations.before} → ${report.generations.after} in ${ms(report.generations.importMs)}; ${report.generations.servedAfter} series answers from the new one`,
    `answers mixing generations: ${report.mixed}`,
    `slowest series request within 5 s of the publication, beyond the p99 of the 20 s before: ${ms(report.publishExtraMs)} (goal < 100 ms)`,
    `  answers from the generation left: ${ms(report.publishExtraByGeneration.old)}; from the one published: ${ms(report.publishExtraByGeneration.new)}`,
    `  the same figure away from the import (${report.quietExtraMs.windows} windows of 5 s): median ${ms(report.quietExtraMs.median)}, max ${ms(report.quietExtraMs.max)}`,
    '',
    'resident memory (V8 heap):',
    'process   after warm-up         before the import   at the end            growth',
    ...report.memory.map(
      (m) =>
        `${String(m.pid).padEnd(9)} ${`${m.warmMb.toFixed(0)} MB (${m.heapWarmMb.toFixed(0)} MB)`.padEnd(21)} ${`${m.beforePublishMb.toFixed(0)} MB`.padEnd(19)} ${`${m.endMb.toFixed(0)} MB (${m.heapEndMb.toFixed(0)} MB)`.padEnd(21)} ${`${(100 * m.growth).toFixed(1)}%`.padStart(6)}`,
    ),
    ...(report.errors.length ? ['', 'errors:', ...report.errors] : []),
    '',
    failed ? 'FAILED' : 'OK: no error, no mixed answer, memory stable',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exit(failed ? 1 : 0);
