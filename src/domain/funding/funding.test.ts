import { describe, expect, it } from 'vitest';
import { safeParseInput, zodIssues } from '../common-schema.js';
import { accountsWith, BUILTIN_ACCOUNTS } from './accounts.js';
import { checkFunding, inDollars } from './funding-check.js';
import { FundingLine, type FundingLineInput } from './funding-schema.js';
import { FUNDING_STAGES, IATI_FORM } from './stages.js';

const line = (over: Partial<FundingLineInput> = {}): FundingLineInput & { country: string } => ({
  fiscal_year: 'FY2010',
  account: 'INCLE',
  stage: 'appropriation',
  program: 'EX-CORRECTIONS',
  amount: 190_000_000,
  source: 'CRS R41349, table 1',
  country: 'US',
  ...over,
});
const known = {
  accounts: accountsWith(),
  programs: new Set(['EX-CORRECTIONS']),
  nodes: new Set<string>(),
  rates: [],
};

describe('funding lines', () => {
  it('refuse a negative amount, an unknown stage, a fiscal year out of range, and both or neither target', () => {
    const issues = (input: unknown) => {
      const parsed = safeParseInput(FundingLine, input);
      return parsed.success ? [] : zodIssues(parsed.error).map((i) => [i.path, i.text?.key]);
    };
    const { country: _c, ...ok } = line();
    expect(issues(ok)).toEqual([]);
    expect(issues({ ...ok, stage: 'disbursement', amount: -5 })).toEqual([
      ['amount', 'validation.schema.negativeAmount'],
    ]);
    expect(issues({ ...ok, stage: 'spent' })).toEqual([['stage', 'validation.schema.oneOf']]);
    expect(issues({ ...ok, fiscal_year: 'FY1900' })).toEqual([
      ['fiscal_year', 'validation.schema.fiscalYearRange'],
    ]);
    expect(issues({ ...ok, fiscal_year: '2010' })).toEqual([['fiscal_year', 'validation.schema.fiscalYear']]);
    expect(issues({ ...ok, node: 'merida:pillar-1' })).toEqual([
      ['program', 'validation.schema.programOrNode'],
    ]);
    // JSON and YAML have no infinity: a number that is not finite is not a number.
    expect(issues({ ...ok, amount: Number.POSITIVE_INFINITY })).toEqual([
      ['amount', 'validation.schema.type'],
    ]);
  });

  it('name an unknown account with the nearest ones, a currency without a rate, and a duplicate', () => {
    const { issues } = checkFunding(
      [
        line({ account: 'INCL' }),
        line({ stage: 'obligation', currency: 'MXN' }),
        line(),
        line({ program: 'NOPE' }),
      ],
      known,
    );
    expect(issues.map((i) => [i.path, i.text?.key])).toEqual([
      ['funding_lines[0].account', 'validation.funding.unknownAccount'],
      ['funding_lines[1].currency', 'validation.funding.noRate'],
      ['funding_lines[3].program', 'validation.funding.unknownProgram'],
    ]);
    expect(issues[0]!.message).toContain('INCLE');
    const dup = checkFunding([line(), line({ amount: 1 })], known).issues;
    expect(dup.map((i) => [i.path, i.text?.key])).toEqual([
      ['funding_lines[1]', 'validation.funding.duplicate'],
    ]);
  });

  it('flag obligations above the appropriation without refusing them, in dollars at the year’s rate', () => {
    const rates = [
      { currency: 'MXN', fiscal_year: 'FY2010', usd_per_unit: 0.08, source: 'Banxico FIX, FY average' },
    ];
    const result = checkFunding(
      [
        line(),
        line({ stage: 'obligation', amount: 150_000_000 }),
        line({
          stage: 'obligation',
          currency: 'MXN',
          amount: 600_000_000,
          country: 'US',
          program: 'EX-CORRECTIONS',
          account: 'INCLE',
          fiscal_year: 'FY2010',
          note: 'second tranche',
        }),
      ],
      { ...known, rates },
    );
    // The two obligations are one key only if they differ: the MXN line is a duplicate of the USD one.
    expect(result.issues.map((i) => i.text?.key)).toEqual(['validation.funding.duplicate']);
    const flagged = checkFunding(
      [
        line(),
        line({ stage: 'obligation', amount: 150_000_000 }),
        line({ stage: 'obligation', account: 'INCLE', amount: 48_000_000, country: 'MX' }),
      ],
      known,
    );
    expect(flagged.flags).toEqual([]);
    const over = checkFunding([line(), line({ stage: 'obligation', amount: 200_000_000 })], known);
    expect(over.issues).toEqual([]);
    expect(over.flags.map((f) => [f.path, f.text?.key])).toEqual([
      ['funding_lines[1]', 'validation.funding.overObligated'],
    ]);
    expect(inDollars(line({ currency: 'MXN', amount: 100 }), rates)).toBeCloseTo(8, 12);
    expect(inDollars(line({ currency: 'EUR' }), rates)).toBeUndefined();
  });

  it('map each stage to one IATI form, and split every built-in account into security or development', () => {
    expect(FUNDING_STAGES.map((s) => IATI_FORM[s].element)).toEqual([
      'budget',
      'budget',
      'budget',
      'transaction',
      'transaction',
      'transaction',
    ]);
    const sectors = Object.fromEntries(BUILTIN_ACCOUNTS.map((a) => [a.code, a.sector]));
    expect(sectors).toEqual({
      INCLE: 'security',
      ESF: 'development',
      FMF: 'security',
      DA: 'development',
      NADR: 'security',
      IMET: 'security',
      'DOD-333': 'security',
      'DOD-1004': 'security',
    });
  });
});
