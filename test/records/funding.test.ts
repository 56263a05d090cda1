/**
 * Funding records on both record stores: lines, added accounts and exchange rates round-trip through the
 * workspace (load, export, load again changes nothing); every bad input of the issue is refused with its
 * path and writes nothing; obligations above appropriations are flagged, not refused; a line goes
 * through review like a result (its owners submit it, the counterpart approves it, a changed amount goes
 * back to draft); the public sees approved lines only; and every write is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { ForbiddenError, NotFoundError, RefusedError, ValidationError } from '../../src/error.js';
import {
  reviewFundingLine,
  saveFundingLines,
  visibleFundingLines,
} from '../../src/funding/funding-service.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { exportWorkspace } from '../../src/records/workspace-export.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { clock } from '../fixtures/workspace.js';
import { STORE_KINDS, countRows, freshStore } from './stores.js';

const US_REPORTER: Official = { user: 'inl-reporter', country: 'US', agency: 'INL', roles: ['reporter'] };
const US_APPROVER: Official = { user: 'inl-approver', country: 'US', agency: 'INL', roles: ['approver'] };
const MX_APPROVER: Official = { user: 'sre-approver', country: 'MX', agency: 'SRE', roles: ['approver'] };
const OWNER = { country: 'US', agency: 'INL', classification: 'public' } as const;

const FUNDING = {
  accounts: [
    {
      code: 'CN-EARMARK',
      name: { en: 'Illustrative counter-narcotics earmark', es: 'Asignación antidrogas ilustrativa' },
      sector: 'security',
      manager: 'State/INL',
      authority: 'Illustrative appropriations act, §7045',
    },
  ],
  exchange_rates: [
    { currency: 'MXN', fiscal_year: 'FY2021', usd_per_unit: 0.0497, source: 'Illustrative rate' },
  ],
  funding_lines: [
    {
      fiscal_year: 'FY2021',
      account: 'INCLE',
      stage: 'appropriation',
      program: 'EX-CORRECTIONS',
      amount: 5_000_000,
      source: 'Illustrative congressional notification',
      status: 'approved',
    },
    {
      fiscal_year: 'FY2021',
      account: 'INCLE',
      stage: 'obligation',
      program: 'EX-CORRECTIONS',
      amount: 4_200_000,
      source: 'Illustrative obligation report',
      note: 'Letter of agreement amendment',
      status: 'submitted',
    },
    {
      fiscal_year: 'FY2021',
      account: 'CN-EARMARK',
      stage: 'disbursement',
      node: 'bicentennial:1',
      amount: 20_000_000,
      currency: 'MXN',
      source: 'Illustrative disbursement',
    },
  ],
};

describe.each(STORE_KINDS)('funding records on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let example: Record<string, unknown>;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    // The example's programs without its illustrative funding: these tests write their own lines.
    const {
      accounts: _a,
      exchange_rates: _r,
      funding_lines: _l,
      ...programs
    } = (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data as Record<string, unknown>;
    example = programs;
    await loadWorkspace(store, example, { actor: 'loader', now: clock });
  }, 120_000);
  afterAll(() => store?.dispose());

  const withFunding = (funding: Record<string, unknown>) => ({
    marco: example.marco,
    defaults: example.defaults,
    ...funding,
  });

  it('round-trips lines, accounts and rates through the workspace, and a second load changes nothing', async () => {
    const summary = await loadWorkspace(store, withFunding(FUNDING), { actor: 'loader', now: clock });
    expect(summary.funding_lines).toMatchObject({ create: 3 });
    expect(summary.accounts).toMatchObject({ create: 1 });
    expect(summary.exchange_rates).toMatchObject({ create: 1 });
    const exported = await exportWorkspace(store);
    expect(exported.accounts).toEqual(FUNDING.accounts);
    expect(exported.exchange_rates).toEqual(FUNDING.exchange_rates);
    expect(exported.funding_lines?.map(({ version: _v, ...l }) => l)).toEqual(
      [...FUNDING.funding_lines]
        .map((l) => ({ status: 'draft', ...l }))
        .sort((a, b) => `${a.account}|${a.stage}`.localeCompare(`${b.account}|${b.stage}`)),
    );
    const again = await loadWorkspace(store, exported, { actor: 'loader', now: clock });
    expect(again.funding_lines).toMatchObject({ create: 0, update: 0, unchanged: 3 });
    const audited = await store.db
      .selectFrom('audit_log')
      .select(['entity', 'action'])
      .where('entity', 'in', ['funding line', 'account', 'exchange rate'])
      .execute();
    expect(audited).toHaveLength(5);
  });

  it('refuses each bad line with its path and writes nothing', async () => {
    const line = (fields: Record<string, unknown>) => ({
      fiscal_year: 'FY2022',
      account: 'ESF',
      stage: 'obligation',
      program: 'EX-CORRECTIONS',
      amount: 1000,
      source: 'Test',
      ...fields,
    });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [line({ account: 'INCL' }), 'funding_lines[0].account', /INCLE/],
      [line({ stage: 'spent' }), 'funding_lines[0].stage', /disbursement/],
      [line({ stage: 'disbursement', amount: -5 }), 'funding_lines[0].amount', /zero or more/],
      [line({ fiscal_year: 'FY1900' }), 'funding_lines[0].fiscal_year', /1946/],
      [line({ currency: 'EUR' }), 'funding_lines[0].currency', /EUR/],
      [line({ program: 'NO-SUCH' }), 'funding_lines[0].program', /NO-SUCH/],
    ];
    for (const [bad, path, message] of cases) {
      const before = await countRows(store);
      const error = await loadWorkspace(store, withFunding({ funding_lines: [bad] }), {
        actor: 'loader',
        now: clock,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(ValidationError);
      const issue = (error as ValidationError).issues.find((i) => i.path === path);
      expect(issue?.message, JSON.stringify((error as ValidationError).issues)).toMatch(message);
      expect(await countRows(store)).toEqual(before);
    }
  });

  it('refuses a line whose agency is unknown or of the other country, and writes nothing', async () => {
    const before = await countRows(store);
    const line = { ...FUNDING.funding_lines[0]!, status: undefined, fiscal_year: 'FY2023' } as never;
    const error = await saveFundingLines(
      store,
      'operator',
      [line, { ...(line as object), stage: 'request', agency: 'SSPC' } as never],
      { ...OWNER, agency: 'NOBODY' },
      {
        actor: 'operator',
        now: clock,
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      'lines[0].agency',
      'lines[1].agency',
    ]);
    expect(await countRows(store)).toEqual(before);
  });

  it('flags obligations above the appropriation without refusing them', async () => {
    const saved = await saveFundingLines(
      store,
      US_REPORTER,
      [
        {
          fiscal_year: 'FY2021',
          account: 'INCLE',
          stage: 'obligation',
          program: 'EX-CORRECTIONS',
          amount: 6_500_000,
          source: 'Illustrative obligation report, revised',
        },
      ],
      OWNER,
      { actor: US_REPORTER.user, now: clock },
    );
    expect(saved.saved).toMatchObject([{ action: 'update' }]);
    expect(saved.flags).toHaveLength(1);
    expect(saved.flags[0]!.message).toContain('FY2021');
  });

  it('goes through review like a result, and the public sees approved lines only', async () => {
    const [line] = await visibleFundingLines(store, US_REPORTER, { stages: ['obligation'] });
    // The figure changed above, so the submitted line went back to draft.
    expect(line).toMatchObject({ status: 'draft', amount: 6_500_000, reviewed_by: null });
    expect((await visibleFundingLines(store, null)).map((l) => l.stage)).toEqual(['appropriation']);
    // The counterpart does not see a draft: it is submitted first.
    await expect(
      reviewFundingLine(store, MX_APPROVER, line!.id, 'approve', { actor: MX_APPROVER.user, now: clock }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const submitted = await reviewFundingLine(store, US_REPORTER, line!.id, 'submit', {
      actor: US_REPORTER.user,
      now: clock,
    });
    expect(submitted.status).toBe('submitted');
    await expect(
      reviewFundingLine(store, US_REPORTER, line!.id, 'submit', { actor: US_REPORTER.user, now: clock }),
    ).rejects.toBeInstanceOf(RefusedError);
    // Never approved by the country that reported it.
    await expect(
      reviewFundingLine(store, US_APPROVER, line!.id, 'approve', { actor: US_APPROVER.user, now: clock }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      reviewFundingLine(store, MX_APPROVER, line!.id, 'return', { actor: MX_APPROVER.user, now: clock }),
    ).rejects.toBeInstanceOf(ValidationError);
    const approved = await reviewFundingLine(
      store,
      MX_APPROVER,
      line!.id,
      'approve',
      { actor: MX_APPROVER.user, now: clock },
      { comment: 'Matches the obligation report', version: submitted.version },
    );
    expect(approved).toMatchObject({ status: 'approved', reviewed_by: 'sre-approver' });
    expect((await visibleFundingLines(store, null)).map((l) => l.stage).sort()).toEqual([
      'appropriation',
      'obligation',
    ]);
    // A reporter of another agency may not change the line.
    await expect(
      saveFundingLines(
        store,
        { ...US_REPORTER, agency: 'USAID' },
        [{ ...FUNDING.funding_lines[0]!, status: undefined, amount: 1 } as never],
        { ...OWNER, agency: 'USAID' },
        { actor: 'usaid', now: clock },
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
