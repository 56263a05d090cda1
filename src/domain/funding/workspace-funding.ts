/**
 * The funding part of a workspace check: the workspace's accounts and rates join those stored, and its
 * funding lines are checked against both, and against the programs and framework nodes that exist or
 * that the workspace declares (`funding-check.ts`). Obligations above appropriations are not refused
 * here: the load reports them as flags.
 * @module
 */
import type { Issue } from '../../error.js';
import type { Workspace } from '../workspace-schema.js';
import { accountsWith, type Account } from './accounts.js';
import { checkFunding } from './funding-check.js';
import type { ExchangeRateInput } from './funding-schema.js';

/** What is stored of funding: added accounts and exchange rates. */
export interface KnownFunding {
  accounts: readonly Account[];
  rates: readonly ExchangeRateInput[];
}

/** The accounts and rates in force once the workspace is loaded: its own replace those stored. */
export function fundingInForce(ws: Workspace, known: KnownFunding | undefined) {
  const accounts = accountsWith([...(known?.accounts ?? []), ...(ws.accounts ?? [])]);
  const rates = new Map<string, ExchangeRateInput>();
  for (const r of [...(known?.rates ?? []), ...(ws.exchange_rates ?? [])])
    rates.set(`${r.currency}|${r.fiscal_year}`, r);
  return { accounts, rates: [...rates.values()] };
}

/** The issues of the workspace's funding: duplicate accounts or rates, and each line's checks. */
export function workspaceFundingIssues(
  ws: Workspace,
  known: KnownFunding | undefined,
  targets: { programs: ReadonlySet<string>; nodes: ReadonlySet<string> },
  duplicate: (path: string, what: string, key: string, first: string) => void,
): Issue[] {
  const seen = <T>(items: T[] | undefined, key: (item: T) => string, path: string, what: string) => {
    const first = new Map<string, number>();
    items?.forEach((item, i) => {
      const k = key(item);
      const at = first.get(k);
      if (at !== undefined) duplicate(`${path}[${i}]`, what, k, `${path}[${at}]`);
      else first.set(k, i);
    });
  };
  seen(ws.accounts, (a) => a.code, 'accounts', 'account');
  seen(ws.exchange_rates, (r) => `${r.currency}|${r.fiscal_year}`, 'exchange_rates', 'exchangeRate');
  seen(ws.deflators, (r) => r.fiscal_year, 'deflators', 'deflator');
  if (!ws.funding_lines?.length) return [];
  const { accounts, rates } = fundingInForce(ws, known);
  const lines = ws.funding_lines.map((l) => ({ ...l, country: l.country ?? ws.defaults.country }));
  return checkFunding(lines, { accounts, rates, ...targets }, (i) => `funding_lines[${i}]`).issues;
}
