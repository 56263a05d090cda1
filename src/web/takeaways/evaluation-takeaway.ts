/**
 * The sentence an evaluation page opens with, and effects as percentages. On the log scale
 * (log(1 + rate)) an effect β is a proportional change of exp(β) − 1 in 1 + rate, which for rates well
 * above 1 is the percentage change of the rate itself: 0.342 reads "41% higher". The sentence states
 * the Callaway–Sant'Anna average effect with its interval, and says when the pre-trend test rejects or
 * the interval includes zero.
 * @module
 */
import type { EvaluationResult } from '../../eval/evaluate.js';
import { formatNumber, formatP, formatPercent, translator, type Locale } from '../../i18n/index.js';
import { measureById } from '../../stats/measures.js';

type Scale = 'count' | 'rate' | 'log_rate';

/** An effect as a reader takes it in: `+41%` on the log scale, the number itself otherwise. */
export function effectText(locale: Locale, scale: Scale, value: number): string {
  return scale === 'log_rate'
    ? formatPercent(locale, Math.expm1(value), { signed: true })
    : formatNumber(locale, value, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
}

/** The takeaway of a run; undefined without a Callaway–Sant'Anna estimate. */
export function evaluationTakeaway(locale: Locale, r: EvaluationResult): string | undefined {
  const t = translator(locale);
  const simple = r.cs?.simple;
  if (!simple || !Number.isFinite(simple.att)) return undefined;
  const outcome = r.specification.panel.outcome;
  const scale = outcome.scale as Scale;
  const size =
    scale === 'log_rate'
      ? formatPercent(locale, Math.abs(Math.expm1(simple.att)))
      : t(`web.takeaway.size.${scale}`, {
          value: formatNumber(locale, Math.abs(simple.att), { maximumFractionDigits: 2 }),
        });
  const sentences = [
    t(simple.att >= 0 ? 'web.takeaway.evaluationHigher' : 'web.takeaway.evaluationLower', {
      outcome: measureById(outcome.measure)?.title[locale] ?? outcome.measure,
      size,
      lower: effectText(locale, scale, simple.lower),
      upper: effectText(locale, scale, simple.upper),
    }),
  ];
  const pretrend = r.twfe?.pretrend.f?.p ?? r.twfe?.pretrend.p;
  if (pretrend !== undefined && r.twfe!.pretrend.df > 0 && pretrend < 0.05)
    sentences.push(t('web.takeaway.pretrendRejects', { p: formatP(locale, pretrend) }));
  else if (simple.lower <= 0 && simple.upper >= 0) sentences.push(t('web.takeaway.includesZero'));
  return sentences.join(' ');
}
