/**
 * A program's IATI classification: DAC codes Marco offers, percentages adding up to 100, each code once,
 * and a flow type among ODA and the two non-ODA ones; every refusal says why, in the catalog's words.
 */
import { describe, expect, it } from 'vitest';
import { safeParseInput, zodIssues } from '../common-schema.js';
import { ProgramIati } from './program-iati.js';

const issues = (input: unknown) => {
  const parsed = safeParseInput(ProgramIati, input);
  return parsed.success ? [] : zodIssues(parsed.error).map((i) => `${i.path}: ${i.message}`);
};

describe('a program’s IATI classification', () => {
  it('takes DAC codes adding up to 100 and a flow type', () => {
    expect(issues({ sectors: [{ code: '15137', percentage: 100 }] })).toEqual([]);
    expect(
      issues({
        sectors: [
          { code: '15220', percentage: 70 },
          { code: '16020', percentage: 30 },
        ],
        flow_type: '50',
      }),
    ).toEqual([]);
  });

  it('refuses a withdrawn or unknown code, a sum other than 100, a code twice and an ODA-less flow', () => {
    expect(issues({ sectors: [{ code: '15120', percentage: 100 }] })[0]).toMatch(
      /^sectors\[0\]\.code: expected one of .*"15137"/,
    );
    expect(
      issues({
        sectors: [
          { code: '15130', percentage: 60 },
          { code: '15210', percentage: 30 },
        ],
      }),
    ).toEqual(["sectors: the sectors' percentages must add up to 100"]);
    expect(
      issues({
        sectors: [
          { code: '15130', percentage: 50 },
          { code: '15130', percentage: 50 },
        ],
      })[0],
    ).toMatch(/a sector is given twice/);
    expect(issues({ sectors: [{ code: '15130', percentage: 100 }], flow_type: '20' })[0]).toMatch(
      /^flow_type: expected one of "10", "21", "50"/,
    );
    expect(issues({ sectors: [] })[0]).toMatch(/^sectors/);
  });
});
