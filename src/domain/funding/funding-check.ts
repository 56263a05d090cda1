/**
 * The checks of funding lines across records, before anything is written: each line's account exists
 * (built in or added), its program or node exists, a currency other than dollars has a rate for its fiscal
 * year, and no two lines share a key. These are refusals. One more is a flag, not a refusal: obligations
 * above the appropriation of the same fiscal year, account and program, since real data has transfers
 * and reprogramming. Pure: the caller passes what exists.
 * @module
 */
import { textIssue, type Issue } from '../../error.js';
import { nearest } from '../place-check.js';
import type { Account } from './accounts.js';
import type { ExchangeRateInput, FundingLineInput } from './funding-schema.js';

export interface FundingKnown {
  accounts: ReadonlyMap<string, Account>;
  /** Program codes and node references that exist; undefined: not checked. */
  programs?: ReadonlySet<string>;
  nodes?: ReadonlySet<string>;
  rates: readonly ExchangeRateInput[];
}

/** The key that makes a line unique: one amount per fiscal year, account, stage, target and country. */
export const fundingKey = (
  l: Pick<FundingLineInput, 'fiscal_year' | 'account' | 'stage' | 'program' | 'node'>,
  country: string,
) => [l.fiscal_year, l.account, l.stage, l.program ?? '', l.node ?? '', country].join('|');

export interface FundingCheck {
  issues: Issue[];
  /** Obligations above appropriations: shown to the user, never refused. */
  flags: Issue[];
}

export function checkFunding(
  lines: readonly (FundingLineInput & { country: string })[],
  known: FundingKnown,
  pathOf: (index: number) => string = (i) => `funding_lines[${i}]`,
): FundingCheck {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const codes = [...known.accounts.keys()];
  lines.forEach((line, i) => {
    const at = pathOf(i);
    if (!known.accounts.has(line.account))
      issues.push(
        textIssue(`${at}.account`, 'validation.funding.unknownAccount', {
          account: JSON.stringify(line.account),
          near: nearest(line.account, codes, 3).join(', '),
        }),
      );
    if (line.program !== undefined && known.programs && !known.programs.has(line.program))
      issues.push(
        textIssue(`${at}.program`, 'validation.funding.unknownProgram', {
          program: JSON.stringify(line.program),
        }),
      );
    if (line.node !== undefined && known.nodes && !known.nodes.has(line.node))
      issues.push(
        textIssue(`${at}.node`, 'validation.funding.unknownNode', { node: JSON.stringify(line.node) }),
      );
    const currency = line.currency ?? 'USD';
    if (
      currency !== 'USD' &&
      !known.rates.some((r) => r.currency === currency && r.fiscal_year === line.fiscal_year)
    )
      issues.push(
        textIssue(`${at}.currency`, 'validation.funding.noRate', { currency, fiscal_year: line.fiscal_year }),
      );
    const key = fundingKey(line, line.country);
    const first = seen.get(key);
    if (first !== undefined)
      issues.push(textIssue(at, 'validation.funding.duplicate', { first: pathOf(first) }));
    else seen.set(key, i);
  });
  return { issues, flags: overObligated(lines, known.rates, pathOf) };
}

/** Dollars of a line: its amount, or the amount times its currency's rate for its fiscal year. */
export function inDollars(
  line: Pick<FundingLineInput, 'currency' | 'amount' | 'fiscal_year'>,
  rates: readonly ExchangeRateInput[],
): number | undefined {
  const currency = line.currency ?? 'USD';
  if (currency === 'USD') return line.amount;
  const rate = rates.find((r) => r.currency === currency && r.fiscal_year === line.fiscal_year);
  return rate === undefined ? undefined : line.amount * rate.usd_per_unit;
}

/** Each fiscal year, account and target whose obligations exceed its appropriation, at its first obligation. */
function overObligated(
  lines: readonly (FundingLineInput & { country: string })[],
  rates: readonly ExchangeRateInput[],
  pathOf: (index: number) => string,
): Issue[] {
  const sums = new Map<
    string,
    { appropriated: number; obligated: number; at: number | undefined; hasAppropriation: boolean }
  >();
  lines.forEach((line, i) => {
    if (line.stage !== 'appropriation' && line.stage !== 'obligation') return;
    const dollars = inDollars(line, rates);
    if (dollars === undefined) return;
    const key = [line.fiscal_year, line.account, line.program ?? '', line.node ?? '', line.country].join('|');
    const sum = sums.get(key) ?? { appropriated: 0, obligated: 0, at: undefined, hasAppropriation: false };
    if (line.stage === 'appropriation') {
      sum.appropriated += dollars;
      sum.hasAppropriation = true;
    } else {
      sum.obligated += dollars;
      sum.at ??= i;
    }
    sums.set(key, sum);
  });
  const flags: Issue[] = [];
  for (const [key, s] of sums)
    if (s.hasAppropriation && s.at !== undefined && s.obligated > s.appropriated) {
      const [fiscal_year, account] = key.split('|');
      flags.push(
        textIssue(pathOf(s.at), 'validation.funding.overObligated', {
          fiscal_year: fiscal_year!,
          account: account!,
          obligated: s.obligated,
          appropriated: s.appropriated,
        }),
      );
    }
  return flags;
}
