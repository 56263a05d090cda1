// @ts-check
/**
 * StrykerJS for one group of `npm run mutate` (test/mutation/run.mjs sets the environment): the modules
 * to mutate (STRYKER_MUTATE, ';'-separated globs), the tests that cover them (MARCO_MUTATE_TESTS, in
 * test/mutation/vitest.config.ts) and where the JSON report goes (STRYKER_JSON).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  // Each mutant runs only the tests that reached it; code that runs while modules load (constants,
  // schemas, a source's metadata) has no test of its own, and such a mutant runs the group's tests.
  coverageAnalysis: 'perTest',
  mutate: (process.env.STRYKER_MUTATE ?? 'src/access/**/*.ts;!src/**/*.test.ts').split(';'),
  ignoreStatic: false,
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  reporters: ['progress', 'json'],
  jsonReporter: { fileName: process.env.STRYKER_JSON ?? 'reports/mutation/mutation.json' },
  tempDirName: process.env.STRYKER_TMP ?? '.stryker-tmp',
  // Not copied into the sandbox: other runs' sandboxes, reports and artefacts.
  ignorePatterns: ['/.stryker-tmp*', '/reports/mutation', '/test-artifacts', '/marco-data', '/dist'],
  cleanTempDir: true,
  warnings: { slow: false },
};
export default config;
