/**
 * Callaway–Sant'Anna's sentences that the CLI, the run's page and its report all say, in the reader's
 * language: the doubly robust estimator's covariates, and what restricted the placebo pool.
 * @module
 */
import { formatNumber, type Locale, type Translate } from '../../i18n/index.js';
import { predictorName } from '../synth/predictors.js';
import type { CsReport } from './cs-run.js';
import type { Randomization } from './randomization.js';

/** The doubly robust estimator and its covariates, when the run has them. */
export function doublyRobustText(t: Translate, cs: CsReport): string | undefined {
  if (!cs.doublyRobust) return undefined;
  return t('evaluate.csDoublyRobust', {
    count: cs.doublyRobust.covariates,
    covariates: (cs.covariateLabels ?? []).map((l) => predictorName(t, l)).join('; '),
  });
}

/** One sentence: the restrictions, the smallest pool and how many distinct assignments there are. */
export function poolText(t: Translate, locale: Locale, pool: NonNullable<Randomization['pool']>): string {
  const parts = [
    pool.within === 'state' ? t('evaluate.pool.within') : undefined,
    pool.bands ? t('evaluate.pool.size', { bands: pool.bands }) : undefined,
    pool.match ? t('evaluate.pool.match', { match: pool.match }) : undefined,
  ].filter((p): p is string => p !== undefined);
  // Beyond 10^15 a count reads as noise: its power of ten instead.
  const assignments =
    pool.log10Assignments < 15
      ? formatNumber(locale, Math.round(10 ** pool.log10Assignments), { maximumFractionDigits: 0 })
      : t('evaluate.pool.many', { power: Math.floor(pool.log10Assignments) });
  return t(pool.match ? 'evaluate.pool.matched' : 'evaluate.pool.stratified', {
    restrictions: parts.join(t('evaluate.pool.and')),
    smallest: pool.smallest,
    assignments,
  });
}
