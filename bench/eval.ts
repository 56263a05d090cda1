/**
 * Section 5 of `npm run bench`: the time of Marco's impact-evaluation estimators on the real panels.
 * A TWFE event study with 40 relative-time indicators on the full municipality × month homicide panel,
 * Callaway–Sant'Anna with a 999-draw bootstrap and randomization inference with 999 permutations on the
 * state × month panel. The TWFE figure is set against R's estimatr::lm_robust fitting the same model on
 * the same panel in the same run, the tool an evaluator would otherwise reach for; its coefficients
 * also check that both fits agree. Without Rscript and estimatr that line is skipped, the rest is not.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { callawaySantAnna } from '../src/eval/cs.js';
import type { CsPanel } from '../src/eval/cs/cs-panel.js';
import { randomizationInference } from '../src/eval/cs/randomization.js';
import { eventStudy, type Panel } from '../src/eval/twfe.js';
import { VERSION } from '../src/package.js';
import { importFile } from '../src/stats/importer.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../src/stats/stats-store.js';
import { fmtInt, fmtS, verdict } from './print.js';
import {
  isSkipped,
  median,
  MUNICIPAL,
  section,
  tempDir,
  timeRuns,
  type BenchContext,
  type Goal,
  type Section,
  type Skipped,
} from './runner.js';

export const GOAL_TWFE_SECONDS = 1.5;
export const GOAL_CS_SECONDS = 5;

const EVENTS = 'events/interventions.csv';
const STATE = 'inegi/mexico-state-month-homicide-rates-2000-2022.csv';

export interface EvalBench {
  rows: number;
  units: number;
  periods: number;
  coefficients: number;
  treatedUnits: number;
  medianSeconds: number;
  runs: number[];
  cs: {
    cells: number;
    cohorts: number;
    draws: number;
    medianSeconds: number;
    runs: number[];
    randomizationSeconds: number;
    /** The same run with one covariate (the doubly robust estimator): median and its ratio to the above. */
    doublyRobustSeconds: number;
  };
  /** The same TWFE estimate in R estimatr::lm_robust, timed in the same run (lm_robust only). */
  r: RComparison | Skipped;
}

interface RComparison {
  medianSeconds: number;
  runs: number[];
  /** R's median ÷ Marco's median. */
  ratio: number;
  maxCoefficientDifference: number;
}

/** Months since January 2000, the period index of both panels. */
const monthIndex = (date: string) => (Number(date.slice(0, 4)) - 2000) * 12 + Number(date.slice(5, 7)) - 1;

const eventLines = (events: string) => readFileSync(events, 'utf8').split('\n').slice(1);

/**
 * The municipality × month panel, read back from the store (so it is the data Marco serves), with each
 * municipality's first leader capture or municipal military operation as its treatment month.
 */
async function municipalPanel(
  stats: StatsStore,
  events: string,
): Promise<{ rows: number; panel: Panel; first: Int32Array }> {
  const rows = await stats.all<{ geo: string; m: number; v: number }>(
    `select geo, ((year(period) - 2000) * 12 + month(period) - 1)::integer as m, value as v from observations order by geo, m`,
  );
  const codes = [...new Set(rows.map((r) => r.geo))];
  const index = new Map(codes.map((c, i) => [c, i]));
  const panel: Panel = {
    unit: Int32Array.from(rows, (r) => index.get(r.geo)!),
    period: Int32Array.from(rows, (r) => r.m),
    y: Float64Array.from(rows, (r) => r.v),
    units: codes.length,
    periods: 1 + rows.reduce((m, r) => Math.max(m, r.m), 0),
  };
  const first = new Int32Array(codes.length).fill(-1);
  for (const line of eventLines(events)) {
    const f = line.split(',');
    if (f[1] !== 'leader_capture' && !(f[1] === 'military_operation' && f[4] === 'municipality')) continue;
    const month = monthIndex(f[3]!);
    for (const code of (f[5] ?? '').split(';')) {
      const u = index.get(code);
      if (u !== undefined && (first[u]! < 0 || month < first[u]!)) first[u] = month;
    }
  }
  return { rows: rows.length, panel, first };
}

/** The state × month panel of log(1 + rate), cohorts from the 2006–2009 joint (state) operations. */
async function statePanel(stats: StatsStore, events: string): Promise<CsPanel> {
  const stateRows = await stats.all<{ geo: string; m: number; v: number }>(
    `select geo, ((year(period) - 2000) * 12 + month(period) - 1)::integer as m, value as v from observations
       where source = 'inegi-homicides-state' order by geo, m`,
  );
  const statePeriods = 1 + stateRows.reduce((m, r) => Math.max(m, r.m), 0);
  const cs: CsPanel = {
    units: 32,
    periods: statePeriods,
    y: new Float64Array(32 * statePeriods).fill(Number.NaN),
    group: new Int32Array(32).fill(-1),
  };
  for (const r of stateRows) cs.y[(Number(r.geo) - 1) * statePeriods + r.m] = Math.log1p(r.v);
  for (const line of eventLines(events)) {
    const f = line.split(',');
    if (f[1] !== 'military_operation' || f[4] !== 'state') continue;
    const month = monthIndex(f[3]!);
    for (const code of f[5]!.split(';')) {
      const u = Number(code) - 1;
      cs.group[u] = cs.group[u] === -1 ? month : Math.min(cs.group[u]!, month);
    }
  }
  return cs;
}

/**
 * Times R's estimatr::lm_robust on the same panel and model as Marco's TWFE event study (unit and month
 * fixed effects, the same 40 indicators, CR1 clustered by unit): the panel is written once, the
 * indicators are built in R, and only lm_robust is timed, up to three times in one R process (each run
 * takes about 25 s). Returns the timings and the largest difference from Marco's coefficients; the
 * ratio is filled in by the caller, which has Marco's median.
 */
async function benchR(
  { options, progress }: BenchContext,
  panel: Panel,
  first: Int32Array,
  relative: number[],
  coefficients: number[],
  dir: string,
): Promise<RComparison | Skipped> {
  const rRuns = Math.min(options.repeat, 3);
  try {
    execFileSync('Rscript', ['-e', 'suppressMessages(library(estimatr))'], { stdio: 'ignore' });
  } catch {
    return { skipped: 'Rscript with estimatr is missing (apt-get install r-base-core r-cran-estimatr)' };
  }
  const file = path.join(dir, 'panel.csv');
  const lines = ['unit,period,y,first'];
  for (let i = 0; i < panel.y.length; i++)
    lines.push(`${panel.unit[i]},${panel.period[i]},${panel.y[i]!.toPrecision(17)},${first[panel.unit[i]!]}`);
  await writeFile(file, `${lines.join('\n')}\n`);
  const leads = -Math.min(...relative);
  const lags = Math.max(...relative);
  const names = relative.map((r) => (r < 0 ? `m${-r}` : `p${r}`));
  const script = `suppressMessages(library(estimatr))
d <- read.csv("${file}")
rel <- ifelse(d$first >= 0, pmin(${lags}, pmax(-${leads}, d$period - d$first)), NA)
for (r in c(${relative.join(',')})) d[[ifelse(r < 0, paste0("m", -r), paste0("p", r))]] <- as.numeric(!is.na(rel) & rel == r)
f <- y ~ ${names.join(' + ')}
times <- c()
for (i in 1:${rRuns}) {
  t <- system.time(fit <- lm_robust(f, data = d, fixed_effects = ~ unit + period, clusters = unit, se_type = "stata"))[["elapsed"]]
  times <- c(times, t)
}
cat(times, "\n")
cat(sprintf("%.17g", coef(fit)), "\n")`;
  await writeFile(path.join(dir, 'fit.R'), script);
  progress(`evaluation: R estimatr::lm_robust, ${rRuns} runs (about 25 s each)`);
  const [timeLine, coefLine] = execFileSync('Rscript', [path.join(dir, 'fit.R')], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  })
    .trim()
    .split('\n');
  const runs = timeLine!.trim().split(/\s+/).map(Number);
  const rCoef = coefLine!.trim().split(/\s+/).map(Number);
  return {
    medianSeconds: median(runs),
    runs,
    ratio: 0,
    maxCoefficientDifference: Math.max(...rCoef.map((b, i) => Math.abs(b - coefficients[i]!))),
  };
}

async function measureEvaluation(ctx: BenchContext): Promise<EvalBench | Skipped> {
  const { options, data, progress } = ctx;
  const absent = data.missing([MUNICIPAL, EVENTS, STATE]);
  if (absent) return absent;
  const events = data.file(EVENTS);
  const repeat = options.repeat;
  const dir = await tempDir('eval');
  const stats = await openStats({ dataDir: dir });
  try {
    await importFile(stats, sourceById('inegi-homicides-municipal')!, data.file(MUNICIPAL), {
      version: VERSION,
    });
    const { rows, panel, first } = await municipalPanel(stats, events);
    await importFile(stats, sourceById('inegi-homicides-state')!, data.file(STATE), { version: VERSION });
    const cs = await statePanel(stats, events);

    const csTimed = timeRuns(
      repeat,
      (i) => progress(`evaluation: Callaway–Sant'Anna ${i + 1}/${repeat}`),
      () => callawaySantAnna(cs, { draws: 999, seed: 1 }).attgt.length,
    );
    // Randomization inference: 999 random reassignments of the same cohorts.
    const riTimed = timeRuns(
      repeat,
      (i) => progress(`evaluation: randomization inference ${i + 1}/${repeat}`),
      () => randomizationInference(cs, { permutations: 999, seed: 1 }),
    );
    // The doubly robust estimator with one covariate, each state's mean over the first year (2000), against
    // the same run without it.
    const covariate = Float64Array.from({ length: cs.units }, (_, u) => {
      let sum = 0;
      for (let t = 0; t < 12; t++) sum += cs.y[u * cs.periods + t]!;
      return sum / 12;
    });
    const drTimed = timeRuns(
      repeat,
      (i) => progress(`evaluation: doubly robust Callaway–Sant'Anna ${i + 1}/${repeat}`),
      () =>
        callawaySantAnna(cs, { draws: 999, seed: 1, covariates: { values: covariate, k: 1 } }).attgt.length,
    );
    const twfe = timeRuns(
      repeat,
      (i) => progress(`evaluation: TWFE event study ${i + 1}/${repeat}`),
      () => eventStudy(panel, first, { leads: 20, lags: 20 }),
    );
    const es = twfe.last;
    const runs = twfe.runs;
    const r = await benchR(ctx, panel, first, es.relative, es.coefficients, dir);
    if (!isSkipped(r)) r.ratio = r.medianSeconds / median(runs);
    return {
      r,
      rows,
      units: panel.units,
      periods: panel.periods,
      coefficients: es.relative.length,
      treatedUnits: [...first].filter((f) => f >= 0).length,
      medianSeconds: median(runs),
      runs,
      cs: {
        cells: csTimed.last,
        cohorts: new Set([...cs.group].filter((g) => g >= 0)).size,
        draws: 999,
        medianSeconds: median(csTimed.runs),
        runs: csTimed.runs,
        randomizationSeconds: median(riTimed.runs),
        doublyRobustSeconds: median(drTimed.runs),
      },
    };
  } finally {
    stats.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function printEvaluation(r: EvalBench | Skipped): string[] {
  const title = '5. Evaluation';
  if (isSkipped(r)) return [title, `  skipped: ${r.skipped}`];
  return [
    `${title}: TWFE event study, ${r.coefficients} relative-time indicators, municipality × month homicides (${fmtInt(r.rows)} rows, ${fmtInt(r.units)} units, ${r.periods} months, ${r.treatedUnits} treated), ${r.runs.length} runs`,
    `  median ${fmtS(r.medianSeconds)} (min ${fmtS(Math.min(...r.runs))}, max ${fmtS(Math.max(...r.runs))})`,
    `  goal: under ${GOAL_TWFE_SECONDS} s → ${fmtS(r.medianSeconds)} ${verdict(r.medianSeconds < GOAL_TWFE_SECONDS)}`,
    `  Callaway–Sant'Anna, state × month, ${r.cs.cohorts} cohorts (2006–2009 joint operations), ${fmtInt(r.cs.cells)} ATT(g,t), ${r.cs.draws} bootstrap draws: median ${fmtS(r.cs.medianSeconds)}`,
    `  goal: under ${GOAL_CS_SECONDS} s → ${fmtS(r.cs.medianSeconds)} ${verdict(r.cs.medianSeconds < GOAL_CS_SECONDS)}`,
    `  randomization inference on the same panel, 999 permutations of the cohorts: median ${fmtS(r.cs.randomizationSeconds)}`,
    `  doubly robust, the same run with one covariate (each state's 2000 mean): median ${fmtS(r.cs.doublyRobustSeconds)} (${(r.cs.doublyRobustSeconds / r.cs.medianSeconds).toFixed(1)}× the run without it)`,
    isSkipped(r.r)
      ? `  R estimatr::lm_robust on the same panel: skipped: ${r.r.skipped}`
      : `  R estimatr::lm_robust (fixed_effects = ~ unit + period, clusters = unit), same panel and indicators: median ${fmtS(r.r.medianSeconds)} (min ${fmtS(Math.min(...r.r.runs))}, max ${fmtS(Math.max(...r.r.runs))}) → Marco is ${r.r.ratio.toFixed(1)}× faster; largest coefficient difference ${r.r.maxCoefficientDifference.toExponential(1)}`,
    '  published reference: fixest needs about 0.2 s for 1M rows with one regressor and two fixed effects',
  ];
}

const evaluationGoals = (r: EvalBench): Goal[] => [
  {
    goal: `TWFE event study (40 indicators, municipal months) < ${GOAL_TWFE_SECONDS} s`,
    value: r.medianSeconds,
    display: fmtS(r.medianSeconds),
    met: r.medianSeconds < GOAL_TWFE_SECONDS,
  },
  {
    goal: `Callaway–Sant'Anna (state months, 999 draws) < ${GOAL_CS_SECONDS} s`,
    value: r.cs.medianSeconds,
    display: fmtS(r.cs.medianSeconds),
    met: r.cs.medianSeconds < GOAL_CS_SECONDS,
  },
];

export function benchEvaluation(ctx: BenchContext): Promise<Section<EvalBench>> {
  return section(ctx, 'eval', () => measureEvaluation(ctx), printEvaluation, evaluationGoals);
}
