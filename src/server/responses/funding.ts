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

const Stages = z.object({
  request: z.number(),
  appropriation: z.number(),
  allocation: z.number(),
  obligation: z.number(),
  disbursement: z.number(),
  expenditure: z.number(),
});
const StageName = z.enum([
  'request',
  'appropriation',
  'allocation',
  'obligation',
  'disbursement',
  'expenditure',
]);

export const Deflator = z
  .object({
    origin: z.enum(['imported', 'usaid-fae', 'none']).meta({
      description:
        '`imported`: the table imported with `marco funding deflator import`; `usaid-fae`: the index implied by USAID’s Foreign Aid Explorer; `none`: current dollars only',
    }),
    base: z
      .string()
      .nullable()
      .meta({ description: 'the fiscal year whose index is 1: constant dollars default to it' }),
    sources: z.array(z.string()),
    rows: z.array(z.object({ fiscal_year: z.string(), index: z.number(), source: z.string() })),
  })
  .meta({ id: 'Deflator' });

export const FundingAnalysis = z
  .object({
    scope: z.union([
      z.object({ kind: z.literal('country') }),
      z.object({ kind: z.literal('program'), code: z.string() }),
      z.object({ kind: z.literal('node'), ref: z.string() }),
    ]),
    dollars: z.union([
      z.object({ kind: z.literal('current') }),
      z.object({ kind: z.literal('constant'), base: z.string() }),
    ]),
    deflator: z.object({
      origin: z.enum(['imported', 'usaid-fae', 'none']),
      base: z.string().nullable(),
      sources: z.array(z.string()),
    }),
    counted: z.number().int().meta({ description: 'approved funding lines counted' }),
    leftOut: z.array(z.object({ fiscal_year: z.string(), reason: z.enum(['noIndex', 'noRate']) })),
    fiscalYears: z.array(z.string()),
    totals: z.array(
      z.object({ fiscal_year: z.string(), account: z.string(), stage: StageName, amount: z.number() }),
    ),
    flow: z.array(z.object({ fiscal_year: z.string(), stages: Stages, budget: z.number().nullable() })),
    pipeline: z.array(
      z.object({
        fiscal_year: z.string(),
        account: z.string(),
        stages: Stages,
        unobligated: z.number().nullable(),
        undisbursed: z.number(),
        burnRate: z.number().nullable(),
      }),
    ),
    share: z.object({
      stage: StageName,
      security: z.array(z.string()),
      development: z.array(z.string()),
      rows: z.array(
        z.object({
          fiscal_year: z.string(),
          security: z.number(),
          development: z.number(),
          securityShare: z.number().nullable(),
        }),
      ),
    }),
    byTopNode: z.array(
      z.object({ fiscal_year: z.string(), node: z.string(), title: Bilingual, obligated: z.number() }),
    ),
    coverage: z.object({ obligated: z.number(), covered: z.number(), share: z.number().nullable() }),
    programCount: z.number().int().meta({ description: 'programs with money in scope' }),
    programs: z.array(
      z.object({
        code: z.string(),
        title: Bilingual,
        stages: Stages,
        indicators: z.array(
          z.object({
            code: z.string(),
            name: Bilingual,
            unit: Bilingual,
            level: z.string(),
            actual: z.number().nullable(),
            percentMet: z.number().nullable(),
            status: z.string(),
            costPerUnit: z.number().nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'FundingAnalysis' });
