/**
 * `marco funding summary [--program CODE | --node REF] [--constant [FY]]`: what the funding page shows,
 * as text or JSON: the flow by fiscal year (allocated or appropriated, obligated, disbursed), the
 * pipeline and burn rate, the security share, the outcome coverage of dollars, and each program's
 * dollars beside its indicators. Approved lines only, as the pages.
 * @module
 */
import { OPERATOR } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { ValidationError, textIssue } from '../../error.js';
import { analyseFunding, type FundingScope } from '../../funding/funding-analysis.js';
import { chosenDollars, deflatorInForce } from '../../funding/deflator-service.js';
import { formatNumber, formatPercent, translator } from '../../i18n/index.js';
import { json, withStatsAndRecords } from './open-stores.js';

export interface SummaryOptions {
  program?: string;
  node?: string;
  /** `true` for the deflator's base year, or a fiscal year. */
  constant?: string | boolean;
  json?: boolean;
}

export async function runFundingSummary(config: Config, opts: SummaryOptions, out: (text: string) => void) {
  const t = translator(config.locale);
  if (opts.program !== undefined && opts.node !== undefined)
    throw new ValidationError([textIssue('--node', 'cli.funding.oneScope')], 'funding summary');
  if (typeof opts.constant === 'string' && !/^FY\d{4}$/.test(opts.constant))
    throw new ValidationError(
      [textIssue('--constant', 'cli.funding.constantYear', { value: opts.constant })],
      'funding summary',
    );
  const scope: FundingScope =
    opts.program !== undefined
      ? { kind: 'program', code: opts.program }
      : opts.node !== undefined
        ? { kind: 'node', ref: opts.node }
        : { kind: 'country' };
  await withStatsAndRecords(config, async (stats, store) => {
    const dollars = chosenDollars(
      await deflatorInForce(store, stats),
      {
        constant: opts.constant !== undefined && opts.constant !== false,
        ...(typeof opts.constant === 'string' ? { base: opts.constant } : {}),
      },
      '--constant',
    );
    const a = await analyseFunding(store, stats, OPERATOR, scope, dollars);
    if (opts.json) return out(json(a));
    const money = (v: number) =>
      formatNumber(config.locale, v, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
    const pct = (v: number | null) => (v === null ? '—' : formatPercent(config.locale, v));
    out(
      dollars.kind === 'current'
        ? t('cli.funding.current', { lines: a.counted })
        : t('cli.funding.constant', { lines: a.counted, base: dollars.base }),
    );
    out(
      [
        t('cli.funding.year'),
        t('cli.funding.budget'),
        t('cli.funding.obligated'),
        t('cli.funding.disbursed'),
        t('cli.funding.pipeline'),
        t('cli.funding.burn'),
        t('cli.funding.security'),
      ].join('\t'),
    );
    for (const f of a.flow) {
      const rows = a.pipeline.filter((p) => p.fiscal_year === f.fiscal_year);
      const undisbursed = rows.reduce((s, p) => s + p.undisbursed, 0);
      const spent = f.stages.disbursement + f.stages.expenditure;
      const share = a.share.rows.find((r) => r.fiscal_year === f.fiscal_year)?.securityShare ?? null;
      out(
        [
          f.fiscal_year,
          f.budget === null ? '—' : money(f.budget),
          money(f.stages.obligation),
          money(spent),
          money(undisbursed),
          pct(f.stages.obligation ? spent / f.stages.obligation : null),
          pct(share),
        ].join('\t'),
      );
    }
    out(
      t('cli.funding.coverage', {
        share: pct(a.coverage.share),
        covered: money(a.coverage.covered),
        obligated: money(a.coverage.obligated),
      }),
    );
    for (const p of a.programs) {
      out(`${p.code}\t${money(p.stages.obligation)}\t${money(p.stages.disbursement + p.stages.expenditure)}`);
      for (const i of p.indicators)
        out(
          `  ${i.code}\t${t(`status.${i.status}`)}\t${pct(i.percentMet)}${i.costPerUnit !== null ? `\t${t('cli.funding.perUnit', { cost: money(i.costPerUnit) })}` : ''}`,
        );
    }
    for (const l of a.leftOut) out(t(`cli.funding.leftOut.${l.reason}`, { year: l.fiscal_year }));
  });
}
