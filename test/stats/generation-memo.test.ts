/**
 * Answers computed once per state of the statistics store (`src/stats/generation-memo.ts`): asked again,
 * an answer is not computed again; a write to the store (here its invalidation, which every import and
 * rollback makes) drops it; a failure is not kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoInGeneration } from '../../src/stats/generation-memo.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';

describe('answers kept per state of the statistics store', () => {
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
  });
  afterAll(() => stats?.close());

  it('computes an answer once per state, and again after a write', async () => {
    let computed = 0;
    const ask = () => memoInGeneration(stats, 'k', async () => ({ n: ++computed }));
    const first = await ask();
    expect(await ask()).toBe(first);
    expect(computed).toBe(1);
    stats.invalidate();
    expect(await ask()).toEqual({ n: 2 });
    expect(computed).toBe(2);
  });

  it('does not keep a failure', async () => {
    let calls = 0;
    const ask = () =>
      memoInGeneration(stats, 'flaky', async () => {
        calls++;
        if (calls === 1) throw new Error('store busy');
        return 'ok';
      });
    await expect(ask()).rejects.toThrow('store busy');
    expect(await ask()).toBe('ok');
    expect(calls).toBe(2);
  });
});
