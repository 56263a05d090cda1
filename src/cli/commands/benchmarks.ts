/**
 * `marco benchmark list|load`: framework benchmarks, with each target's approvals and whether it is in
 * effect; and a `benchmarks/1` file loaded as the operator (approvals come only from each country's
 * approvers, through the API or the node pages).
 * @module
 */
import { awaiting, inEffect } from '../../domain/benchmark.js';
import type { Config } from '../../config.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { loadBenchmarkDocument } from '../../benchmarks/benchmark-file.js';
import { listBenchmarks } from '../../records/benchmark-repository.js';
import { json, withRecords } from './open-stores.js';
import { readDocument } from './records.js';

export async function runBenchmarkList(
  config: Config,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  const lang = config.locale;
  const t = translator(lang);
  await withRecords(config, async (store) => {
    const list = await listBenchmarks(store);
    if (opts.json) return out(json(list));
    if (list.length === 0) return out(t('cli.benchmarks.none'));
    for (const b of list) {
      out(`${b.code}  ${b.name[lang]}  (${b.node})`);
      for (const target of b.targets)
        out(
          `  ${t(inEffect(target.approvals) ? 'cli.benchmarks.inEffect' : 'cli.benchmarks.awaiting', {
            period: target.period,
            value: formatNumber(lang, target.value),
            countries: awaiting(target.approvals).join(', '),
          })}`,
        );
    }
  });
}

export async function runBenchmarkLoad(
  config: Config,
  file: string,
  opts: { json?: boolean; dryRun?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const doc = await readDocument(file);
  await withRecords(config, async (store) => {
    const saved = await loadBenchmarkDocument(store, doc.data, {
      actor: config.actor,
      source: file,
      locate: doc.locate,
      ...(opts.dryRun ? { dryRun: true } : {}),
    });
    if (opts.json) return out(json({ file, saved }));
    out(t(opts.dryRun ? 'cli.benchmarks.checked' : 'cli.benchmarks.loaded', { file, count: saved.length }));
    for (const s of saved)
      out(
        `  ${t('cli.benchmarks.line', {
          code: s.code,
          action: t(`cli.benchmarks.action.${s.saved.benchmark}`),
          changed: s.saved.targets.filter((x) => x.action !== 'unchanged').length,
        })}`,
      );
  });
}
