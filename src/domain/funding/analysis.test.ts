import { describe, expect, it } from 'vitest';
import { accountsWith } from './accounts.js';
import { costPerUnit, outcomeCoverageOfDollars, pipeline, sectorShare } from './analysis.js';
import type { FundingLineInput } from './funding-schema.js';

const M = 1_000_000;
const line = (
  fiscal_year: string,
  account: string,
  stage: FundingLineInput['stage'],
  amount: number,
  over: Partial<FundingLineInput> = {},
): FundingLineInput => ({
  fiscal_year,
  account,
  stage,
  amount,
  program: 'P1',
  source: 'illustrative',
  ...over,
});

// Illustrative figures, shaped like the GAO's Mérida tables (GAO-10-837): money appropriated in a year is
// obligated and disbursed over the following ones.
const LINES = [
  line('FY2009', 'INCLE', 'appropriation', 246 * M),
  line('FY2009', 'INCLE', 'obligation', 200 * M),
  line('FY2009', 'INCLE', 'disbursement', 50 * M),
  line('FY2009', 'FMF', 'appropriation', 39 * M),
  line('FY2009', 'FMF', 'obligation', 39 * M),
  line('FY2009', 'FMF', 'disbursement', 39 * M),
  line('FY2010', 'ESF', 'obligation', 15 * M, { program: 'P2' }),
  line('FY2010', 'INCLE', 'obligation', 5_000 * M, { currency: 'MXN', program: 'P2' }),
  line('FY2010', 'INCLE', 'disbursement', 0),
];
const RATES = [{ currency: 'MXN', fiscal_year: 'FY2010', usd_per_unit: 0.08, source: 'illustrative' }];

describe('funding analysis', () => {
  it('gives the pipeline and burn rate by fiscal year and account, in dollars', () => {
    const rows = pipeline(LINES, RATES);
    expect(rows.map((r) => [r.fiscal_year, r.account, r.unobligated, r.undisbursed, r.burnRate])).toEqual([
      ['FY2009', 'FMF', 0, 0, 1],
      ['FY2009', 'INCLE', 46 * M, 150 * M, 0.25],
      ['FY2010', 'ESF', null, 15 * M, 0],
      ['FY2010', 'INCLE', null, 400 * M, 0],
    ]);
  });

  it('splits each year into security and development at a stage', () => {
    const share = sectorShare(LINES, RATES, accountsWith(), 'obligation');
    expect(share.map((r) => [r.fiscal_year, r.security, r.development])).toEqual([
      ['FY2009', 239 * M, 0],
      ['FY2010', 400 * M, 15 * M],
    ]);
    expect(share[1]!.securityShare).toBeCloseTo(400 / 415, 12);
    // An office that counts INCLE as development moves it to the other side.
    const moved = accountsWith([{ ...accountsWith().get('INCLE')!, sector: 'development' }]);
    expect(sectorShare(LINES, RATES, moved, 'obligation')[0]).toMatchObject({
      security: 39 * M,
      development: 200 * M,
    });
  });

  it('counts the obligated dollars of programs whose outcomes are measured, and the cost of a unit', () => {
    expect(outcomeCoverageOfDollars(LINES, RATES, new Set(['P2']))).toEqual({
      obligated: 654 * M,
      covered: 415 * M,
      share: 415 / 654,
    });
    expect(outcomeCoverageOfDollars([], RATES, new Set()).share).toBeNull();
    expect(costPerUnit(LINES, RATES, 'P1', 89)).toBe(1 * M);
    expect(costPerUnit(LINES, RATES, 'P1', 0)).toBeNull();
  });
});
