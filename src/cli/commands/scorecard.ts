/**
 * `marco scorecard`: indicator status against targets, by program and framework node.
 * @module
 */
import { type Thresholds, DEFAULT_THRESHOLDS } from '../../domain/score-types.js';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatNumber, formatPercent, translator } from '../../i18n/index.js';
import { describeGap } from '../../indicators/linked-actuals.js';
import { buildScorecard } from '../../indicators/scorecard.js';
import { openStats } from '../../stats/stats-store.js';
import { openGenerationsFor } from './open-stores.js';
import { json, withRecords } from './open-stores.js';
import { selectionOf, type PlaceFlags } from '../place-flags.js';

/** A status cut-off as a share of the target met: 0 to 10 (above 1 is beyond the target). */
function threshold(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 10)
    throw new CliError({ key: 'cli.errors.threshold', values: { flag, given: JSON.stringify(value) } });
  return n;
}

/** The options of `marco scorecard`. */
export interface ScorecardOptions extends Omit<PlaceFlags, 'period'> {
  program?: string;
  node?: string;
  green?: string;
  amber?: string;
  json?: boolean;
}

export async function runScorecard(config: Config, opts: ScorecardOptions, out: (text: string) => void) {
  const thresholds: Thresholds = {
    green: threshold('--green', opts.green, DEFAULT_THRESHOLDS.green),
    amber: threshold('--amber', opts.amber, DEFAULT_THRESHOLDS.amber),
  };
  if (thresholds.amber > thresholds.green)
    throw new CliError({ key: 'cli.errors.amberAboveGreen', values: { ...thresholds } });
  const places = await selectionOf(config, opts);
  const lang = config.locale;
  const t = translator(lang);
  await withRecords(config, async (store) => {
    // Statistics-linked indicators read the statistics store of the same data directory.
    const stats =
      config.statistics === 'generations'
        ? await openGenerationsFor(config, store)
        : await openStats({ dataDir: config.dataDir });
    let card;
    try {
      const build = () =>
        buildScorecard(store, { program: opts.program, node: opts.node, thresholds, stats, places });
      card = stats.pin ? await stats.pin(build) : await build();
    } finally {
      stats.close();
    }
    if (opts.json) return out(json(card));
    const num = (v: number | null) => (v === null ? t('cli.noData') : formatNumber(lang, v));
    const pct = (v: number | null) => (v === null ? t('cli.noData') : formatPercent(lang, v));
    out(t('cli.scorecardHeader', { green: pct(thresholds.green), amber: pct(thresholds.amber) }));
    for (const p of card.programs) {
      out(`\n${p.code}  ${p.title[lang]}`);
      out(
        `  ${t('status.counts', { ...p.counts })} · ${t('cli.compliance', { score: pct(p.compliance.score) })}`,
      );
      if (!p.hasOutcomeIndicator) out(`  ${t('cli.noOutcome')}`);
      for (const flag of p.practiceFlags) out(`  ${t('cli.flag', { ...flag })}`);
      for (const i of p.indicators) {
        const latest = i.periods.find((x) => x.period === i.latestPeriod);
        const detail = latest
          ? t('cli.periodDetail', {
              period: latest.period,
              actual: num(latest.actual),
              target: num(latest.target),
              baseline: num(latest.baseline),
              percent: pct(latest.percentMet),
            }) + (latest.provisional ? ` ${t('cli.provisional')}` : '')
          : t('cli.noData');
        out(
          `  ${t('cli.indicatorLine', {
            code: i.code,
            level: t(`level.${i.level}`),
            direction: t(i.direction === 'increase' ? 'cli.directionIncrease' : 'cli.directionDecrease'),
            status: t(`status.${i.status}`),
            detail,
          })}`,
        );
        for (const gap of i.seriesGaps ?? []) out(`    ${describeGap(t, gap)}`);
      }
    }
    if (card.coverage.share !== null) {
      out(
        `\n${t('cli.coverage', { withOutcome: card.coverage.withOutcome, programs: card.coverage.programs, share: pct(card.coverage.share) })}`,
      );
    }
    out(t('cli.portfolio', { score: pct(card.portfolio.score) }));
  });
}
