/**
 * `marco measures`: every measure Marco serves, with its sources, levels and dimensions' values.
 * @module
 */
import type { Config } from '../../config.js';
import { translator } from '../../i18n/index.js';
import { measureCatalogue } from '../../stats/discover/catalogue.js';
import { json, withStats } from './open-stores.js';

export async function runMeasures(config: Config, opts: { json?: boolean }, out: (text: string) => void) {
  const t = translator(config.locale);
  const l = config.locale;
  await withStats(config, async (stats) => {
    const catalogue = await measureCatalogue(stats);
    if (opts.json) return out(json(catalogue));
    for (const m of catalogue) {
      out(t('stats.measureLine', { id: m.id, title: m.title[l], unit: m.unit[l] }));
      if (m.sources.length === 0) {
        out(t('stats.noVintages'));
        continue;
      }
      out(
        t('stats.measureSources', {
          sources: m.sources
            .map((s) => `${s.source} (${s.level}, ${t(`stats.by.${s.granularity}`)}, ${s.from}–${s.to})`)
            .join('; '),
        }),
      );
      if (m.precedence.length) out(t('stats.measurePrecedence', { sources: m.precedence.join(' → ') }));
      out(t('stats.measureLevels', { levels: m.levels.join(', ') }));
      if (m.requiresFilter) out(t('stats.measureRequires', { dimension: m.requiresFilter }));
      for (const [name, values] of Object.entries(m.dimensions))
        out(
          t('stats.measureDimension', {
            name,
            count: values.length,
            values: values.slice(0, 8).join(', ') + (values.length > 8 ? ', …' : ''),
          }),
        );
    }
  });
}
