/**
 * The text report of a synthetic control run (`estimators.synth`): the split, the estimate and fit, the
 * donor weights, each predictor's balance, the placebo p-value and the leave-one-out range.
 * @module
 */
import { formatNumber, formatP, type Locale, type Translate } from '../../i18n/index.js';
import type { EvaluationResult } from '../../eval/evaluate.js';
import { predictorName } from '../../eval/synth/predictors.js';
import type { CohortSummary } from '../../eval/synth/cohort.js';

/** The line that opens a synthetic DiD or synthetic control report: the cohort and its split. */
export function cohortLine(t: Translate, key: string, s: CohortSummary): string {
  return t(key, {
    cohort: s.cohort,
    treated: s.treated.length,
    units: s.treated.slice(0, 5).join(', ') + (s.treated.length > 5 ? ', …' : ''),
    donors: s.donors,
    pre: s.pre,
    post: s.post,
  });
}

export function printSynthControl(
  t: Translate,
  locale: Locale,
  s: NonNullable<EvaluationResult['synth']>,
  out: (text: string) => void,
) {
  const n = (v: number, d = 3) => formatNumber(locale, v, { maximumFractionDigits: d });
  // A predictor in thousands (a population) needs no decimals.
  const value = (v: number) => n(v, Math.abs(v) >= 1000 ? 0 : 3);
  out(cohortLine(t, 'evaluate.control.header', s));
  out(
    t('evaluate.control.estimate', {
      estimate: n(s.estimate),
      pre: n(s.preRmspe),
      post: n(s.postRmspe),
      ratio: n(s.ratio, 2),
    }),
  );
  out(
    t('evaluate.control.weights', {
      weights: s.weights
        .slice(0, 8)
        .map((w) => `${w.unit} ${n(w.weight)}`)
        .join(', '),
    }),
  );
  s.predictors.forEach((p, i) =>
    out(
      t('evaluate.control.predictor', {
        name: predictorName(t, s.predictorLabels[i]!),
        v: n(p.v),
        treated: value(p.treated),
        synthetic: value(p.synthetic),
        donors: value(p.donors),
      }),
    ),
  );
  if (s.placebos)
    out(
      t('evaluate.control.placebos', {
        placebos: s.placebos.runs.length,
        rank: s.placebos.rank,
        p: formatP(locale, s.placebos.p),
      }),
    );
  if (s.leaveOneOut?.length) {
    const estimates = s.leaveOneOut.map((l) => l.estimate);
    out(
      t('evaluate.control.leaveOneOut', {
        low: n(Math.min(...estimates)),
        high: n(Math.max(...estimates)),
        count: estimates.length,
      }),
    );
  }
}
