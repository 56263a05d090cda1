/**
 * The warnings of an evaluation run: what a reader must know before trusting its estimates, and their
 * texts from the catalogs (`evaluate.warning.*`).
 * @module
 */
import { formatNumber, formatP, type Locale, type Translate } from '../i18n/index.js';
import type { PanelReport } from './panel.js';
import type { PretrendTest } from './twfe.js';
import type { SynthReport } from './synth/synth-run.js';
import type { ControlReport } from './synth/synth-control.js';

/** What the warnings read of a run (`EvaluationResult`). */
export interface RunForWarnings {
  panel: PanelReport;
  twfe?: { clusters: number; pretrend: PretrendTest };
  cs?: {
    randomization?: {
      permutations: number;
      failed?: number;
      pool?: { log10Assignments: number; smallest: number };
    };
    doublyRobust?: { trimmed: number };
  };
  sdid?: SynthReport;
  synth?: ControlReport;
}

export type EvaluationWarning =
  | { code: 'few_treated'; treated: number; randomization: boolean }
  | { code: 'few_clusters'; clusters: number }
  | { code: 'pretrend'; p: number }
  | { code: 'interpolated'; cells: number }
  | { code: 'ignored_events'; events: string[] }
  | { code: 'window_truncated'; missing: string[] }
  | { code: 'partial_periods'; periods: string[] }
  | { code: 'source_break'; period: string; from: string; to: string }
  | { code: 'synth_outside'; outside: number; pre: number }
  | { code: 'synth_poor_fit'; method: string; rmspe: number; noise: number }
  | { code: 'synth_unconverged'; method: string; weights: 'unit' | 'time'; gap: number; objective: number }
  | { code: 'synth_no_se'; donors: number; treated: number }
  | { code: 'synth_search'; stop: 1 | 10; evaluations: number }
  | { code: 'synth_exact'; donors: number }
  | { code: 'synth_few_placebos'; placebos: number }
  | { code: 'synth_control_unconverged' }
  | { code: 'ri_few_assignments'; assignments: number }
  | { code: 'ri_failed'; failed: number; permutations: number }
  | { code: 'cs_trimmed'; trimmed: number }
  | { code: 'ri_alone' };

/**
 * Warnings about the run: few treated units or clusters make the bootstrap and cluster-robust standard
 * errors unreliable (Conley and Taber 2011; MacKinnon and Webb 2017); a rejected pre-trend test puts
 * parallel trends in doubt; interpolated populations and ignored events change what was measured.
 */
export function warningsOf(r: RunForWarnings): EvaluationWarning[] {
  const out: EvaluationWarning[] = [];
  const treated = r.panel.units - r.panel.neverTreated;
  if (treated < 10 && (r.twfe || r.cs))
    out.push({ code: 'few_treated', treated, randomization: !!r.cs?.randomization });
  if (r.twfe && r.twfe.clusters < 30) out.push({ code: 'few_clusters', clusters: r.twfe.clusters });
  // The F test where the run has it (χ² in runs saved before it).
  const pretrendP = r.twfe ? (r.twfe.pretrend.f?.p ?? r.twfe.pretrend.p) : 1;
  if (r.twfe && r.twfe.pretrend.df > 0 && pretrendP < 0.05) out.push({ code: 'pretrend', p: pretrendP });
  if (r.panel.interpolated > 0) out.push({ code: 'interpolated', cells: r.panel.interpolated });
  if (r.panel.ignoredEvents.length) out.push({ code: 'ignored_events', events: r.panel.ignoredEvents });
  // The data do not fill the window, hold periods only in part, or change source inside it: each
  // changes what the estimates compare.
  if (r.panel.missingPeriods.length) out.push({ code: 'window_truncated', missing: r.panel.missingPeriods });
  if (r.panel.partialPeriods.length) out.push({ code: 'partial_periods', periods: r.panel.partialPeriods });
  for (const b of r.panel.breaks) out.push({ code: 'source_break', ...b });
  const ri = r.cs?.randomization;
  // Fewer than 20 distinct assignments: no p-value can fall below 5%.
  if (ri?.pool && ri.pool.log10Assignments < Math.log10(20))
    out.push({ code: 'ri_few_assignments', assignments: Math.round(10 ** ri.pool.log10Assignments) });
  // A treated unit alone in its stratum never moves: every placebo keeps its cohort there.
  if (ri?.pool && ri.pool.smallest === 1) out.push({ code: 'ri_alone' });
  if (ri?.failed) out.push({ code: 'ri_failed', failed: ri.failed, permutations: ri.permutations });
  if (r.cs?.doublyRobust?.trimmed) out.push({ code: 'cs_trimmed', trimmed: r.cs.doublyRobust.trimmed });
  if (r.sdid) out.push(...synthWarnings(r.sdid));
  if (r.synth) out.push(...controlWarnings(r.synth));
  return out;
}

/**
 * A treated mean outside the donors' range in most pre-treatment periods; a pre-treatment gap larger
 * than the donors' typical period-to-period change (σ̂); a weight fit stopped at its step limit; no
 * placebo standard error (as many treated units as donors, or more).
 */
function synthWarnings(s: SynthReport): EvaluationWarning[] {
  const out: EvaluationWarning[] = [];
  if (s.outsideHull * 2 > s.pre) out.push({ code: 'synth_outside', outside: s.outsideHull, pre: s.pre });
  for (const m of s.methods) {
    if (m.method !== 'did' && m.preRmspe > s.noiseLevel)
      out.push({ code: 'synth_poor_fit', method: m.method, rmspe: m.preRmspe, noise: s.noiseLevel });
    for (const [weights, fit] of [
      ['unit', m.fits.omega],
      ['time', m.fits.lambda],
    ] as const)
      if (fit && !fit.converged)
        out.push({
          code: 'synth_unconverged',
          method: m.method,
          weights,
          gap: fit.gap,
          objective: fit.objective,
        });
  }
  if (s.methods.some((m) => m.se === undefined) && s.donors <= s.treated.length)
    out.push({ code: 'synth_no_se', donors: s.donors, treated: s.treated.length });
  return out;
}

/**
 * Synthetic control's: a treated mean outside the donors' range, a poor pre-treatment fit, a search for V
 * or a weight fit that stopped early, predictors fit exactly (V then does not decide the weights), and
 * too few placebos for the p-value to reach 5%.
 */
function controlWarnings(s: ControlReport): EvaluationWarning[] {
  const out: EvaluationWarning[] = [];
  if (s.outsideHull * 2 > s.pre) out.push({ code: 'synth_outside', outside: s.outsideHull, pre: s.pre });
  if (s.preRmspe > s.noiseLevel)
    out.push({ code: 'synth_poor_fit', method: 'control', rmspe: s.preRmspe, noise: s.noiseLevel });
  if (s.search && s.search.code !== 0)
    out.push({ code: 'synth_search', stop: s.search.code, evaluations: s.search.evaluations });
  if (s.search && s.predictorLoss <= 1e-10) out.push({ code: 'synth_exact', donors: s.weights.length });
  if (!s.converged) out.push({ code: 'synth_control_unconverged' });
  if (s.placebos && s.placebos.runs.length < 19)
    out.push({ code: 'synth_few_placebos', placebos: s.placebos.runs.length });
  return out;
}

/** A warning's text from the catalogs. */
export function warningText(t: Translate, locale: Locale, w: EvaluationWarning): string {
  switch (w.code) {
    case 'few_treated':
      return t(w.randomization ? 'evaluate.warning.few_treated' : 'evaluate.warning.few_treated_no_ri', {
        treated: w.treated,
      });
    case 'few_clusters':
      return t('evaluate.warning.few_clusters', { clusters: w.clusters });
    case 'pretrend':
      return t('evaluate.warning.pretrend', { p: formatP(locale, w.p) });
    case 'interpolated':
      return t('evaluate.warning.interpolated', { cells: w.cells });
    case 'ignored_events':
      return t('evaluate.warning.ignored_events', { events: w.events.join(', ') });
    case 'window_truncated':
      return t('evaluate.warning.window_truncated', { count: w.missing.length, periods: spans(w.missing) });
    case 'partial_periods':
      return t('evaluate.warning.partial_periods', { periods: w.periods.join(', ') });
    case 'source_break':
      return t('evaluate.warning.source_break', { period: w.period, from: w.from, to: w.to });
    case 'synth_outside':
      return t('evaluate.warning.synth_outside', { outside: w.outside, pre: w.pre });
    case 'synth_poor_fit':
      return t('evaluate.warning.synth_poor_fit', {
        method: t(`evaluate.synth.method.${w.method}`),
        rmspe: formatNumber(locale, w.rmspe, { maximumFractionDigits: 3 }),
        noise: formatNumber(locale, w.noise, { maximumFractionDigits: 3 }),
      });
    case 'synth_unconverged':
      return t('evaluate.warning.synth_unconverged', {
        method: t(`evaluate.synth.method.${w.method}`),
        weights: w.weights,
        gap: formatNumber(locale, w.gap, { maximumSignificantDigits: 2 }),
        share: formatNumber(locale, w.objective > 0 ? w.gap / w.objective : 0, {
          style: 'percent',
          maximumSignificantDigits: 2,
        }),
      });
    case 'synth_no_se':
      return t('evaluate.warning.synth_no_se', { donors: w.donors, treated: w.treated });
    case 'synth_search':
      return t('evaluate.warning.synth_search', { code: w.stop, evaluations: w.evaluations });
    case 'synth_exact':
      return t('evaluate.warning.synth_exact', { donors: w.donors });
    case 'synth_few_placebos':
      return t('evaluate.warning.synth_few_placebos', {
        placebos: w.placebos,
        p: formatNumber(locale, 1 / (w.placebos + 1), { maximumFractionDigits: 3 }),
      });
    case 'synth_control_unconverged':
      return t('evaluate.warning.synth_control_unconverged');
    case 'ri_few_assignments':
      return t('evaluate.warning.ri_few_assignments', { assignments: w.assignments });
    case 'ri_failed':
      return t('evaluate.warning.ri_failed', { failed: w.failed, permutations: w.permutations });
    case 'cs_trimmed':
      return t('evaluate.warning.cs_trimmed', { trimmed: w.trimmed });
    case 'ri_alone':
      return t('evaluate.warning.ri_alone');
  }
}

/** Period codes as runs: `1996–1999, 2022` for consecutive years (other codes are listed as they are). */
function spans(codes: string[]): string {
  const runs: [string, string][] = [];
  for (const code of codes) {
    const last = runs.at(-1);
    if (last && /^\d{4}$/.test(code) && Number(code) === Number(last[1]) + 1) last[1] = code;
    else runs.push([code, code]);
  }
  return runs.map(([a, b]) => (a === b ? a : `${a}–${b}`)).join(', ');
}
