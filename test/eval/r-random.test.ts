/**
 * Marco's copy of R's default generator (`src/eval/r-random.ts`) draws what R draws: `sample(n)` after
 * `set.seed(s)`, several times in a row, for small and large n and several seeds (R run here, under
 * `CI=true` its absence is an error), and `runif` between them.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { rRandom } from '../../src/eval/r-random.js';
import { haveR } from '../fixtures/have-r.js';

const R = (code: string) =>
  execFileSync('Rscript', ['-e', code], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));

(haveR('the R generator test') ? describe : describe.skip)('R’s generator and sample()', () => {
  it.each([12345, 1, 2026, 2 ** 31 - 1])('draws what R draws after set.seed(%i)', (seed) => {
    const r = R(
      `set.seed(${seed}); cat(sample(38), "\\n"); cat(sample(38), "\\n"); cat(sprintf("%.17g", runif(3)), "\\n"); ` +
        `x <- sample(100000); cat(x[1:20], x[99981:100000], "\\n"); cat(sample(70000)[1:10], "\\n")`,
    );
    const mine = rRandom(seed);
    const one = (n: number) => mine.sample(n).map((v) => v + 1);
    expect(one(38)).toEqual(r[0]);
    expect(one(38)).toEqual(r[1]);
    expect([mine.unif(), mine.unif(), mine.unif()]).toEqual(r[2]);
    const big = one(100000);
    expect([...big.slice(0, 20), ...big.slice(99980)]).toEqual(r[3]);
    // 70,000 needs 17 bits: two 16-bit draws per index, as R's rbits makes them.
    expect(one(70000).slice(0, 10)).toEqual(r[4]);
  });

  it.each([7, 12345])('draws with replacement what R draws after set.seed(%i)', (seed) => {
    const r = R(
      `set.seed(${seed}); cat(sample(39, replace = TRUE), "\\n"); cat(sample(70000, replace = TRUE)[1:10], "\\n")`,
    );
    const mine = rRandom(seed);
    expect(mine.sampleReplace(39).map((v) => v + 1)).toEqual(r[0]);
    expect(
      mine
        .sampleReplace(70000)
        .slice(0, 10)
        .map((v) => v + 1),
    ).toEqual(r[1]);
  });
});
