import { describe, expect, it } from 'vitest';
import { MEASURES } from './measures.js';

describe('measure definitions', () => {
  it('never repeat the unit in the title, since every surface shows "title (unit)"', () => {
    const repeated = MEASURES.flatMap((m) =>
      (['en', 'es'] as const)
        .filter((l) => m.title[l].toLowerCase().includes(`(${m.unit[l].toLowerCase()})`))
        .map((l) => `${m.id} (${l})`),
    );
    expect(repeated).toEqual([]);
  });
});
