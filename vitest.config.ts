import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite instances take a few seconds to boot; store suites share one per file.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // In CI every test name is printed, so the log shows each store test on PGlite and on PostgreSQL.
    reporters: process.env.CI === 'true' ? ['verbose'] : ['default'],
  },
});
