/**
 * What the funding pages add up, on both record stores, over the example workspace's illustrative lines:
 * every figure is recomputed here from the workspace file itself (approved lines only, pesos at the
 * file's own rates), independently of Marco's arithmetic. Constant dollars go through an imported
 * deflator table; a bad deflator file is refused with file, line and column and changes nothing; an
 * import replaces the table whole and is audited; the workspace round-trips its deflator; and the public
 * never sees a line awaiting approval in any figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/access/viewer.js';
import { ValidationError } from '../../src/error.js';
import { analyseFunding } from '../../src/funding/funding-analysis.js';
import {
  chosenDollars,
  deflatorInForce,
  importDeflator,
  readDeflatorCsv,
} from '../../src/funding/deflator-service.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { exportWorkspace } from '../../src/records/workspace-export.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { clock } from '../fixtures/workspace.js';
import { STORE_KINDS, countRows, freshStore } from '../records/stores.js';

interface Line {
  fiscal_year: string;
  account: string;
  stage: string;
  program?: string;
  node?: string;
  amount: number;
  currency?: string;
  source: string;
  status?: string;
}

// The example's defaults: a workspace declares its deflator rows under them, as its exchange rates.
const OWNER = { country: 'US', agency: 'INL', classification: 'public' } as const;

/** An illustrative deflator: FY2021 = 1, older years cheaper. */
const DEFLATOR = [
  'fiscal_year,index,source',
  'FY2016,0.90,Illustrative price index',
  'FY2017,0.92,Illustrative price index',
  'FY2018,0.94,Illustrative price index',
  'FY2019,0.96,Illustrative price index',
  'FY2021,1,Illustrative price index',
].join('\n');

describe.each(STORE_KINDS)('funding analysis on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let ws: {
    funding_lines: Line[];
    exchange_rates: { currency: string; fiscal_year: string; usd_per_unit: number }[];
  };
  let approved: Line[];
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    const doc = (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data as typeof ws;
    ws = doc;
    await loadWorkspace(store, doc as never, { actor: 'loader', now: clock });
    approved = ws.funding_lines.filter((l) => l.status === 'approved');
  }, 120_000);
  afterAll(() => store?.dispose());

  /** A line's dollars as the file gives them: pesos at the file's rate for the year. */
  const usd = (l: Line) =>
    (l.currency ?? 'USD') === 'USD'
      ? l.amount
      : l.amount *
        ws.exchange_rates.find((r) => r.currency === l.currency && r.fiscal_year === l.fiscal_year)!
          .usd_per_unit;
  const sum = (lines: Line[]) => lines.reduce((s, l) => s + usd(l), 0);

  it('labels every example line illustrative, and round-trips them through the workspace', async () => {
    expect(ws.funding_lines.length).toBeGreaterThan(20);
    for (const l of ws.funding_lines) expect(l.source).toMatch(/^Illustrative/);
    // Some lines await approval, so that the public figures leave something out.
    expect(ws.funding_lines.some((l) => l.status !== 'approved')).toBe(true);
    const before = await countRows(store);
    const again = await loadWorkspace(store, await exportWorkspace(store), { actor: 'loader', now: clock });
    expect(again.funding_lines).toMatchObject({ create: 0, update: 0 });
    expect(await countRows(store)).toEqual(before);
  });

  it('adds up the country’s approved lines as the file does, for the public', async () => {
    const a = await analyseFunding(store, undefined, null, { kind: 'country' });
    expect(a.counted).toBe(approved.length);
    for (const fy of ['FY2016', 'FY2017', 'FY2018', 'FY2019']) {
      const flow = a.flow.find((f) => f.fiscal_year === fy)!;
      const of = (stage: string) => approved.filter((l) => l.fiscal_year === fy && l.stage === stage);
      expect(flow.stages.obligation, fy).toBeCloseTo(sum(of('obligation')), 4);
      expect(flow.stages.disbursement, fy).toBeCloseTo(sum(of('disbursement')), 4);
    }
    // FY2018 INCLE: 9.7M obligated, nothing disbursed yet (the disbursement awaits approval).
    const incle18 = a.pipeline.find((p) => p.fiscal_year === 'FY2018' && p.account === 'INCLE')!;
    expect(incle18).toMatchObject({ undisbursed: 9_700_000, burnRate: 0, unobligated: 1_300_000 });
    // The security share of FY2017 obligations: INCLE 13.1M + IMET 1.5M against ESF 4.0M.
    const share17 = a.share.rows.find((r) => r.fiscal_year === 'FY2017')!;
    expect(a.share.stage).toBe('obligation');
    expect(share17.securityShare).toBeCloseTo(14.6 / 18.6, 12);
    // Each framework's top-level nodes add up to the obligations of lines that serve it.
    for (const fy of a.fiscalYears) {
      const merida = a.byTopNode.filter((n) => n.fiscal_year === fy && n.node.startsWith('merida:'));
      const obligated = a.flow.find((f) => f.fiscal_year === fy)!.stages.obligation;
      expect(
        merida.reduce((s, n) => s + n.obligated, 0),
        fy,
      ).toBeCloseTo(obligated, 4);
    }
    // Outcome coverage: only the Chihuahua program has an outcome indicator with approved results.
    const obligations = approved.filter((l) => l.stage === 'obligation');
    expect(a.coverage.obligated).toBeCloseTo(sum(obligations), 4);
    expect(a.coverage.covered).toBeCloseTo(
      sum(obligations.filter((l) => l.program === 'EX-CHIHUAHUA-PREVENTION')),
      4,
    );
    // The correctional program's cost per accreditation: approved disbursements over institutions.
    const corrections = a.programs.find((p) => p.code === 'EX-CORRECTIONS')!;
    const aca = corrections.indicators.find((i) => i.code === 'EX-ACA-ACCREDITED')!;
    const disbursed = sum(
      approved.filter((l) => l.program === 'EX-CORRECTIONS' && l.stage === 'disbursement'),
    );
    expect(aca.costPerUnit).toBeCloseTo(disbursed / aca.actual!, 6);
  });

  it('narrows to a program and to a framework node', async () => {
    const program = await analyseFunding(store, undefined, null, { kind: 'program', code: 'EX-CORRECTIONS' });
    expect(program.counted).toBe(approved.filter((l) => l.program === 'EX-CORRECTIONS').length);
    // merida:1 holds node lines only (FMF, IMET); merida:4 the Chihuahua program's lines and a DA line.
    const pillar1 = await analyseFunding(store, undefined, null, { kind: 'node', ref: 'merida:1' });
    expect(new Set(pillar1.totals.map((t) => t.account))).toEqual(new Set(['FMF', 'IMET']));
    const pillar4 = await analyseFunding(store, undefined, null, { kind: 'node', ref: 'merida:4' });
    expect(pillar4.counted).toBe(
      approved.filter((l) => l.node === 'merida:4' || l.program === 'EX-CHIHUAHUA-PREVENTION').length,
    );
    await expect(
      analyseFunding(store, undefined, null, { kind: 'program', code: 'NO-SUCH' }),
    ).rejects.toThrow(/NO-SUCH/);
  });

  it('counts a line awaiting approval for no one, not even the operator', async () => {
    const publicView = await analyseFunding(store, undefined, null, { kind: 'country' });
    const operator = await analyseFunding(store, undefined, OPERATOR, { kind: 'country' });
    expect(operator.counted).toBe(publicView.counted);
    expect(publicView.flow.find((f) => f.fiscal_year === 'FY2020')).toBeUndefined();
  });

  it('refuses a bad deflator file with file, line and column, and writes nothing', async () => {
    const cases: [string, RegExp][] = [
      [
        'year,index,source\nFY2016,1,x',
        /deflator\.csv:1: .*unknown columns year.*missing columns fiscal_year/,
      ],
      ['fiscal_year,index,source\nFY2016,0,x', /deflator\.csv:2:2 \(index\): .*above zero/],
      ['fiscal_year,index,source\nFY2016,1.2.3,x', /deflator\.csv:2:2 \(index\): 1\.2\.3 is not a number/],
      ['fiscal_year,index,source\n2016,1,x', /deflator\.csv:2:1 \(fiscal_year\)/],
      [
        'fiscal_year,index,source\nFY2016,1,x\nFY2016,1.1,y',
        /deflator\.csv:3:1 \(fiscal_year\): FY2016 is given twice \(first at deflator\.csv:2\)/,
      ],
      ['fiscal_year,index,source\n', /deflator\.csv:2: .*no rows/],
    ];
    for (const [text, message] of cases) {
      const error = (() => {
        try {
          readDeflatorCsv(text, 'deflator.csv');
        } catch (e) {
          return e;
        }
      })();
      expect(error, text).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).messageIn('en'), text).toMatch(message);
    }
    // An unknown owner refuses the import whole.
    const before = await countRows(store);
    await expect(
      importDeflator(
        store,
        readDeflatorCsv(DEFLATOR, 'd.csv'),
        { ...OWNER, agency: 'NOPE' },
        { actor: 'x', now: clock },
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await countRows(store)).toEqual(before);
  });

  it('converts to constant dollars through an imported deflator, replaced whole and audited', async () => {
    expect(await deflatorInForce(store, undefined)).toMatchObject({ origin: 'none', rows: [] });
    const done = await importDeflator(store, readDeflatorCsv(DEFLATOR, 'd.csv'), OWNER, {
      actor: 'economist',
      now: clock,
    });
    expect(done).toMatchObject({ rows: 5, created: 5, deleted: 0, base: 'FY2021' });
    const deflator = await deflatorInForce(store, undefined);
    expect(deflator).toMatchObject({
      origin: 'imported',
      base: 'FY2021',
      sources: ['Illustrative price index'],
    });
    const dollars = chosenDollars(deflator, { constant: true }, 'base');
    const current = await analyseFunding(store, undefined, null, { kind: 'country' });
    const constant = await analyseFunding(store, undefined, null, { kind: 'country' }, dollars);
    const ob = (a: typeof current, fy: string) => a.flow.find((f) => f.fiscal_year === fy)!.stages.obligation;
    expect(ob(constant, 'FY2016')).toBeCloseTo(ob(current, 'FY2016') / 0.9, 4);
    expect(ob(constant, 'FY2019')).toBeCloseTo(ob(current, 'FY2019') / 0.96, 4);
    // In dollars of FY2016 instead: each year times 0.90 over its own index.
    const of2016 = await analyseFunding(
      store,
      undefined,
      null,
      { kind: 'country' },
      chosenDollars(deflator, { constant: true, base: 'FY2016' }, 'base'),
    );
    expect(ob(of2016, 'FY2018')).toBeCloseTo((ob(current, 'FY2018') * 0.9) / 0.94, 4);
    expect(() => chosenDollars(deflator, { constant: true, base: 'FY2010' }, 'base')).toThrow(
      /no index for FY2010/,
    );
    // A table without FY2019 leaves that year's lines out, and names it.
    const shorter = DEFLATOR.split('\n')
      .filter((l) => !l.startsWith('FY2019'))
      .join('\n');
    const replaced = await importDeflator(store, readDeflatorCsv(shorter, 'd.csv'), OWNER, {
      actor: 'economist',
      now: clock,
    });
    expect(replaced).toMatchObject({ rows: 4, unchanged: 4, deleted: 1 });
    const gap = await analyseFunding(store, undefined, null, { kind: 'country' }, dollars);
    expect(gap.fiscalYears).not.toContain('FY2019');
    expect(new Set(gap.leftOut.map((l) => `${l.fiscal_year} ${l.reason}`))).toEqual(
      new Set(['FY2019 noIndex']),
    );
    const audited = await store.db
      .selectFrom('audit_log')
      .select(['action', 'entity_key as key'])
      .where('entity', '=', 'deflator')
      .execute();
    expect(audited.filter((e) => e.action === 'create')).toHaveLength(5);
    expect(audited.filter((e) => e.action === 'delete').map((e) => e.key)).toEqual(['FY2019']);
    // The workspace carries the table, and loading its export changes nothing.
    const exported = await exportWorkspace(store);
    expect(exported.deflators?.map((r) => r.fiscal_year)).toEqual(['FY2016', 'FY2017', 'FY2018', 'FY2021']);
    const again = await loadWorkspace(store, exported, { actor: 'loader', now: clock });
    expect(again.deflators).toMatchObject({ create: 0, update: 0, unchanged: 4 });
  });
});
