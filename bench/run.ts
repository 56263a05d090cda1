/**
 * `npm run bench`: the performance figures of Marco (issue 3, "Performance"), each with a reference
 * measured in the same run, so the ratios mean the same thing on any machine. This entry parses the
 * options, prints the machine, runs the selected sections in order and ends with the Goals table; each
 * section lives in its own file:
 *
 * 1. `ingest.ts`: ingest of `inegi-homicides-municipal` against plain DuckDB `read_csv` → `CREATE TABLE`.
 * 1b. `victims.ts`: ingest of `sesnsp-victims` (bzip2) against DuckDB reading the decompressed CSV.
 * 2. `series.ts`: series query p50/p99 over a seeded mix against a loaded store, against hand-written SQL.
 * 3. `memory.ts`: peak memory of each import, each in a child process, against a child that only opens
 *    an empty store.
 * 4. `web.ts`: server response times and JavaScript weight of the main pages.
 * 5. `eval.ts`: TWFE event study, Callaway–Sant'Anna and randomization inference, against R estimatr.
 * 5b. `synth.ts`: synthetic control with V and synthetic DiD with 200 placebo replications (issue 19).
 * 6. `trust.ts`: PATCH on PostgreSQL with 20,000 results, server memory under maximal series requests,
 *    and the cost of rate limiting (issue 11).
 * 7. `monitoring.ts`: result entry through the web form, with a session, against plain INSERTs, and the
 *    JavaScript of the monitoring pages (issue 13).
 * 8. `exchange.ts`: bulk results import, compressed JSON and Parquet downloads (issue 14).
 * 9. `funding.ts`: the country funding page with 10,000 lines and the IATI export of 500 programs
 *    (issue 15).
 *
 * Options: `--repeat N` (timed repetitions, default 5), `--queries N` (default 1000),
 * `--warmup-queries N` (default 30), `--seed N` (default 42), `--only ingest,victims,anomalies,series,memory,web,eval,synth,trust,monitoring,exchange,funding,reports,jobs,networks,unzip,scale`,
 * `--json` (machine output on stdout; progress always goes to stderr). Data files are read from
 * `MARCO_BENCH_DATA`, else `MARCO_SHARED_DATA`, else `../shared/data`; a figure whose file is missing is
 * skipped with the file's name, and the exit code stays 0.
 * @module
 */
import { parseArgs } from 'node:util';
import { VERSION } from '../src/package.js';
import { benchEvaluation } from './eval.js';
import { benchSynth } from './synth.js';
import { benchIngest } from './ingest.js';
import { benchMemory } from './memory.js';
import { emitter, fmtS, table, verdict } from './print.js';
import { benchNetworks } from './networks.js';
import { benchScale } from './scale.js';
import { benchData, BENCHMARKS, machineInfo, now, type BenchContext } from './runner.js';
import { benchSeries } from './series.js';
import { benchVictims } from './victims.js';
import { benchUnzip } from './unzip.js';
import { benchAnomalies } from './anomalies.js';
import { benchTrust } from './trust.js';
import { benchMonitoring } from './monitoring.js';
import { benchWeb } from './web.js';
import { benchExchange } from './exchange.js';
import { benchFunding } from './funding.js';
import { benchReports } from './reports.js';
import { benchJobs } from './jobs.js';

const { values: args } = parseArgs({
  options: {
    repeat: { type: 'string', default: '5' },
    queries: { type: 'string', default: '1000' },
    'warmup-queries': { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    only: { type: 'string', default: BENCHMARKS.join(',') },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  process.stdout.write(
    `usage: npm run bench -- [--repeat N] [--queries N] [--warmup-queries N] [--seed N] [--only ${BENCHMARKS.join(',')}] [--json]\n`,
  );
  process.exit(0);
}
const positive = (name: string, text: string, min = 1): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer ≥ ${min}, not ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return n;
};

const ctx: BenchContext = {
  options: {
    repeat: positive('repeat', args.repeat),
    queries: positive('queries', args.queries),
    warmupQueries: positive('warmup-queries', args['warmup-queries'], 0),
    seed: positive('seed', args.seed, 0),
    only: new Set(args.only.split(',').map((s) => s.trim())),
  },
  data: benchData(),
  progress: (message) => process.stderr.write(`· ${message}\n`),
};
const { options, data } = ctx;
const emit = emitter(args.json);

const started = now();
const machine = await machineInfo();
emit([
  `Marco bench — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, ${machine.os} — ${machine.date}`,
  `DuckDB ${machine.duckdb} (${machine.duckdbThreads} threads), Marco ${VERSION}, data ${data.dir}`,
]);

// Each section is printed as soon as it is measured, so a long run shows its figures as it goes.
const ingest = await benchIngest(ctx);
emit(ingest.lines);
const victims = await benchVictims(ctx);
emit(victims.lines);
const anomalies = await benchAnomalies(ctx);
emit(anomalies.lines);
const series = await benchSeries(ctx);
emit(series.lines);
const memory = await benchMemory(ctx);
emit(memory.lines);
const web = await benchWeb(ctx);
emit(web.lines);
const evaluation = await benchEvaluation(ctx);
emit(evaluation.lines);
const synth = await benchSynth(ctx);
emit(synth.lines);
const trust = await benchTrust(ctx);
emit(trust.lines);
const monitoring = await benchMonitoring(ctx);
emit(monitoring.lines);
const exchange = await benchExchange(ctx);
emit(exchange.lines);
const funding = await benchFunding(ctx);
emit(funding.lines);
const reports = await benchReports(ctx);
emit(reports.lines);
const jobs = await benchJobs(ctx);
emit(jobs.lines);
const networks = await benchNetworks(ctx);
emit(networks.lines);
const unzip = await benchUnzip(ctx);
emit(unzip.lines);
const scale = await benchScale(ctx);
emit(scale.lines);

// Not the section order: the Goals table keeps the order earlier runs were reported in, for comparison.
const goals = [
  ...ingest.goals,
  ...victims.goals,
  ...evaluation.goals,
  ...synth.goals,
  ...web.goals,
  ...series.goals,
  ...trust.goals,
  ...anomalies.goals,
  ...monitoring.goals,
  ...exchange.goals,
  ...funding.goals,
  ...reports.goals,
  ...jobs.goals,
  ...networks.goals,
  ...scale.goals,
];
const totalSeconds = (now() - started) / 1000;
if (args.json) {
  process.stdout.write(
    `${JSON.stringify(
      {
        machine,
        marco: VERSION,
        data: data.dir,
        options: {
          repeat: options.repeat,
          queries: options.queries,
          warmupQueries: options.warmupQueries,
          seed: options.seed,
        },
        ingest: ingest.result,
        victims: victims.result,
        anomalies: anomalies.result,
        series: series.result,
        memory: memory.result,
        web: web.result,
        evaluation: evaluation.result,
        synth: synth.result,
        trust: trust.result,
        monitoring: monitoring.result,
        exchange: exchange.result,
        funding: funding.result,
        reports: reports.result,
        jobs: jobs.result,
        unzip: unzip.result,
        scale: scale.result,
        goals: goals.map(({ display: _display, ...g }) => g),
        totalSeconds,
      },
      null,
      2,
    )}\n`,
  );
} else {
  emit([
    'Goals',
    ...(goals.length
      ? table(
          ['goal', ' this run', 'verdict'],
          goals.map((g) => [g.goal, g.display, verdict(g.met)]),
        )
      : ['  (no goal measured)']),
    `Total bench time ${fmtS(totalSeconds)}.`,
  ]);
}
