/**
 * The time weights' Gram of a placebo split, derived from one pass over all controls (`timeGram`), equals
 * the Gram computed afresh from the controls kept, on the Proposition 99 panel (values near 100 packs,
 * where a careless subtraction would lose digits) and on every split of one and of three pretend-treated
 * states drawn here.
 */
import { describe, expect, it } from 'vitest';
import { gramOf } from '../../../src/eval/synth/frank-wolfe.js';
import { rRandom } from '../../../src/eval/r-random.js';
import { timeGram, timeMoments, type BlockPanel } from '../../../src/eval/synth/synthdid.js';
import { FILE, prop99 } from './prop99-panel.js';

/** The collapsed rows of `kept` controls (pre-treatment values, then the post-treatment mean). */
function keptRows(p: BlockPanel, kept: number[]) {
  const cols = p.pre + 1;
  const data = new Float64Array(kept.length * cols);
  kept.forEach((u, r) => {
    for (let t = 0; t < p.periods; t++) {
      const c = Math.min(t, p.pre);
      data[r * cols + c]! += p.y[u * p.periods + t]! * (t < p.pre ? 1 : 1 / (p.periods - p.pre));
    }
  });
  return { rows: kept.length, cols, data };
}

(FILE ? describe : describe.skip)('time weights’ Gram of a placebo split', () => {
  it('equals the Gram of the controls kept, computed afresh', async () => {
    const panel = await prop99(FILE!);
    const moments = timeMoments(panel);
    const sample = rRandom(5).sample;
    for (const n1 of [1, 3])
      for (let draw = 0; draw < 10; draw++) {
        const order = sample(panel.controls);
        const removed = order.slice(panel.controls - n1);
        const kept = order.slice(0, panel.controls - n1).sort((a, b) => a - b);
        const derived = timeGram(moments, removed);
        const fresh = gramOf(keptRows(panel, kept), true);
        expect(derived.rows).toBe(fresh.rows);
        expect(derived.bb).toBeCloseTo(fresh.bb, 6);
        derived.c.forEach((v, i) =>
          expect(Math.abs(v - fresh.c[i]!)).toBeLessThan(1e-9 * Math.abs(fresh.bb)),
        );
        for (let a = 0; a < panel.pre; a++)
          for (let b = 0; b < panel.pre; b++) {
            const x = derived.g[a * derived.size + b]!;
            const y = fresh.g[fresh.index[a]! * fresh.size + fresh.index[b]!]!;
            expect(Math.abs(x - y)).toBeLessThan(1e-9 * Math.abs(fresh.bb));
          }
      }
  });
});
