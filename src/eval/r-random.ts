/**
 * R's default random numbers (Mersenne-Twister, seeded by `set.seed`) and its `sample(n)` (rejection
 * sampling, R 3.6.0 on), so that a randomised step seeded here draws what R draws with the same seed. An
 * analyst can then repeat a placebo or permutation run in R, draw for draw, and a published table made in
 * R with a stated seed can be reproduced exactly (Arkhangelsky et al. 2021 seeded theirs with 12345).
 * Follows R's `src/main/RNG.c` (`Randomize`, `FixupSeeds`, `MT_genrand`, `unif_rand`) and
 * `src/main/unique.c`/`random.c` (`R_unif_index`, `rbits`, `do_sample` with and without replacement).
 * @module
 */

const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const I2_32M1 = 2.328306437080797e-10; // 1 / (2^32 − 1)

export interface RRandom {
  /** `unif_rand()`: a uniform in (0, 1). */
  unif(): number;
  /** `sample(n)`: a random order of 1 … n, here of 0 … n − 1. */
  sample(n: number): number[];
  /** `sample(n, replace = TRUE)`: n draws of 1 … n with replacement, here of 0 … n − 1. */
  sampleReplace(n: number): number[];
}

/** The generator `set.seed(seed)` leaves in R (kind Mersenne-Twister, sample kind Rejection). */
export function rRandom(seed: number): RRandom {
  let s = seed >>> 0;
  const lcg = () => (s = (Math.imul(69069, s) + 1) >>> 0);
  for (let j = 0; j < 50; j++) lcg();
  // dummy[0] is the position (mti); dummy[1 … 624] the state.
  const dummy = new Uint32Array(N + 1);
  for (let j = 0; j < N + 1; j++) dummy[j] = lcg();
  dummy[0] = N;
  const mt = dummy.subarray(1);

  const genrand = (): number => {
    let mti = dummy[0]!;
    if (mti >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk]! & UPPER) | (mt[kk + 1]! & LOWER);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk]! & UPPER) | (mt[kk + 1]! & LOWER);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1]! & UPPER) | (mt[0]! & LOWER);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      mti = 0;
    }
    let y = mt[mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    dummy[0] = mti;
    return (y >>> 0) * 2.3283064365386963e-10;
  };
  const unif = () => {
    const value = genrand();
    if (value <= 0) return 0.5 * I2_32M1;
    if (1 - value <= 0) return 1 - 0.5 * I2_32M1;
    return value;
  };
  /** A whole number below 2^bits, from 16 bits at a time. */
  const rbits = (bits: number): number => {
    let v = 0n;
    for (let n = 0; n <= bits; n += 16) v = 65536n * v + BigInt(Math.floor(unif() * 65536));
    return Number(v & ((1n << BigInt(bits)) - 1n));
  };
  /** A whole number below `n`, by rejection. */
  const index = (n: number): number => {
    if (n <= 0) return 0;
    const bits = Math.ceil(Math.log2(n));
    let v: number;
    do v = rbits(bits);
    while (n <= v);
    return v;
  };
  return {
    unif,
    sample(n) {
      const x = Array.from({ length: n }, (_, i) => i);
      const out: number[] = [];
      for (let left = n; left > 0;) {
        const j = index(left);
        out.push(x[j]!);
        x[j] = x[--left]!;
      }
      return out;
    },
    sampleReplace(n) {
      return Array.from({ length: n }, () => index(n));
    },
  };
}
