/**
 * The sentence a place profile opens with, computed from the series it shows: for Mexico, "Juárez's
 * homicide rate in 2021 was 98.9 per 100,000, 63% below its 2010 peak and 3.7 times the national rate";
 * for the United States, the synthetic-opioid deaths of the latest 12 months against their peak and the
 * country's total.
 * @module
 */
import { formatMonths, formatNumber, formatPercent, translator, type Locale } from '../../i18n/index.js';
import { comparison, trendFacts, type TrendFacts, type TrendPoint } from './trend.js';

/** "63% below its 2010 peak", or "its highest since 2000". */
function trendText(locale: Locale, facts: TrendFacts, period: (p: string) => string): string {
  const t = translator(locale);
  return facts.peak
    ? t('web.takeaway.peakBelow', {
        share: formatPercent(locale, 1 - facts.latest.value / facts.peak.value),
        period: period(facts.peak.period),
      })
    : t('web.takeaway.highest', { first: period(facts.first) });
}

/** The homicide-rate sentence of a Mexican place; `national` is the country's series (none for MX). */
export function rateTakeaway(
  locale: Locale,
  o: { place: string; points: TrendPoint[]; national?: TrendPoint[] },
): string | undefined {
  const t = translator(locale);
  const facts = trendFacts(o.points, o.national);
  if (!facts) return undefined;
  const values = {
    place: o.place,
    year: facts.latest.period,
    rate: formatNumber(locale, facts.latest.value, { maximumFractionDigits: 1 }),
    trend: trendText(locale, facts, (p) => p),
  };
  if (facts.ratio === null) return t('web.takeaway.rate', values);
  const c = comparison(facts.ratio);
  const share =
    c.kind === 'times'
      ? formatNumber(locale, c.share, { maximumFractionDigits: 1 })
      : formatPercent(locale, c.share);
  return t('web.takeaway.rateVersus', { ...values, versus: t(`web.takeaway.versus.${c.kind}`, { share }) });
}

/**
 * The synthetic-opioid sentence of a U.S. place, from its 12-month-ending counts by month; `national`
 * is the country's series, for a state's share of it.
 */
export function deathsTakeaway(
  locale: Locale,
  o: { place: string; points: TrendPoint[]; national?: TrendPoint[] },
): string | undefined {
  const t = translator(locale);
  const facts = trendFacts(o.points, o.national);
  if (!facts) return undefined;
  const month = (p: string) => formatMonths(locale, p.slice(0, 7), p.slice(0, 7));
  const values = {
    place: o.place,
    count: facts.latest.value,
    month: month(facts.latest.period),
    trend: trendText(locale, facts, month),
  };
  return facts.ratio === null
    ? t('web.takeaway.deaths', values)
    : t('web.takeaway.deathsShare', {
        ...values,
        share: formatNumber(locale, facts.ratio, { style: 'percent', maximumFractionDigits: 1 }),
      });
}
