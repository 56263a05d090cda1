/**
 * What restricted a randomisation inference's placebo pool, in the reader's language: for the CLI, the
 * run's page and its report.
 * @module
 */
import { formatNumber, type Locale, type Translate } from '../../i18n/index.js';
import type { Randomization } from './randomization.js';

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
