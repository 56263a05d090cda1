/**
 * `marco stats`: a measure by place and period, with rates, as text, JSON or the series CSV.
 * @module
 */
import type { Config } from '../../config.js';
import { formatMonths, formatNumber, translator } from '../../i18n/index.js';
import { measureById } from '../../stats/measures.js';
import { methodKey } from '../../stats/precedence/plan.js';
import { querySeries } from '../../stats/series.js';
import { groupMissing } from '../../stats/discover/missing.js';
import { seriesCsv } from '../../stats/series-csv.js';
import { seriesQueryFromText } from '../../stats/series-query.js';
import { json, withStats } from './open-stores.js';

export interface StatsOptions {
  measure: string;
  geo?: string;
  level?: string;
  within?: string;
  by?: string;
  from?: string;
  to?: string;
  per?: string;
  annualize?: boolean;
  filter?: string[];
  source?: string;
  population?: string;
  json?: boolean;
  csv?: boolean;
}

export async function runStats(config: Config, opts: StatsOptions, out: (text: string) => void) {
  const t = translator(config.locale);
  // The query is read before the store opens, so a malformed flag changes nothing and waits for nothing.
  const query = seriesQueryFromText(opts, 'cli');
  await withStats(config, async (stats) => {
    const result = await querySeries(stats, query);
    if (opts.json) return out(json(result));
    if (opts.csv) return out(seriesCsv(result, { locale: config.locale }));
    const rows = result.series.flatMap((s) => s.points);
    const measureTitle = measureById(result.measure.id)?.title[config.locale] ?? result.measure.id;
    // Why each place without a point has none: an empty answer says why it is empty.
    const gaps = result.gaps.map((g) =>
      t(`stats.gap.${g.reason}`, {
        geo: g.geo,
        measure: measureTitle,
        from: g.covered ? formatMonths(config.locale, g.covered.from, g.covered.from) : '',
        to: g.covered ? formatMonths(config.locale, g.covered.to, g.covered.to) : '',
      }),
    );
    if (rows.length === 0) return out([t('stats.noSeries'), ...gaps].join('\n'));
    out(
      t('stats.seriesHeader', {
        measure: measureTitle,
        unit: result.measure.unit[config.locale],
        by: t(`stats.by.${result.query.by}`),
      }),
    );
    const methodText = (m: string) => t(`stats.method.${methodKey(m)}`);
    for (const s of result.series) {
      // The first period's source heads the series; each break is a line before the period it starts.
      const first = s.breaks[0]?.from ?? { method: s.method, source: s.source };
      out(
        t('stats.seriesLine', {
          geo: s.geo,
          name: s.name ?? '',
          method: methodText(first.method),
          source: first.source,
        }),
      );
      const breaks = new Map(s.breaks.map((b) => [b.period, b.to]));
      for (const p of s.points) {
        const to = breaks.get(p.period);
        if (to)
          out(t('stats.breakLine', { period: p.period, method: methodText(to.method), source: to.source }));
        out(
          t('stats.pointLine', {
            period: p.period,
            value: formatNumber(config.locale, p.value),
            rate:
              p.rate === null
                ? p.rateGap
                  ? t('stats.rateGapText', { reason: p.rateGap, period: p.period })
                  : ''
                : t('stats.rateText', {
                    rate: formatNumber(config.locale, p.rate),
                    per: formatNumber(config.locale, result.query.per!),
                  }) + (p.populationMethod === 'interpolated' ? t('stats.interpolatedText') : ''),
            partial: p.covers
              ? t('stats.partialText', {
                  months: formatMonths(config.locale, p.covers.from, p.covers.to),
                  reason: p.partialReason ?? 'months_missing',
                })
              : '',
          }),
        );
      }
      // Periods inside the series without a value, grouped by reason and source.
      for (const { reason, source, periods } of groupMissing(s.missing))
        out(t('stats.missingLine', { periods: periods.join(', '), reason, source }));
    }
    for (const gap of gaps) out(gap);
    if (result.populationSource) out(t('stats.populationSource', { source: result.populationSource }));
  });
}
