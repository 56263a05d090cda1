/**
 * Placebo replications on threads (`placebo-threads.ts`): the same estimates, replication by replication,
 * as one thread gives with the same draws, for each method on the Proposition 99 panel; and the threads
 * stop when the run is cancelled.
 */
import { describe, expect, it } from 'vitest';
import { rRandom } from '../../../src/eval/r-random.js';
import { placeboSe } from '../../../src/eval/synth/placebo.js';
import { placeboThreaded } from '../../../src/eval/synth/placebo-threads.js';
import { synthEstimate, type SynthMethod } from '../../../src/eval/synth/synthdid.js';
import { FILE, prop99 } from './prop99-panel.js';

(FILE ? describe : describe.skip)('placebo replications on threads', () => {
  it('give each replication’s estimate exactly as one thread does, for every method', async () => {
    const panel = await prop99(FILE!);
    for (const method of ['sdid', 'sc', 'did'] as SynthMethod[]) {
      const fitted = synthEstimate(panel, method);
      const one = placeboSe(panel, fitted, 30, rRandom(12345).sample);
      let paused = 0;
      const threaded = await placeboThreaded(panel, fitted, 30, rRandom(12345).sample, 3, async () => {
        paused++;
      });
      expect(threaded.estimates, method).toEqual(one.estimates);
      expect(threaded.se).toBe(one.se);
      expect(threaded.unconverged).toBe(one.unconverged);
      // The main thread heard each replication but the last.
      expect(paused).toBe(29);
    }
  });

  it('stop their threads when the run is cancelled', async () => {
    const panel = await prop99(FILE!);
    const fitted = synthEstimate(panel, 'sdid');
    let heard = 0;
    const started = Date.now();
    const run = placeboThreaded(panel, fitted, 5000, rRandom(1).sample, 2, async () => {
      if (++heard === 10) throw new DOMException('cancelled', 'AbortError');
    });
    await expect(run).rejects.toThrow(/cancelled/);
    // Stopped long before 5,000 replications (about 5 ms each on one thread).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(heard).toBeLessThan(200);
  });
});
