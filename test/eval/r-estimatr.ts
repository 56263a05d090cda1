/**
 * R with estimatr, for the tests that check Marco's estimators against it: whether it is here (under
 * `CI=true` its absence is an error, not a skip), and one `lm_robust` fit of a panel with unit and period
 * fixed effects, clustered by unit, read back to 17 digits.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Panel } from '../../src/eval/twfe.js';
import { haveR } from '../fixtures/have-r.js';

/** Whether Rscript and estimatr are installed; throws under `CI=true` when they are not. */
export const haveEstimatr = (): boolean => haveR('the R reference test', ['estimatr'], ['r-cran-estimatr']);

/**
 * `lm_robust(y ~ columns, fixed_effects = ~ unit + period, clusters = unit, se_type = "stata")` on
 * `panel` with the regressor `columns` (named `names`): its coefficients, standard errors, 95% intervals
 * and their degrees of freedom. `after` is R run on the fit (`f`, the data `d`): each line it prints with
 * `cat(..., "\n")` comes back in `extra`, as numbers.
 */
export async function lmRobust(
  panel: Panel,
  names: string[],
  columns: Float64Array[],
  after = '',
): Promise<{ coef: number[]; se: number[]; low: number[]; high: number[]; df: number[]; extra: number[][] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-r-'));
  try {
    const csv = [['unit', 'period', 'y', ...names].join(',')];
    for (let i = 0; i < panel.y.length; i++)
      csv.push(
        [panel.unit[i], panel.period[i], panel.y[i]!.toPrecision(17), ...columns.map((c) => c[i])].join(','),
      );
    await writeFile(path.join(dir, 'panel.csv'), `${csv.join('\n')}\n`);
    await writeFile(
      path.join(dir, 'fit.R'),
      `suppressMessages(library(estimatr))
d <- read.csv("${path.join(dir, 'panel.csv')}")
f <- lm_robust(y ~ ${names.join(' + ')}, data = d, fixed_effects = ~ unit + period, clusters = unit, se_type = "stata")
for (v in list(coef(f), f$std.error, f$conf.low, f$conf.high, f$df)) cat(sprintf("%.17g", v), "\\n")
${after}`,
    );
    const [coef, se, low, high, df, ...extra] = execFileSync('Rscript', [path.join(dir, 'fit.R')], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number));
    return { coef: coef!, se: se!, low: low!, high: high!, df: df!, extra };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
