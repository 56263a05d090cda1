/**
 * Response schemas of the funding routes: funding lines with their review, what a save did, and the
 * accounts.
 * @module
 */
import { z } from 'zod';
import { Bilingual, UserName, Versioned } from './common.js';

export const FundingLineRecord = z
  .object({
    id: z.number().int(),
    fiscal_year: z.string().meta({ description: 'FY2021: the fiscal year of the appropriation' }),
    account: z.string(),
    stage: z.enum(['request', 'appropriation', 'allocation', 'obligation', 'disbursement', 'expenditure']),
    program: z.string().nullable(),
    node: z.string().nullable().meta({ description: 'framework:node' }),
    amount: z.number(),
    currency: z.string(),
    source: z.string(),
    note: z.string().nullable(),
    status: z.enum(['draft', 'submitted', 'approved']),
    review_comment: z.string().nullable(),
    reviewed_by: UserName.nullable(),
    reviewed_at: z.string().nullable(),
    ...Versioned,
  })
  .meta({ id: 'FundingLine' });
export const FundingLineList = z.array(FundingLineRecord);

const Flag = z.object({ path: z.string(), message: z.string() });

export const FundingSaved = z.object({
  saved: z.array(
    z.object({ key: z.string(), id: z.number().int(), action: z.enum(['create', 'update', 'unchanged']) }),
  ),
  flags: z.array(Flag).meta({
    description:
      'obligations above the appropriation of the same fiscal year, account and target: shown, never refused',
  }),
});

export const FundingAccount = z
  .object({
    code: z.string(),
    name: Bilingual,
    sector: z.enum(['security', 'development']),
    manager: z.string(),
    authority: z.string(),
  })
  .meta({ id: 'FundingAccount' });
export const FundingAccountList = z.array(FundingAccount);

export const CountryActuals = z
  .object({
    available: z.boolean(),
    source: z.string(),
    vintages: z.array(z.object({ file_name: z.string(), sha256: z.string(), imported_at: z.string() })),
    actuals: z.array(
      z.object({
        fiscal_year: z.string(),
        stage: z.enum(['obligation', 'disbursement']),
        current: z.number(),
        constant: z.number().nullable(),
      }),
    ),
    deflator: z.object({
      base: z.string().nullable().meta({ description: 'the fiscal year whose index is 1' }),
      rows: z.array(z.object({ fiscal_year: z.string(), index: z.number() })),
    }),
  })
  .meta({ id: 'CountryActuals' });
