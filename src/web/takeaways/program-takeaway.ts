/**
 * The sentence a program page opens with: how many of its indicators with results met their target in
 * their latest reported period, and the latest figure of its leading outcome indicator against its
 * baseline and target. Computed from the scorecard the page shows, so it counts what the reader may see
 * (approved results only, for the public).
 * @module
 */
import { formatNumber, translator, type Locale } from '../../i18n/index.js';
import type { IndicatorCard } from '../../indicators/scorecard.js';

const RANK = { impact: 0, outcome: 1, output: 2, activity: 3, input: 4 } as const;

/** The takeaway of a program's indicators; undefined when it has none. */
export function programTakeaway(locale: Locale, indicators: IndicatorCard[]): string | undefined {
  const t = translator(locale);
  if (indicators.length === 0) return undefined;
  const reported = indicators.filter((i) => i.status !== 'no_data' && i.latestPeriod !== null);
  if (reported.length === 0) return t('web.takeaway.programNone', { total: indicators.length });
  // The leading indicator: the highest level (impact, then outcome…), then the latest period.
  const lead = [...reported].sort(
    (a, b) => RANK[a.level] - RANK[b.level] || b.latestPeriod!.localeCompare(a.latestPeriod!),
  )[0]!;
  const period = lead.periods.find((p) => p.period === lead.latestPeriod && p.actual !== null)!;
  const n = (v: number) => formatNumber(locale, v, { maximumFractionDigits: 2 });
  const count = t('web.takeaway.programCount', {
    met: reported.filter((i) => i.status === 'green').length,
    total: reported.length,
  });
  const figure = t(
    period.baseline === null ? 'web.takeaway.programLead' : 'web.takeaway.programLeadBaseline',
    {
      name: lead.name[locale],
      actual: n(period.actual!),
      period: period.period,
      target: n(period.target),
      baseline: period.baseline === null ? '' : n(period.baseline),
    },
  );
  return `${count} ${figure}`;
}
