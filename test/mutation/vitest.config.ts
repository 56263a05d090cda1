import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// The tests of one mutation-testing group (`npm run mutate`), named by MARCO_MUTATE_TESTS (';'-separated
// globs), run on the embedded records store only. Not mergeConfig: it would add `include` to the base's.
export default defineConfig({
  test: {
    ...base.test,
    include: (process.env.MARCO_MUTATE_TESTS ?? 'src/**/*.test.ts').split(';'),
    reporters: ['default'],
    env: { MARCO_TEST_STORES: 'pglite', MARCO_QUIET_SKIPS: '1' },
  },
});
