/**
 * The funding part of a workspace load: added accounts, exchange rates, deflator rows, then funding lines, each
 * created, updated or left unchanged like every other record. A line keeps the status the file gives it
 * (an operator's load, as results), and is a draft when the file gives none.
 * @module
 */
import type { Transaction } from 'kysely';
import type { Workspace } from '../domain/workspace-schema.js';
import { saveDeflatorRowIn } from './deflator-repository.js';
import { saveAccountIn, saveExchangeRateIn, saveFundingLineIn } from './funding-repository.js';
import type { Ownership, WriteAction, WriteContext } from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

type Own = (r: {
  country?: Ownership['country'] | undefined;
  agency?: string | undefined;
  classification?: Ownership['classification'] | undefined;
}) => Ownership;

/** Writes the workspace's funding records; `tally` counts each action by entity. */
export async function writeWorkspaceFunding(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  ws: Workspace,
  own: Own,
  tally: (entity: string, action: WriteAction) => void,
): Promise<void> {
  for (const account of ws.accounts ?? [])
    tally('accounts', await saveAccountIn(trx, ctx, account, own(account)));
  for (const rate of ws.exchange_rates ?? [])
    tally('exchange_rates', await saveExchangeRateIn(trx, ctx, rate, own(rate)));
  for (const row of ws.deflators ?? []) tally('deflators', await saveDeflatorRowIn(trx, ctx, row, own(row)));
  for (const line of ws.funding_lines ?? []) {
    const { status, ...input } = line;
    const { action } = await saveFundingLineIn(trx, ctx, {
      line: input,
      owner: own(line),
      status: status ?? 'draft',
    });
    tally('funding_lines', action);
  }
}
