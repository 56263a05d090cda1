/**
 * `marco evaluate SPEC.yaml [--json]`: runs an impact evaluation on the statistics store.
 * @module
 */
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { readDocumentFile } from '../../records/builtin.js';
import { evaluate } from '../../eval/evaluate.js';
import { json } from './open-stores.js';
import { VERSION, withStats } from './stats.js';

export async function runEvaluate(
  config: Config,
  file: string,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  let doc;
  try {
    doc = await readDocumentFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`${file}: no such file`);
    throw error;
  }
  await withStats(config, async (stats) => {
    const result = await evaluate(stats, doc.data, VERSION);
    if (opts.json) return out(json(result));
    const n = (v: number, d = 3) => formatNumber(config.locale, v, { maximumFractionDigits: d });
    out(
      t('evaluate.header', {
        title: result.title,
        units: result.panel.units,
        periods: result.panel.periods,
        cohorts: result.panel.cohorts.length,
        never: result.panel.neverTreated,
      }),
    );
    for (const d of result.panel.dropped) out(t('evaluate.dropped', d));
    if (result.twfe) {
      out(t('evaluate.twfe', { p: n(result.twfe.pretrend.p), df: result.twfe.pretrend.df }));
      result.twfe.relative.forEach((r, i) =>
        out(
          t('evaluate.row', {
            event: r,
            estimate: n(result.twfe!.coefficients[i]!),
            lower: n(result.twfe!.lower[i]!),
            upper: n(result.twfe!.upper[i]!),
          }),
        ),
      );
    }
    if (result.cs) {
      out(
        t('evaluate.cs', {
          att: n(result.cs.simple.att),
          lower: n(result.cs.simple.lower),
          upper: n(result.cs.simple.upper),
          draws: result.cs.draws,
        }),
      );
      for (const d of result.cs.dynamic)
        out(t('evaluate.row', { event: d.event, estimate: n(d.att), lower: n(d.lower), upper: n(d.upper) }));
    }
    out(t('evaluate.hash', { hash: result.hash }));
  });
}
