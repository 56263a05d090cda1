/**
 * The split of a panel that synthetic control and synthetic DiD need: the treated units of one cohort,
 * and the donors, units never treated in the window. Units of other cohorts are left out (a donor must not
 * be treated). A panel these methods cannot use is refused, saying why and where in the specification.
 * @module
 */
import { ValidationError, textIssue } from '../../error.js';
import type { CsPanel } from '../cs/cs-panel.js';
import type { BlockPanel } from './synthdid.js';

/** What a synthetic control or synthetic DiD report says of its split. */
export interface CohortSummary {
  cohort: string;
  treated: string[];
  donors: number;
  /** Units of other cohorts, and units touched by the interventions the specification excludes: no donors. */
  excluded: string[];
  pre: number;
  post: number;
  /** The standard deviation of the donors' period-to-period changes before treatment (σ̂). */
  noiseLevel: number;
  /**
   * Pre-treatment periods in which the treated units' mean lies above every donor or below every donor:
   * when that is most of them, no weighted average of donors can follow the treated units.
   */
  outsideHull: number;
}

export interface CohortSplit {
  /** The cohort's first treated period (a column of the panel): the count of pre-treatment periods. */
  g: number;
  treated: number[];
  donors: number[];
  /** Units of other cohorts, and units touched by the interventions the specification excludes: no donors. */
  excluded: string[];
}

/**
 * The cohort `cohort` (a period label; needed when the panel has several), its treated units and the
 * donors; refuses a cohort with no pre-treatment period, fewer than two donors, or a unit of either missing
 * a period, at the path of `estimator` in the specification. Units in `notDonors` (touched by other
 * interventions: `donor-exclusion.ts`) are left out of the donors too.
 */
export function cohortSplit(
  panel: CsPanel,
  units: string[],
  labels: string[],
  cohort: string | undefined,
  estimator: 'sdid' | 'synth',
  notDonors: ReadonlySet<string> = new Set(),
): CohortSplit {
  const path = `estimators.${estimator}`;
  const method = { key: `validation.synth.estimator.${estimator}`, values: {} };
  const cohorts = [...new Set(panel.group)].filter((g) => g >= 0).sort((a, b) => a - b);
  let g: number;
  if (cohort !== undefined) {
    g = labels.indexOf(cohort);
    if (!cohorts.includes(g))
      throw new ValidationError([
        textIssue(`${path}.cohort`, 'validation.synth.noCohort', {
          cohort,
          cohorts: cohorts.map((c) => labels[c]!).join(', ') || '—',
        }),
      ]);
  } else if (cohorts.length === 1) g = cohorts[0]!;
  else if (cohorts.length === 0) throw new ValidationError([textIssue(path, 'validation.panel.noneTreated')]);
  else
    throw new ValidationError([
      textIssue(`${path}.cohort`, 'validation.synth.manyCohorts', {
        cohorts: cohorts.map((c) => labels[c]!).join(', '),
        method,
        field: `${path}.cohort`,
      }),
    ]);
  if (g < 2)
    throw new ValidationError([
      textIssue(`${path}.cohort`, 'validation.synth.noPrePeriod', { cohort: labels[g]! }),
    ]);
  const treated: number[] = [];
  const donors: number[] = [];
  const excluded: string[] = [];
  for (let i = 0; i < panel.units; i++) {
    if (panel.group[i] === g) treated.push(i);
    else if (panel.group[i]! < 0 && !notDonors.has(units[i]!)) donors.push(i);
    else excluded.push(units[i]!);
  }
  if (donors.length < 2)
    throw new ValidationError([
      textIssue(path, 'validation.synth.fewDonors', { donors: donors.length, method }),
    ]);
  const missing = [...treated, ...donors].find((i) =>
    panel.y.subarray(i * panel.periods, (i + 1) * panel.periods).some((v) => !Number.isFinite(v)),
  );
  if (missing !== undefined)
    throw new ValidationError([
      textIssue(path, 'validation.synth.unbalanced', { unit: units[missing]!, method }),
    ]);
  return { g, treated, donors, excluded };
}

/** Rows of `panel` in the order a block panel needs: donors, then treated. */
export function blockOf(panel: CsPanel, donors: number[], treated: number[], pre: number): BlockPanel {
  const rows = [...donors, ...treated];
  const y = new Float64Array(rows.length * panel.periods);
  rows.forEach((unit, i) =>
    y.set(panel.y.subarray(unit * panel.periods, (unit + 1) * panel.periods), i * panel.periods),
  );
  return { y, units: rows.length, periods: panel.periods, controls: donors.length, pre };
}
