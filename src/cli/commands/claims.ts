/**
 * `marco claims check`: the documented figures recomputed from the imported statistics.
 * @module
 */
import type { Config } from '../../config.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { VERSION } from '../../package.js';
import { DEFAULT_TOLERANCE, checkClaims, ensureFigures } from '../../stats/claims.js';
import { share } from '../flags.js';
import { json, withStats } from './open-stores.js';

export async function runClaimsCheck(
  config: Config,
  opts: { json?: boolean; tolerance?: string },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const tolerance = share('--tolerance', opts.tolerance) ?? DEFAULT_TOLERANCE;
  await withStats(
    config,
    async (stats) => {
      await ensureFigures(stats, VERSION);
      const checks = await checkClaims(stats, tolerance);
      if (opts.json) return out(json({ tolerance, checks }));
      const lang = config.locale;
      for (const c of checks) {
        out(
          t('claims.line', {
            verdict: t(`claims.verdict.${c.verdict}`),
            figure: c.figure,
            documented: c.documented,
            computed: c.computed === null ? '—' : formatNumber(lang, c.computed),
            difference:
              c.difference === null
                ? ''
                : t('claims.difference', {
                    percent: formatNumber(lang, 100 * c.difference, {
                      maximumFractionDigits: 1,
                      signDisplay: 'always',
                    }),
                  }),
          }),
        );
        if (c.reason) out(`  ${c.reason}`);
        if (c.query) out(`  ${t('claims.query', { query: JSON.stringify(c.query) })}`);
      }
      const counts = { consistent: 0, discrepant: 0, not_checkable: 0 };
      for (const c of checks) counts[c.verdict] += 1;
      out(t('claims.summary', { ...counts, tolerance: formatNumber(lang, 100 * tolerance) }));
    },
    { write: true },
  );
}
