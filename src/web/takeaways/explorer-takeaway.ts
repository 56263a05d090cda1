/**
 * The sentence the statistics explorer opens its answer with: for several places, which stood highest
 * and lowest in the latest complete period they share; for one place, its latest value against its
 * first. Partial periods (half a year) never count: they would read as a fall.
 * @module
 */
import { formatNumber, formatPercent, translator, type Locale } from '../../i18n/index.js';
import type { TrendPoint } from './trend.js';

export interface TakeawaySeries {
  name: string;
  points: TrendPoint[];
}

/** The explorer's takeaway; undefined when no complete period has a value. */
export function explorerTakeaway(locale: Locale, series: TakeawaySeries[]): string | undefined {
  const t = translator(locale);
  const n = (v: number) => formatNumber(locale, v, { maximumFractionDigits: Math.abs(v) < 100 ? 1 : 0 });
  const known = series.map((s) => ({
    name: s.name,
    points: s.points.filter((p): p is TrendPoint & { value: number } => p.value !== null && !p.partial),
  }));
  if (known.length === 1) {
    const [s] = known;
    const first = s!.points[0];
    const last = s!.points.at(-1);
    if (!first || !last) return undefined;
    if (first === last)
      return t('web.takeaway.explorerSingle', { place: s!.name, value: n(last.value), period: last.period });
    return t('web.takeaway.explorerOne', {
      place: s!.name,
      value: n(last.value),
      period: last.period,
      change: first.value === 0 ? '—' : formatPercent(locale, last.value / first.value - 1, { signed: true }),
      firstPeriod: first.period,
      firstValue: n(first.value),
    });
  }
  // The latest period at least two places have a value for.
  const counts = new Map<string, number>();
  for (const s of known) for (const p of s.points) counts.set(p.period, (counts.get(p.period) ?? 0) + 1);
  const period = [...counts]
    .filter(([, c]) => c >= 2)
    .map(([p]) => p)
    .sort()
    .at(-1);
  if (period === undefined) return undefined;
  const at = known
    .map((s) => ({ name: s.name, value: s.points.find((p) => p.period === period)?.value }))
    .filter((x): x is { name: string; value: number } => x.value !== undefined)
    .sort((a, b) => b.value - a.value);
  return t('web.takeaway.explorerMany', {
    period,
    count: at.length,
    top: at[0]!.name,
    topValue: n(at[0]!.value),
    bottom: at.at(-1)!.name,
    bottomValue: n(at.at(-1)!.value),
  });
}
