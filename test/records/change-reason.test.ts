/**
 * Moving the goalposts needs a reason, on each store: once an indicator has results, a load that changes
 * its baseline, its life-of-program target or a period target is refused without `change_reason`, naming
 * the field, and changes nothing; with a reason it is written, and the reason is in the indicator's audit
 * entry and its reference sheet's latest version; reloading the same file changes nothing, and the same
 * reason cannot cover a second change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/error.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { exampleWorkspace } from '../fixtures/workspace.js';
import { exampleRecords } from '../server/example-app.js';
import { STORE_KINDS, countRows, type freshStore } from './stores.js';

type Doc = { programs: { code: string; indicators?: Record<string, unknown>[] }[] };

/** The example workspace with Chihuahua's homicide-rate indicator changed by `change`. */
async function changed(change: (ind: Record<string, unknown>) => void) {
  const doc = (await exampleWorkspace()) as Doc;
  change(doc.programs.find((p) => p.code === 'EX-CHIHUAHUA-PREVENTION')!.indicators![0]!);
  return doc;
}

describe.each(STORE_KINDS)('reasons for changing baselines and targets on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await exampleRecords(kind);
  });
  afterAll(() => store?.dispose());

  const lowerTarget = (ind: Record<string, unknown>) => {
    ind.targets = (ind.targets as { period: string; value: number }[]).map((t) =>
      t.period === '2020' ? { ...t, value: 30 } : t,
    );
  };

  it('refuses a changed target or baseline without a reason, changing nothing', async () => {
    const before = await countRows(store);
    for (const change of [lowerTarget, (ind: Record<string, unknown>) => (ind.lop_target = 30)]) {
      const error = await loadWorkspace(store, await changed(change), { actor: 'sspc' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toMatchObject([
        {
          path: 'programs[1].indicators[0].change_reason',
          message: expect.stringContaining('EX-HOM-RATE-08 has results'),
        },
      ]);
    }
    expect(await countRows(store)).toEqual(before);
  });

  it('records the reason in the audit log and the sheet’s version, once per change', async () => {
    const reason = 'The 2020 target follows the state security plan revised in 2019.';
    const doc = await changed((ind) => {
      lowerTarget(ind);
      ind.change_reason = reason;
    });
    await loadWorkspace(store, doc, { actor: 'sspc' });
    const entry = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('entity', '=', 'indicator')
      .where('entity_key', '=', 'EX-HOM-RATE-08')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: 'sspc', after: { change_reason: reason } });
    const version = await store.db
      .selectFrom('indicator_versions')
      .innerJoin('indicators', 'indicators.id', 'indicator_versions.indicator_id')
      .select(['indicator_versions.definition'])
      .where('indicators.code', '=', 'EX-HOM-RATE-08')
      .orderBy('indicator_versions.version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(version.definition).toMatchObject({ change_reason: reason });
    // The same file again changes nothing.
    const rows = await countRows(store);
    await loadWorkspace(store, doc, { actor: 'sspc' });
    expect(await countRows(store)).toEqual(rows);
    // Another change needs a reason of its own.
    const again = await changed((ind) => {
      lowerTarget(ind);
      ind.lop_target = 25;
      ind.change_reason = reason;
    });
    await expect(loadWorkspace(store, again, { actor: 'sspc' })).rejects.toBeInstanceOf(ValidationError);
  });
});
