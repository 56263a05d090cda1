/**
 * `marco anomalies`: months of a monthly series far from the median of the months before them.
 * @module
 */
import type { Config } from '../../config.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { findAnomalies } from '../../stats/anomalies.js';
import { anomalyQueryFromText } from '../../stats/series-query.js';
import { json, withStats } from './open-stores.js';
import { csvCell } from '../../csv.js';

export interface AnomalyOptions {
  measure: string;
  geo?: string;
  level?: 'state' | 'municipality';
  within?: string;
  from?: string;
  to?: string;
  filter?: string[];
  source?: string;
  window?: string;
  threshold?: string;
  minCount?: string;
  json?: boolean;
  csv?: boolean;
}

export async function runAnomalies(config: Config, opts: AnomalyOptions, out: (text: string) => void) {
  const t = translator(config.locale);
  const query = anomalyQueryFromText({ ...opts, min_count: opts.minCount }, 'cli');
  await withStats(config, async (stats) => {
    const result = await findAnomalies(stats, query);
    if (opts.json) return out(json(result));
    if (opts.csv) {
      out('geo,name,period,value,expected,scale,z,direction,lower,upper,quiet_baseline');
      for (const a of result.anomalies)
        out(
          [
            a.geo,
            a.name ?? '',
            a.period,
            a.value,
            a.expected,
            a.scale,
            a.z,
            a.direction,
            a.lower,
            a.upper,
            a.quietBaseline,
          ]
            .map(csvCell)
            .join(','),
        );
      return;
    }
    const n = (v: number, digits = 1) => formatNumber(config.locale, v, { maximumFractionDigits: digits });
    out(
      t('anomalies.header', {
        count: result.anomalies.length,
        months: formatNumber(config.locale, result.examined.months),
        places: formatNumber(config.locale, result.examined.places),
        window: result.query.window,
        threshold: n(result.query.threshold),
        minCount: n(result.query.minCount),
      }),
    );
    for (const a of result.anomalies)
      out(
        t(a.quietBaseline ? 'anomalies.lineQuiet' : 'anomalies.line', {
          geo: a.geo,
          name: a.name ?? '',
          period: a.period,
          value: n(a.value),
          expected: n(a.expected),
          z: n(a.z),
          window: result.query.window,
          direction: a.direction,
        }),
      );
  });
}
