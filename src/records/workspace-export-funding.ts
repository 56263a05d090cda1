/**
 * The funding part of a workspace export: the accounts added, the exchange rates and the funding lines
 * `viewer` may see (an unapproved line only to its owners, as results), in the workspace's form, so
 * that loading the export changes nothing.
 * @module
 */
import { canSee, canSeeResult } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import type { Workspace } from '../domain/workspace-schema.js';
import type { RecordsStore } from './database.js';
import { deflatorRowsIn } from './deflator-repository.js';
import { addedAccountsIn, lineInput, listFundingLines } from './funding-repository.js';
import type { Ownership } from './record-writer.js';

type Owned = (r: Ownership & { version: number }) => Record<string, unknown>;

/** `accounts`, `exchange_rates`, `funding_lines` and `deflators` of the export, each left out when empty. */
export async function exportFunding(
  store: RecordsStore,
  viewer: Viewer,
  owned: Owned,
): Promise<Pick<Workspace, 'accounts' | 'exchange_rates' | 'funding_lines' | 'deflators'>> {
  const [accounts, rates, lines, deflators] = await Promise.all([
    addedAccountsIn(store.db),
    store.db.selectFrom('exchange_rates').selectAll().orderBy('currency').orderBy('fiscal_year').execute(),
    listFundingLines(store.db),
    deflatorRowsIn(store.db),
  ]);
  const list = <T>(items: T[]) => (items.length > 0 ? items : undefined);
  // Accounts, rates and deflator rows carry their owner where it is not the export's defaults; they
  // have no version to check.
  const owner = (r: Ownership) => {
    const { version: _v, ...o } = owned({ ...r, version: 1 });
    return o;
  };
  return {
    accounts: list(
      accounts
        .filter((a) => canSee(viewer, a))
        .map((a) => ({
          code: a.code,
          name: a.name,
          sector: a.sector,
          manager: a.manager,
          authority: a.authority,
          ...owner(a),
        })),
    ),
    exchange_rates: list(
      rates
        .filter((r) => canSee(viewer, r))
        .map((r) => ({
          currency: r.currency,
          fiscal_year: r.fiscal_year,
          usd_per_unit: r.usd_per_unit,
          source: r.source,
          ...owner(r),
        })),
    ),
    funding_lines: list(
      lines
        .filter((l) => canSeeResult(viewer, l))
        .map((l) => {
          const { country: _country, ...line } = lineInput(l);
          return { ...line, status: l.status, ...owned(l) };
        }),
    ),
    deflators: list(
      deflators
        .filter((r) => canSee(viewer, r))
        .map((r) => ({ fiscal_year: r.fiscal_year, index: r.index, source: r.source, ...owner(r) })),
    ),
  };
}
