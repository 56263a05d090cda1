/**
 * What funding lines say once added up, in dollars at each fiscal year's rate: the pipeline by fiscal
 * year and account (money obligated and not yet disbursed, the GAO's concern about slow delivery), the
 * burn rate, the security–development share, the share of obligated dollars in programs whose outcomes
 * are measured, and the cost of one unit of an output. Pure: the services layer passes the lines, rates,
 * accounts and program facts.
 * @module
 */
import type { Account } from './accounts.js';
import { inDollars } from './funding-check.js';
import type { ExchangeRateInput, FundingLineInput } from './funding-schema.js';
import type { FundingStage } from './stages.js';

/** Dollars at each stage for one fiscal year and account, with the gaps between stages. */
export interface PipelineRow {
  fiscal_year: string;
  account: string;
  stages: Record<FundingStage, number>;
  /** Appropriated (or, without an appropriation, allocated) and not yet obligated; null without either. */
  unobligated: number | null;
  /** Obligated and not yet disbursed: the pipeline. */
  undisbursed: number;
  /** Disbursed as a share of obligated; null when nothing is obligated. */
  burnRate: number | null;
}

const zero = (): Record<FundingStage, number> => ({
  request: 0,
  appropriation: 0,
  allocation: 0,
  obligation: 0,
  disbursement: 0,
  expenditure: 0,
});

/** Sums lines in dollars by `key`; a line whose currency has no rate is left out (the check refuses it). */
function sumBy(
  lines: readonly FundingLineInput[],
  rates: readonly ExchangeRateInput[],
  key: (line: FundingLineInput) => string,
): Map<string, Record<FundingStage, number>> {
  const sums = new Map<string, Record<FundingStage, number>>();
  for (const line of lines) {
    const dollars = inDollars(line, rates);
    if (dollars === undefined) continue;
    const k = key(line);
    const s = sums.get(k) ?? zero();
    s[line.stage] += dollars;
    sums.set(k, s);
  }
  return sums;
}

/** The pipeline by fiscal year and account, in fiscal-year then account order. */
export function pipeline(
  lines: readonly FundingLineInput[],
  rates: readonly ExchangeRateInput[],
): PipelineRow[] {
  const sums = sumBy(lines, rates, (l) => `${l.fiscal_year}|${l.account}`);
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, stages]) => {
      const [fiscal_year, account] = key.split('|') as [string, string];
      const ceiling = stages.appropriation || stages.allocation;
      const spent = stages.disbursement + stages.expenditure;
      return {
        fiscal_year,
        account,
        stages,
        unobligated: ceiling ? ceiling - stages.obligation : null,
        undisbursed: stages.obligation - spent,
        burnRate: stages.obligation ? spent / stages.obligation : null,
      };
    });
}

/** One fiscal year's money at a stage by side of the split, and the security share of it. */
export interface ShareRow {
  fiscal_year: string;
  security: number;
  development: number;
  /** security / (security + development); null when both are 0. */
  securityShare: number | null;
}

/** The security–development share by fiscal year at `stage`, with the accounts' split. */
export function sectorShare(
  lines: readonly FundingLineInput[],
  rates: readonly ExchangeRateInput[],
  accounts: ReadonlyMap<string, Account>,
  stage: FundingStage,
): ShareRow[] {
  const rows = new Map<string, ShareRow>();
  for (const line of lines) {
    if (line.stage !== stage) continue;
    const account = accounts.get(line.account);
    const dollars = inDollars(line, rates);
    if (!account || dollars === undefined) continue;
    const row = rows.get(line.fiscal_year) ?? {
      fiscal_year: line.fiscal_year,
      security: 0,
      development: 0,
      securityShare: null,
    };
    row[account.sector] += dollars;
    rows.set(line.fiscal_year, row);
  }
  return [...rows.values()]
    .sort((a, b) => a.fiscal_year.localeCompare(b.fiscal_year))
    .map((r) => {
      const total = r.security + r.development;
      return { ...r, securityShare: total ? r.security / total : null };
    });
}

/**
 * The share of obligated dollars that went to programs with at least one outcome (or impact) indicator
 * with an approved result: how much of the money can be read against outcomes at all. Lines for a
 * framework node rather than a program count in the total and never as covered.
 */
export function outcomeCoverageOfDollars(
  lines: readonly FundingLineInput[],
  rates: readonly ExchangeRateInput[],
  programsWithMeasuredOutcome: ReadonlySet<string>,
): { obligated: number; covered: number; share: number | null } {
  let obligated = 0;
  let covered = 0;
  for (const line of lines) {
    if (line.stage !== 'obligation') continue;
    const dollars = inDollars(line, rates);
    if (dollars === undefined) continue;
    obligated += dollars;
    if (line.program !== undefined && programsWithMeasuredOutcome.has(line.program)) covered += dollars;
  }
  return { obligated, covered, share: obligated ? covered / obligated : null };
}

/**
 * Dollars per unit of an output: a program's dollars at `stage` (disbursed by default) over the units its
 * output indicator delivered; null when none were delivered.
 */
export function costPerUnit(
  lines: readonly FundingLineInput[],
  rates: readonly ExchangeRateInput[],
  program: string,
  units: number,
  stage: FundingStage = 'disbursement',
): number | null {
  const dollars = lines
    .filter((l) => l.program === program && l.stage === stage)
    .reduce((sum, l) => sum + (inDollars(l, rates) ?? 0), 0);
  return units > 0 ? dollars / units : null;
}
