/**
 * The doubly robust ATT(g,t) against R: DRDID's `drdid_panel` code run in R on R's own `glm` (the
 * propensity score, to a deviance tolerance of 1e-14) and `lm` (the outcome regression), for every
 * comparison of the planted-effect panel, with both kinds of controls. Agreement to 1e-8 on every
 * estimate and influence-function entry: a second reference, written in another language on other
 * fitting code than the dense one of cs-dr-reference.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attCells } from '../../src/eval/cs/att-gt.js';
import { haveR } from '../fixtures/have-r.js';
import { design, doublyRobust } from '../../src/eval/cs/doubly-robust.js';
import { plantedPanel, trimmedComparison } from './cs-dr-reference.js';

/** DRDID 1.0.7's drdid_panel, as published, without its bootstrap branch and input checks. */
const DRDID = String.raw`
drdid_panel <- function(y1, y0, D, covariates) {
  n <- length(D); deltaY <- y1 - y0; int.cov <- covariates; i.weights <- rep(1, n)
  ps.fit <- glm(D ~ -1 + int.cov, family = "binomial", weights = i.weights,
                control = glm.control(epsilon = 1e-14, maxit = 100))
  # DRDID 1.0.7 takes chol2inv(X'WX) at the capped scores. (Older releases took stats::vcov(ps.fit),
  # which reuses the weights of glm's iteration before the last: off by about the square root of the
  # deviance tolerance, 1e-7 here.)
  ps.fit <- pmin(as.vector(ps.fit$fitted.values), 1 - 1e-6)
  Hessian.ps <- chol2inv(chol(crossprod(int.cov * (ps.fit * (1 - ps.fit)), int.cov))) * n
  trim.ps <- (ps.fit < 1.01); trim.ps[D == 0] <- (ps.fit[D == 0] < 0.995)
  reg <- lm(deltaY ~ -1 + int.cov, subset = D == 0)
  out.delta <- as.vector(int.cov %*% coef(reg))
  w.treat <- trim.ps * i.weights * D
  w.cont <- trim.ps * i.weights * ps.fit * (1 - D) / (1 - ps.fit)
  dr.att.treat <- w.treat * (deltaY - out.delta); dr.att.cont <- w.cont * (deltaY - out.delta)
  eta.treat <- mean(dr.att.treat) / mean(w.treat); eta.cont <- mean(dr.att.cont) / mean(w.cont)
  weights.ols <- i.weights * (1 - D)
  wols.x <- weights.ols * int.cov; wols.eX <- weights.ols * (deltaY - out.delta) * int.cov
  XpX.inv <- solve(crossprod(wols.x, int.cov) / n)
  asy.lin.rep.wols <- wols.eX %*% XpX.inv
  score.ps <- i.weights * (D - ps.fit) * int.cov
  asy.lin.rep.ps <- score.ps %*% Hessian.ps
  inf.treat.1 <- dr.att.treat - w.treat * eta.treat
  M1 <- colMeans(w.treat * int.cov); inf.treat.2 <- asy.lin.rep.wols %*% M1
  inf.treat <- (inf.treat.1 - inf.treat.2) / mean(w.treat)
  inf.cont.1 <- dr.att.cont - w.cont * eta.cont
  M2 <- colMeans(w.cont * (deltaY - out.delta - eta.cont) * int.cov); inf.cont.2 <- asy.lin.rep.ps %*% M2
  M3 <- colMeans(w.cont * int.cov); inf.cont.3 <- asy.lin.rep.wols %*% M3
  inf.control <- (inf.cont.1 + inf.cont.2 - inf.cont.3) / mean(w.cont)
  list(ATT = eta.treat - eta.cont, att.inf.func = as.vector(inf.treat - inf.control))
}
d <- read.csv(commandArgs(TRUE)[1])
for (cell in unique(d$cell)) {
  s <- d[d$cell == cell, ]
  r <- drdid_panel(s$y1, s$y0, s$D, cbind(1, s$x1, s$x2))
  cat(sprintf("%.17g", c(r$ATT, r$att.inf.func)), "\n")
}
`;

/** DRDID's code on each cell of `rows` (a CSV with a header): each cell's ATT and influence function. */
async function drdidInR(rows: string[]): Promise<number[][]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-drdid-'));
  try {
    await writeFile(path.join(dir, 'cells.csv'), `${rows.join('\n')}\n`);
    await writeFile(path.join(dir, 'drdid.R'), DRDID);
    return execFileSync('Rscript', [path.join(dir, 'drdid.R'), path.join(dir, 'cells.csv')], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

(haveR('the doubly robust R reference') ? describe : describe.skip)(
  'the doubly robust ATT(g,t) against R',
  () => {
    it('agrees with DRDID where its trimming and cap act, to 1e-8', async () => {
      const rows = ['cell,unit,y1,y0,D,x1,x2'];
      const comparisons = [1, 2, 3].map(trimmedComparison);
      comparisons.forEach(({ x, d, dy }, c) =>
        d.forEach((di, i) =>
          rows.push([c, i, dy[i]!.toPrecision(17), 0, di, x[i]![1]!.toPrecision(17), x[i]![2]].join(',')),
        ),
      );
      const lines = await drdidInR(rows);
      let worst = 0;
      let trimmed = 0;
      comparisons.forEach(({ args }, c) => {
        const got = doublyRobust(args[0], design(args[1], args[2], args[3], args[4]));
        trimmed += got.trimmed;
        const [att, ...inf] = lines[c]!;
        worst = Math.max(
          worst,
          Math.abs(got.att - att!),
          ...[...got.psi].map((p, i) => Math.abs(p - inf[i]!)),
        );
      });
      expect(trimmed).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-8);
    });

    const { panel, covariates } = plantedPanel(120, 11, 5);
    for (const control of ['never', 'notyet'] as const)
      it(`agrees with DRDID's code on R's glm and lm to 1e-8 (${control}-treated controls)`, async () => {
        const cells = attCells(panel, panel.group, {
          control,
          covariates: { values: Float64Array.from(covariates.flat()), k: 2 },
        });
        // Each comparison's units, as the cells hold them: every unit with a non-zero influence.
        const { periods, y, group } = panel;
        const rows = ['cell,unit,y1,y0,D,x1,x2'];
        const members: number[][] = [];
        cells.attgt.forEach((a, c) => {
          const base = a.period >= a.group ? a.group - 1 : a.period - 1;
          const units = [...Array(panel.units).keys()].filter(
            (u) =>
              !Number.isNaN(y[u * periods + a.period]! - y[u * periods + base]!) &&
              (group[u] === a.group ||
                group[u] === -1 ||
                (control === 'notyet' && group[u]! > Math.max(a.period, base))),
          );
          expect(units.length).toBe(a.treated + a.controls);
          members.push(units);
          for (const u of units)
            rows.push(
              [
                c,
                u,
                y[u * periods + a.period]!.toPrecision(17),
                y[u * periods + base]!.toPrecision(17),
                group[u] === a.group ? 1 : 0,
                covariates[u]![0]!.toPrecision(17),
                covariates[u]![1],
              ].join(','),
            );
        });
        const lines = await drdidInR(rows);
        expect(lines).toHaveLength(cells.attgt.length);
        let worst = 0;
        cells.attgt.forEach((a, c) => {
          const [att, ...inf] = lines[c]!;
          worst = Math.max(worst, Math.abs(a.att - att!));
          // R's influence function is over the comparison's units; Marco's is scaled by n / n₁.
          const scale = panel.units / members[c]!.length;
          members[c]!.forEach(
            (u, i) => (worst = Math.max(worst, Math.abs(cells.influence[c]![u]! - inf[i]! * scale))),
          );
        });
        expect(worst).toBeLessThan(1e-8);
      });
  },
);
