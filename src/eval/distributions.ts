/**
 * The reference distributions of Marco's tests and intervals, from stdlib's ports of Boost's algorithms
 * (accurate to about 1e-15 against R's `qt` and `pf`), rather than hand-written continued fractions:
 *
 * - Student's t quantile, for TWFE intervals with G − 1 degrees of freedom (G clusters), as fixest and
 *   estimatr compute them;
 * - the F upper tail, for the pre-trend Wald test as F(q, G − 1).
 * @module
 */
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import tQuantileOf from '@stdlib/stats-base-dists-t-quantile';

/** The `p` quantile of Student's t with `df` degrees of freedom: `tQuantile(0.975, 31)` = 2.0395… */
export const tQuantile = (p: number, df: number): number => tQuantileOf(p, df);

/** P(F > `stat`) for F with `df1` and `df2` degrees of freedom. */
export const fUpperP = (stat: number, df1: number, df2: number): number =>
  stat <= 0 ? 1 : Math.max(0, 1 - fCdf(stat, df1, df2));
