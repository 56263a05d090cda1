/**
 * Section 5b of `npm run bench` (`--only synth`): synthetic control and synthetic DiD on the real
 * municipality × month homicide panel (issue 19, "Performance"). The panel is log(1 + the monthly rate)
 * of every municipality observed in every month of 2000–2011 (144 months), with Ciudad Juárez (08037)
 * treated from January 2010 as if it were: 120 months before, 24 after, and about 2,400 donors.
 *
 * - Synthetic control with the nested choice of the predictor weights V, the predictors being the
 *   outcome's mean in each year 2000–2009 (ten). Reference: one fit of the donor weights at equal V, the
 *   inner problem the search solves many times.
 * - Synthetic DiD with 200 placebo replications, run as an evaluation job runs it: on as many threads as
 *   the machine has, the main thread yielding every 20 ms. Reference: the synthetic DiD fit alone.
 * @module
 */
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { CsPanel } from '../src/eval/cs/cs-panel.js';
import { adhFit, scalePredictors, weightsFor, type AdhInput } from '../src/eval/synth/adh.js';
import { runSynth } from '../src/eval/synth/synth-run.js';
import { synthEstimate, type BlockPanel } from '../src/eval/synth/synthdid.js';
import { fmtInt, fmtS, verdict } from './print.js';
import {
  isSkipped,
  median,
  MUNICIPAL,
  now,
  section,
  timeRuns,
  type BenchContext,
  type Goal,
  type Section,
  type Skipped,
} from './runner.js';

export const GOAL_SC_SECONDS = 5;
export const GOAL_SDID_SECONDS = 30;

const TREATED = '08037';
const FIRST_YEAR = 2000;
const YEARS = 12;
const PRE = 120;

export interface SynthBench {
  donors: number;
  pre: number;
  post: number;
  sc: {
    predictors: number;
    medianSeconds: number;
    runs: number[];
    referenceSeconds: number;
    evaluations: number;
  };
  sdid: {
    replications: number;
    threads: number;
    medianSeconds: number;
    runs: number[];
    referenceSeconds: number;
    se: number;
  };
}

/** The panel: units with every month of 2000–2011, Juárez last. */
export async function municipalPanel(
  file: string,
): Promise<{ units: string[]; y: Float64Array; periods: number }> {
  const periods = YEARS * 12;
  const rows = new Map<string, Float64Array>();
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const [geo, year, month, , , rate] = line.split('|');
    const t = (Number(year) - FIRST_YEAR) * 12 + Number(month) - 1;
    if (t < 0 || t >= periods || rate === '' || rate === 'NA') continue;
    let row = rows.get(geo!);
    if (!row) rows.set(geo!, (row = new Float64Array(periods).fill(Number.NaN)));
    row[t] = Math.log1p(Number(rate));
  }
  const complete = [...rows].filter(([, r]) => r.every(Number.isFinite));
  const units = [...complete.filter(([g]) => g !== TREATED), ...complete.filter(([g]) => g === TREATED)];
  if (units.at(-1)?.[0] !== TREATED) throw new Error(`${TREATED} is not complete in ${file}`);
  const y = new Float64Array(units.length * periods);
  units.forEach(([, r], i) => y.set(r, i * periods));
  return { units: units.map(([g]) => g), y, periods };
}

async function measureSynth(ctx: BenchContext): Promise<SynthBench | Skipped> {
  const { options, data, progress } = ctx;
  const absent = data.missing([MUNICIPAL]);
  if (absent) return absent;
  progress('synthetic control: reading the municipal panel');
  const { units, y, periods } = await municipalPanel(data.file(MUNICIPAL));
  const donors = units.length - 1;
  // Synthetic control: ten yearly means as predictors, the 120 months as the outcomes V is chosen to fit.
  const k = PRE / 12;
  const x0 = new Float64Array(k * donors);
  const x1 = new Float64Array(k);
  for (let u = 0; u <= donors; u++)
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let t = r * 12; t < r * 12 + 12; t++) s += y[u * periods + t]!;
      if (u < donors) x0[r * donors + u] = s / 12;
      else x1[r] = s / 12;
    }
  const z0 = new Float64Array(PRE * donors);
  for (let u = 0; u < donors; u++) for (let t = 0; t < PRE; t++) z0[t * donors + u] = y[u * periods + t]!;
  const z1 = y.slice(donors * periods, donors * periods + PRE);
  const input: AdhInput = { x1, x0, z1, z0, donors };
  const repeat = options.repeat;
  const reference = timeRuns(
    repeat,
    () => undefined,
    () => {
      const scaled = scalePredictors(input);
      return weightsFor(scaled.x1, scaled.x0, new Float64Array(k).fill(1));
    },
  );
  const sc = timeRuns(
    repeat,
    (i) => progress(`synthetic control with V, ${fmtInt(donors)} donors: ${i + 1}/${repeat}`),
    () => adhFit(input),
  );
  // Synthetic DiD: the fit alone, then with 200 placebo replications as a job runs them.
  const block: BlockPanel = { y, units: units.length, periods, controls: donors, pre: PRE };
  const fit = timeRuns(
    repeat,
    () => undefined,
    () => synthEstimate(block, 'sdid'),
  );
  const panel: CsPanel = {
    units: units.length,
    periods,
    y,
    group: Int32Array.from(units, (g) => (g === TREATED ? PRE : -1)),
  };
  const labels = Array.from({ length: periods }, (_, t) => String(t));
  const sdidRuns: number[] = [];
  let se = Number.NaN;
  const sdidRepeat = Math.min(repeat, 3);
  for (let i = 0; i < sdidRepeat; i++) {
    progress(`synthetic DiD with 200 placebo replications: ${i + 1}/${sdidRepeat}`);
    let paused = now();
    const pause = async () => {
      if (now() - paused < 20) return;
      await new Promise((resolve) => setImmediate(resolve));
      paused = now();
    };
    const t0 = now();
    const report = await runSynth(
      panel,
      units,
      labels,
      { methods: ['sdid'], placebo: 200, seed: 1, threads: availableParallelism() },
      pause,
    );
    sdidRuns.push((now() - t0) / 1000);
    se = report.methods[0]!.se!;
  }
  return {
    donors,
    pre: PRE,
    post: periods - PRE,
    sc: {
      predictors: k,
      medianSeconds: median(sc.runs),
      runs: sc.runs,
      referenceSeconds: median(reference.runs),
      evaluations: sc.last.search?.evaluations ?? 0,
    },
    sdid: {
      replications: 200,
      threads: availableParallelism(),
      medianSeconds: median(sdidRuns),
      runs: sdidRuns,
      referenceSeconds: median(fit.runs),
      se,
    },
  };
}

function printSynth(r: SynthBench | Skipped): string[] {
  const title = '5b. Synthetic control and synthetic DiD';
  if (isSkipped(r)) return [title, `  skipped: ${r.skipped}`];
  const ratio = (a: number, b: number) => `${(a / b).toFixed(0)}×`;
  return [
    `${title}: municipality × month log(1 + rate), Juárez treated from 2010-01 as if it were, ${fmtInt(r.donors)} donors, ${r.pre} months before and ${r.post} after`,
    `  synthetic control, V by the nested search over ${r.sc.predictors} yearly predictors (${fmtInt(r.sc.evaluations)} evaluations): median ${fmtS(r.sc.medianSeconds)} (min ${fmtS(Math.min(...r.sc.runs))}, max ${fmtS(Math.max(...r.sc.runs))})`,
    `  reference: one donor-weight fit at equal V, median ${fmtS(r.sc.referenceSeconds)} → the search costs ${ratio(r.sc.medianSeconds, r.sc.referenceSeconds)} one fit`,
    `  goal: under ${GOAL_SC_SECONDS} s → ${fmtS(r.sc.medianSeconds)} ${verdict(r.sc.medianSeconds < GOAL_SC_SECONDS)}`,
    `  synthetic DiD with ${r.sdid.replications} placebo replications, on ${r.sdid.threads} threads as a job runs them: median ${fmtS(r.sdid.medianSeconds)} (min ${fmtS(Math.min(...r.sdid.runs))}, max ${fmtS(Math.max(...r.sdid.runs))}); placebo s.e. ${r.sdid.se.toFixed(4)}`,
    `  reference: the synthetic DiD fit alone, median ${fmtS(r.sdid.referenceSeconds)} → ${ratio(r.sdid.medianSeconds, r.sdid.referenceSeconds)} the fit`,
    `  goal: under ${GOAL_SDID_SECONDS} s → ${fmtS(r.sdid.medianSeconds)} ${verdict(r.sdid.medianSeconds < GOAL_SDID_SECONDS)}`,
  ];
}

const synthGoals = (r: SynthBench): Goal[] => [
  {
    goal: `Synthetic control with V, 2,400 donors × 120 months < ${GOAL_SC_SECONDS} s`,
    value: r.sc.medianSeconds,
    display: fmtS(r.sc.medianSeconds),
    met: r.sc.medianSeconds < GOAL_SC_SECONDS,
  },
  {
    goal: `Synthetic DiD, 200 placebo replications, same panel < ${GOAL_SDID_SECONDS} s`,
    value: r.sdid.medianSeconds,
    display: fmtS(r.sdid.medianSeconds),
    met: r.sdid.medianSeconds < GOAL_SDID_SECONDS,
  },
];

export function benchSynth(ctx: BenchContext): Promise<Section<SynthBench>> {
  return section(ctx, 'synth', () => measureSynth(ctx), printSynth, synthGoals);
}
