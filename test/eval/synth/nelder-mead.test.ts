/**
 * Nelder–Mead (`nelder-mead.ts`) against R's `optim(method = "Nelder-Mead")`, run here: the same minimum
 * to every digit R prints, the same count of evaluations and the same convergence code, on Rosenbrock's
 * function, on a non-smooth function of five variables that stops at the evaluation limit, and on
 * synthetic control's own loss shape (a function of |v| / Σ|v|).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../../src/eval/synth/nelder-mead.js';
import { haveR } from '../../fixtures/have-r.js';

const CASES: { name: string; f: (x: Float64Array) => number; r: string; start: number[] }[] = [
  {
    name: 'Rosenbrock',
    f: (x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2,
    r: 'function(x) 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2',
    start: [-1.2, 1],
  },
  {
    name: 'non-smooth, five variables',
    f: (x) => x.reduce((s, v, i) => s + (i + 1) * (v - Math.sin(i)) ** 2 + Math.abs(v) * 0.1, 0),
    r: 'function(x) { s <- 0; for (i in seq_along(x)) s <- s + i * (x[i] - sin(i - 1))^2 + abs(x[i]) * 0.1; s }',
    start: [0.2, 0.2, 0.2, 0.2, 0.2],
  },
  {
    name: 'scale-free weights',
    f: (x) => {
      const t = x.reduce((s, v) => s + Math.abs(v), 0);
      const v = Array.from(x, (a) => Math.abs(a) / t);
      return (v[0]! - 0.5) ** 2 + 3 * (v[1]! - 0.3) ** 2 + Math.abs(v[2]! - 0.2);
    },
    r: 'function(x) { v <- abs(x) / sum(abs(x)); (v[1] - 0.5)^2 + 3 * (v[2] - 0.3)^2 + abs(v[3] - 0.2) }',
    start: [1 / 3, 1 / 3, 1 / 3],
  },
];

(haveR('Nelder–Mead against R') ? describe : describe.skip)('Nelder–Mead as R’s optim', () => {
  for (const c of CASES)
    it(`${c.name}: the same minimum, evaluations and code as R`, () => {
      const script = `r <- optim(c(${c.start.join(', ')}), ${c.r}); cat(sprintf('%.17g', c(r$par, r$value, r$counts[1], r$convergence)), sep = '\\n')`;
      const out = execFileSync('Rscript', ['-e', script], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
      const n = c.start.length;
      const ours = nelderMead(c.f, c.start);
      for (let i = 0; i < n; i++) expect(ours.x[i]).toBeCloseTo(out[i]!, 12);
      expect(ours.value).toBeCloseTo(out[n]!, 14);
      expect([ours.evaluations, ours.code]).toEqual([out[n + 1], out[n + 2]]);
    });
});
