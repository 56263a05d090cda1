/**
 * `marco sources`: the statistics sources, their licences and parameters, and the vintages imported.
 * @module
 */
import type { Config } from '../../config.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { sourceCatalogue } from '../../stats/catalogue.js';
import { json, withStats } from './open-stores.js';

export async function runSources(config: Config, opts: { json?: boolean }, out: (text: string) => void) {
  const t = translator(config.locale);
  await withStats(config, async (stats) => {
    const catalogue = await sourceCatalogue(stats);
    if (opts.json) return out(json(catalogue));
    for (const s of catalogue) {
      out(t('stats.sourceLine', { id: s.id, title: s.title[config.locale] }));
      out(t('stats.publisherLine', { publisher: s.publisher, licence: s.licence }));
      out(t('stats.landingLine', { landing: s.landing }));
      for (const p of s.params)
        out(
          t('stats.paramLine', {
            name: p.name,
            default: p.default,
            description: p.description[config.locale],
          }),
        );
      const own = s.vintages;
      if (own.length === 0) out(t('stats.noVintages'));
      for (const v of own)
        out(
          t('stats.vintageLine', {
            id: v.id,
            file: v.file_name,
            rows: formatNumber(config.locale, v.rows_loaded),
            from: v.period_from?.slice(0, 7) ?? '—',
            to: v.period_to?.slice(0, 7) ?? '—',
            at: v.imported_at.slice(0, 16).replace('T', ' '),
            replaced: v.replaced_by === null ? '' : t('stats.vintageReplaced', { id: v.replaced_by }),
          }),
        );
    }
  });
}
