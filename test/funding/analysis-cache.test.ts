/**
 * The kept funding analysis, on both record stores: it is always the analysis computed afresh for the
 * stores' current state, after a funding line is added (the money half recomputed, the results half
 * kept) and after an approved result changes (the other way round). The entity versions it is keyed by
 * agree with the audit log read whole, and an entity unknown to the lists counts as a change to both
 * halves.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptAnalysis, MONEY_ONLY, RESULTS_ONLY, UNREAD } from '../../src/funding/analysis-cache.js';
import { analyseFunding } from '../../src/funding/funding-analysis.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { changeOf, entityVersions } from '../../src/records/records-version.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { clock } from '../fixtures/workspace.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';

interface Doc {
  funding_lines: Record<string, unknown>[];
  results: { indicator: string; period: string; place: string; value?: number; status?: string }[];
}

const COUNTRY = { kind: 'country' } as const;
const LIMIT = { programLimit: 20 };
const moneyAt = (v: Map<string, number>) => changeOf(v, [...RESULTS_ONLY, ...UNREAD]);
const resultsAt = (v: Map<string, number>) => changeOf(v, [...MONEY_ONLY, ...UNREAD]);

describe('changeOf', () => {
  it('counts every entity but those left out, an unknown one included', () => {
    const versions = new Map([
      ['funding line', 40],
      ['result', 30],
      ['session', 50],
    ]);
    expect(moneyAt(versions)).toBe(40);
    expect(resultsAt(versions)).toBe(30);
    versions.set('a kind added later', 60);
    expect(moneyAt(versions)).toBe(60);
    expect(resultsAt(versions)).toBe(60);
    expect(changeOf(new Map(), [])).toBe(0);
  });
});

describe.each(STORE_KINDS)('the kept funding analysis on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let doc: Doc;
  const fresh = () => analyseFunding(store, undefined, null, COUNTRY, { kind: 'current' }, LIMIT);
  const kept = () => keptAnalysis(store, undefined, null, COUNTRY, { kind: 'current' }, LIMIT);
  const load = () => loadWorkspace(store, doc as never, { actor: 'loader', now: clock });

  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    doc = (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data as Doc;
    await load();
  }, 120_000);
  afterAll(() => store?.dispose());

  it('reads each entity’s last entry as the whole audit log gives it', async () => {
    const { rows } = await sql<{ entity: string; last: number }>`
      select entity, max(id) as last from audit_log group by entity`.execute(store.db);
    const whole = new Map(rows.map((r) => [r.entity, Number(r.last)]));
    const versions = await entityVersions(store);
    expect(versions).toEqual(whole);
    expect(versions.get('funding line')).toBeGreaterThan(0);
    expect(versions.get('result')).toBeGreaterThan(0);
  });

  it('is the fresh analysis after a funding line is added, the results half unchanged', async () => {
    const before = await kept();
    expect(before).toEqual(await fresh());
    expect(await kept()).toBe(before);
    const v0 = await entityVersions(store);
    const top = before.programs[0]!;
    doc.funding_lines.push({
      fiscal_year: 'FY2019',
      account: 'INCLE',
      stage: 'obligation',
      program: top.code,
      amount: 2_500_000,
      source: 'Illustrative figure, not an official record',
      status: 'approved',
      agency: 'INL',
    });
    await load();
    const v1 = await entityVersions(store);
    expect(moneyAt(v1)).toBeGreaterThan(moneyAt(v0));
    expect(resultsAt(v1)).toBe(resultsAt(v0));
    const after = await kept();
    expect(after.counted).toBe(before.counted + 1);
    expect(after.programs.find((p) => p.code === top.code)!.stages.obligation).toBeCloseTo(
      top.stages.obligation + 2_500_000,
      4,
    );
    expect(after).toEqual(await fresh());
  });

  it('is the fresh analysis after an approved result changes, the money half unchanged', async () => {
    const before = await kept();
    // The last approved result of an indicator shown beside the money, with a measured actual.
    const shown = new Set(
      before.programs.flatMap((p) => p.indicators.filter((i) => i.actual !== null).map((i) => i.code)),
    );
    const result = doc.results.findLast(
      (r) => shown.has(r.indicator) && r.status === 'approved' && typeof r.value === 'number',
    )!;
    expect(result).toBeDefined();
    const actualOf = (a: typeof before) =>
      a.programs.flatMap((p) => p.indicators).find((i) => i.code === result.indicator)!.actual;
    const v0 = await entityVersions(store);
    result.value! += 1000;
    await load();
    const v1 = await entityVersions(store);
    expect(resultsAt(v1)).toBeGreaterThan(resultsAt(v0));
    expect(moneyAt(v1)).toBe(moneyAt(v0));
    const after = await kept();
    expect(actualOf(after)).not.toBe(actualOf(before));
    expect(after).toEqual(await fresh());
  });
});
