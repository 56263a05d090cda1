/**
 * A process readies a newly published generation before its reads move to it
 * (`src/generations/generation-warm.ts`): the answers most asked of the generation it leaves are computed
 * again from the new one, so the first request after the switch finds them kept, and they are the new
 * generation's, not the old one's. Readying stops at its budget, a computation that fails does not stop
 * the switch, and work pinned inside pinned work stays on the outer work's generation.
 */
import { describe, expect, it } from 'vitest';
import type { GenerationStats } from '../../src/generations/generation-stats.js';
import type { WarmOptions } from '../../src/generations/generation-warm.js';
import { memoInGeneration } from '../../src/stats/generation-memo.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { DATABASE_URL } from '../records/stores.js';
import { generationsBed, statesNamed } from './generation-helpers.js';

(DATABASE_URL ? describe : describe.skip)(
  'a new statistics generation readied before reads move to it',
  () => {
    const { bed, reader: open } = generationsBed('warm');
    const reader = async (warm?: WarmOptions) => open(warm ? { warm } : {});
    /** Publishes a generation in which Yucatán is named `Yucatán${tag}`. */
    const publish = async (writer: GenerationStats, tag: string) =>
      writer.exclusive(async (w) =>
        importFile(w, sourceById('inegi-geo-catalog')!, await statesNamed(bed.files, tag), { version: tag }),
      );
    /** Waits until `stats` reads generation `number`. */
    const movedTo = async (stats: GenerationStats, number: number) => {
      const end = Date.now() + 10_000;
      while (stats.generation() < number) {
        expect(Date.now()).toBeLessThan(end);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('computes the most asked answers again from the new generation before reads move to it', async () => {
      const { stats: writer } = await reader();
      const { stats, lines } = await reader();
      let computed = 0;
      // A kept answer read through the process's store, as a map's polygons or a state's series are.
      const name = () =>
        stats.pin(() =>
          memoInGeneration(stats, 'name:31', async () => {
            computed++;
            const [row] = await stats.all<{ name: string }>(`select name from geo where code = '31'`);
            return row!.name;
          }),
        );
      const before = await name();
      expect(await name()).toBe(before);
      expect(computed).toBe(1);

      await publish(writer, ' readied');
      const next = writer.generation();
      await movedTo(stats, next);
      // Computed again during the switch, before any request asked: from the new generation.
      expect(computed).toBe(2);
      expect(await name()).toBe('Yucatán readied');
      expect(computed).toBe(2);
      const switched = lines.find((l) => l.msg === 'statistics: reading generation' && l.generation === next);
      expect(switched?.readied).toMatchObject({ answers: 1 });
    });

    it('stops at its budget, and switches even when a computation fails', async () => {
      const { stats: writer } = await reader();
      const { stats: spent } = await reader({ budgetMs: 0 });
      const { stats: failing } = await reader();
      let computed = 0;
      await spent.pin(() => memoInGeneration(spent, 'spent', async () => ++computed));
      let calls = 0;
      await failing.pin(() =>
        memoInGeneration(failing, 'fails next', async () => {
          calls++;
          if (calls > 1) throw new Error('store busy');
          return 'first';
        }),
      );

      await publish(writer, ' budget');
      const next = writer.generation();
      await movedTo(spent, next);
      await movedTo(failing, next);
      // No time to compute anything: the first request computes it.
      expect(computed).toBe(1);
      expect(await spent.pin(() => memoInGeneration(spent, 'spent', async () => ++computed))).toBe(2);
      // Tried during the switch, failed, and not kept: the next request tries again.
      expect(calls).toBe(2);
      expect(await failing.pin(() => memoInGeneration(failing, 'fails next', async () => 'again'))).toBe(
        'again',
      );
    });

    it('keeps work pinned inside pinned work on the outer work’s generation', async () => {
      const { stats: writer } = await reader();
      const { stats } = await reader();
      const start = stats.generation();
      let go!: () => void;
      const wait = new Promise<void>((resolve) => (go = resolve));
      const outer = stats.pin(async () => {
        await wait;
        return stats.pin(async () => ({
          generation: stats.generation(),
          name: (await stats.all<{ name: string }>(`select name from geo where code = '31'`))[0]!.name,
        }));
      });
      await publish(writer, ' nested');
      await movedTo(stats, start + 1);
      go();
      const inner = await outer;
      expect(inner.generation).toBe(start);
      expect(inner.name).not.toBe('Yucatán nested');
    });
  },
);
