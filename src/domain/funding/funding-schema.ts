/**
 * A funding line as a workspace, the API and the funding CSV give it: fiscal year × account × stage ×
 * program or framework node × funding country, with an amount in a currency, the document it comes from
 * and a note. Accounts a workspace adds (`accounts:`) and the exchange rates that turn another currency
 * into dollars (`exchange_rates:`) are validated here too; the checks across records (an account or
 * program that exists, a rate for each currency and year) are `funding-check.ts`'s.
 * @module
 */
import { z } from 'zod';
import { Code, NodeRef, Str, Text, ownership } from '../common-schema.js';
import { FUNDING_STAGES } from './stages.js';

/** The fiscal years a line may name: U.S. foreign-assistance data starts in FY1946. */
export const FIRST_FISCAL_YEAR = 1946;
export const LAST_FISCAL_YEAR = 2100;

export const FiscalYear = z
  .string()
  .regex(/^FY\d{4}$/, { message: 'validation.schema.fiscalYear', abort: true })
  .refine(
    (fy) => {
      const year = Number(fy.slice(2));
      return year >= FIRST_FISCAL_YEAR && year <= LAST_FISCAL_YEAR;
    },
    {
      message: 'validation.schema.fiscalYearRange',
      params: { min: FIRST_FISCAL_YEAR, max: LAST_FISCAL_YEAR },
    },
  );

export const FundingStage = z.enum(FUNDING_STAGES);
export const Currency = z.string().regex(/^[A-Z]{3}$/, { message: 'validation.schema.currency' });

/** An amount of money: finite and never negative (a de-obligation is a smaller obligation). */
export const Amount = z
  .number()
  .refine((n) => Number.isFinite(n) && n >= 0, { message: 'validation.schema.negativeAmount' });

const fundingLineFields = {
  fiscal_year: FiscalYear,
  account: Code,
  stage: FundingStage,
  program: Code.optional(),
  node: NodeRef.optional(),
  amount: Amount,
  currency: Currency.optional(),
  source: Str,
  note: Str.optional(),
  ...ownership,
};

const oneTarget = <T extends { program?: string | undefined; node?: string | undefined }>(l: T) =>
  (l.program === undefined) !== (l.node === undefined);
const oneTargetIssue = { message: 'validation.schema.programOrNode', path: ['program'] };

/** A funding line as the API and the funding CSV give it: its status is set by review, never here. */
export const FundingLine = z.object(fundingLineFields).strict().refine(oneTarget, oneTargetIssue);

/** A funding line in a workspace, which an operator loads with the status it had (as results). */
export const WorkspaceFundingLine = z
  .object({ ...fundingLineFields, status: z.enum(['draft', 'submitted', 'approved']).optional() })
  .strict()
  .refine(oneTarget, oneTargetIssue);
export type WorkspaceFundingLineInput = z.infer<typeof WorkspaceFundingLine>;
export type FundingLineInput = z.infer<typeof FundingLine>;

/** An account a deployment adds to the built-in ones. */
export const AccountInput = z
  .object({
    code: Code,
    name: Text,
    sector: z.enum(['security', 'development']),
    manager: Str,
    authority: Str,
    ...ownership,
  })
  .strict();
export type AccountInput = z.infer<typeof AccountInput>;

/** Dollars per unit of a currency in a fiscal year, and where the rate comes from. */
export const ExchangeRate = z
  .object({
    currency: Currency,
    fiscal_year: FiscalYear,
    usd_per_unit: z.number().positive(),
    source: Str,
    ...ownership,
  })
  .strict();
export type ExchangeRateInput = z.infer<typeof ExchangeRate>;
