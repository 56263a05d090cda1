/**
 * Constant dollars. A deflator table gives, for each fiscal year, a price index (any base: the year whose
 * index is 1 is the base); an amount of year Y in constant dollars of base B is
 * `amount × index(B) / index(Y)`. A year the table lacks has no constant amount: it is left out and
 * named, never guessed. Pure: the services layer says which table is in force (an imported one, or the
 * one implied by USAID's Foreign Aid Explorer).
 * @module
 */
import { z } from 'zod';
import { Str, ownership } from '../common-schema.js';
import { FiscalYear } from './funding-schema.js';

/** One fiscal year's price index and the table it comes from. */
export const DeflatorRow = z
  .object({
    fiscal_year: FiscalYear,
    index: z.number().positive({ message: 'validation.schema.deflatorIndex' }),
    source: Str,
    ...ownership,
  })
  .strict();
export type DeflatorRow = z.infer<typeof DeflatorRow>;

/** Current or constant dollars of a base year. */
export type Dollars = { kind: 'current' } | { kind: 'constant'; base: string };

/** The year whose index is 1 (to 1e-4), or else the last year: what "constant dollars" defaults to. */
export function defaultBase(rows: readonly DeflatorRow[]): string | null {
  const sorted = [...rows].sort((a, b) => a.fiscal_year.localeCompare(b.fiscal_year));
  return sorted.find((r) => Math.abs(r.index - 1) < 1e-4)?.fiscal_year ?? sorted.at(-1)?.fiscal_year ?? null;
}

/**
 * A function from (fiscal year, dollars of that year) to dollars in `dollars`: identity for current
 * dollars; `undefined` for a year (or a base) the table lacks.
 */
export function dollarConverter(
  rows: readonly DeflatorRow[],
  dollars: Dollars,
): (fiscalYear: string, amount: number) => number | undefined {
  if (dollars.kind === 'current') return (_fy, amount) => amount;
  const index = new Map(rows.map((r) => [r.fiscal_year, r.index]));
  const base = index.get(dollars.base);
  return (fy, amount) => {
    const own = index.get(fy);
    return base === undefined || own === undefined ? undefined : (amount * base) / own;
  };
}
