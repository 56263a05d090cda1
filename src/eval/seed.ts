/**
 * A random generator's seed in an evaluation specification (the bootstrap, the permutations, the
 * placebo draws), 1 when absent.
 * @module
 */
import { z } from 'zod';

export const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31)
  .default(1);
