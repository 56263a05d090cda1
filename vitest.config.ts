import { defineConfig } from 'vitest/config';

/** What every project shares. */
const shared = {
  // PGlite instances take a few seconds to boot; store suites share one per file.
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  // The operations log (JSON lines on stderr) would bury the test output: tests that read it make
  // their own logger, or set MARCO_LOG_LEVEL for the processes they start.
  env: { MARCO_LOG_LEVEL: process.env.MARCO_LOG_LEVEL ?? 'silent' },
};

export default defineConfig({
  test: {
    // In CI every test name is printed, so the log shows each store test on PGlite and on PostgreSQL.
    reporters: process.env.CI === 'true' ? ['verbose'] : ['default'],
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/timing/**', '**/node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Tests that measure wall-clock time run after the rest, one file at a time, on a quiet machine.
        test: {
          ...shared,
          name: 'timing',
          include: ['test/timing/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
