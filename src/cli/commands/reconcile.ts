/**
 * `marco reconcile`: INEGI homicides against SESNSP victims, by year, for Mexico and each state.
 * @module
 */
import type { Config } from '../../config.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { reconcile } from '../../stats/reconcile.js';
import { json, withStats } from './open-stores.js';

export async function runReconcile(
  config: Config,
  opts: { from?: string; to?: string; json?: boolean; csv?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const lang = config.locale;
  await withStats(config, async (stats) => {
    const rows = await reconcile(stats, { from: opts.from, to: opts.to });
    if (opts.json) return out(json(rows));
    if (opts.csv) {
      out(
        ['geo,name,year,inegi_homicides,sesnsp_homicide_victims,sesnsp_femicide_victims,sesnsp_total,gap']
          .concat(
            rows.map((r) =>
              [
                r.geo,
                `"${(r.name ?? '').replaceAll('"', '""')}"`,
                r.year,
                r.inegiHomicides,
                r.sesnspHomicideVictims,
                r.sesnspFemicideVictims,
                r.sesnspTotal,
                r.gap,
              ]
                .map((v) => (v === null ? '' : String(v)))
                .join(','),
            ),
          )
          .join('\n'),
      );
      return;
    }
    if (rows.length === 0) return out(t('reconcile.none'));
    out(t('reconcile.header'));
    for (const r of rows)
      out(
        t('reconcile.line', {
          geo: r.geo,
          name: r.name ?? '',
          year: r.year,
          inegi: formatNumber(lang, r.inegiHomicides ?? 0),
          sesnsp: formatNumber(lang, r.sesnspTotal ?? 0),
          gap:
            r.gap === null
              ? '—'
              : formatNumber(lang, 100 * r.gap, { maximumFractionDigits: 1, signDisplay: 'always' }),
        }),
      );
  });
}
