#!/usr/bin/env node
/**
 * `npm run mutate [GROUP…]`: mutation testing with StrykerJS over the modules whose arithmetic and rules
 * decide what Marco reports. Each group mutates some modules and runs only the tests that exercise them,
 * so that one run fits on a small machine; each writes reports/mutation/<group>.json, and the table at the
 * end gives the score of every module: detected (killed or timed out) over detected, survived and not
 * covered. Outside `npm test`: a full run takes hours on two cores.
 *
 *   npm run mutate                  every group, in order
 *   npm run mutate -- access eval   only these groups
 *   npm run mutate -- --report      only print the table from the reports already written
 *   npm run mutate -- --survivors   print the table and every surviving or uncovered mutant
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPORTS = path.join(ROOT, 'reports/mutation');

/** Each group: the modules it mutates and the tests that cover them (globs, from the project root). */
export const GROUPS = {
  access: { mutate: ['src/access/*.ts'], tests: ['src/access/*.test.ts'] },
  domain: { mutate: ['src/domain/*.ts'], tests: ['src/domain/*.test.ts'] },
  estimators: {
    mutate: ['src/eval/twfe.ts', 'src/eval/cs.ts', 'src/eval/linalg.ts', 'src/eval/random.ts'],
    tests: [
      'test/eval/twfe.test.ts',
      'test/eval/twfe-parts.test.ts',
      'test/eval/cs.test.ts',
      'test/eval/cs-bootstrap.test.ts',
      'test/eval/cs-randomization.test.ts',
      'test/eval/linalg.test.ts',
    ],
  },
  evaluation: {
    mutate: ['src/eval/panel.ts', 'src/eval/evaluate.ts', 'src/eval/interventions.ts'],
    tests: [
      'test/eval/panel.test.ts',
      'test/eval/panel-periods.test.ts',
      'test/eval/evaluate-unit.test.ts',
      'test/eval/evaluate-options.test.ts',
      'test/eval/evaluate-spec.test.ts',
      'test/eval/interventions.test.ts',
      'test/eval/api.test.ts',
    ],
  },
  // evaluate() alone, with the evaluation group's tests: a quicker rerun after its tests change.
  evaluate: {
    mutate: ['src/eval/evaluate.ts'],
    tests: [
      'test/eval/evaluate-unit.test.ts',
      'test/eval/evaluate-options.test.ts',
      'test/eval/evaluate-spec.test.ts',
      'test/eval/api.test.ts',
    ],
  },
  series: {
    mutate: ['src/stats/series.ts'],
    tests: [
      'test/stats/series-api.test.ts',
      'test/stats/series-periods.test.ts',
      'test/stats/series-plan.test.ts',
    ],
  },
  'sources-us': {
    mutate: [
      'src/stats/sources/cdc-vsrr-overdose.ts',
      'src/stats/sources/cbp-drug-seizures.ts',
      'src/stats/sources/usaid-foreign-aid.ts',
    ],
    tests: [
      'test/stats/bad-rows-us.test.ts',
      'test/stats/cdc.test.ts',
      'test/stats/more-sources.test.ts',
      'test/stats/sources-registry.test.ts',
    ],
  },
  'sources-mx': {
    mutate: [
      'src/stats/sources/conapo-population.ts',
      'src/stats/sources/inegi-geo-catalog.ts',
      'src/stats/sources/inegi-homicides.ts',
      'src/stats/sources/inegi-homicides-historic.ts',
    ],
    tests: [
      'test/stats/bad-rows-conapo-sesnsp.test.ts',
      'test/stats/bad-rows-inegi.test.ts',
      'test/stats/bad-rows-homicides.test.ts',
      'test/stats/importers.test.ts',
      'test/stats/more-sources.test.ts',
      'test/stats/sources-registry.test.ts',
    ],
  },
  'sources-sesnsp': {
    mutate: ['src/stats/sources/sesnsp-victims.ts', 'src/stats/sources/sesnsp-incidence.ts'],
    tests: [
      'test/stats/bad-rows-conapo-sesnsp.test.ts',
      'test/stats/incidence.test.ts',
      'test/stats/sources-registry.test.ts',
    ],
  },
  'sources-other': {
    mutate: [
      'src/stats/sources/documented-figures.ts',
      'src/stats/sources/inegi-boundaries.ts',
      'src/stats/sources/index.ts',
    ],
    tests: ['test/stats/claims.test.ts', 'test/stats/sources-registry.test.ts'],
  },
};

const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
const reportOnly = args.includes('--report') || survivors;
const chosen = args.filter((a) => !a.startsWith('--'));
for (const name of chosen)
  if (!(name in GROUPS)) {
    console.error(`unknown group ${JSON.stringify(name)}; the groups are ${Object.keys(GROUPS).join(', ')}`);
    process.exit(2);
  }
const groups = chosen.length ? chosen : Object.keys(GROUPS);

if (!reportOnly) {
  for (const name of groups) {
    const { mutate, tests } = GROUPS[name];
    const present = tests.filter((t) => t.includes('*') || existsSync(path.join(ROOT, t)));
    console.log(`\n== mutate ${name}: ${mutate.join(', ')}\n   tests: ${present.join(', ')}`);
    const run = spawnSync('npx', ['stryker', 'run', 'test/mutation/stryker.config.mjs'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        STRYKER_MUTATE: [...mutate, '!src/**/*.test.ts'].join(';'),
        MARCO_MUTATE_TESTS: present.join(';'),
        STRYKER_JSON: path.join(REPORTS, `${name}.json`),
        // Stryker runs a copy of the project in .stryker-tmp: the shared data stay where they are.
        MARCO_SHARED_DATA: process.env.MARCO_SHARED_DATA ?? path.resolve(ROOT, '../shared/data'),
        MARCO_MUTATION_RUN: '1',
      },
    });
    if (run.status !== 0) {
      console.error(`stryker failed for ${name} (exit ${run.status})`);
      process.exit(run.status ?? 1);
    }
  }
}

// The table: one row per module, from the newest report that mutated it (a module may be in two groups).
const rows = [];
const reports = Object.keys(GROUPS)
  .map((name) => ({ name, file: path.join(REPORTS, `${name}.json`) }))
  .filter(({ file }) => existsSync(file))
  .map((r) => ({ ...r, written: statSync(r.file).mtimeMs }))
  .sort((a, b) => b.written - a.written);
const seen = new Set();
for (const { name, file } of reports) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const [module, { mutants }] of Object.entries(report.files)) {
    if (seen.has(module)) continue;
    seen.add(module);
    if (survivors)
      for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage'))
        console.log(
          `${path.relative(ROOT, path.resolve(ROOT, module))}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}`,
        );
    const count = (status) => mutants.filter((m) => m.status === status).length;
    const detected = count('Killed') + count('Timeout');
    const undetected = count('Survived') + count('NoCoverage');
    rows.push({
      group: name,
      module: path.relative(ROOT, path.resolve(ROOT, module)),
      detected,
      survived: count('Survived'),
      noCoverage: count('NoCoverage'),
      other: mutants.length - detected - undetected,
      score: detected + undetected ? (100 * detected) / (detected + undetected) : NaN,
    });
  }
}
if (rows.length === 0) {
  console.log('no mutation reports yet: run npm run mutate');
} else {
  const width = Math.max(...rows.map((r) => r.module.length));
  console.log(`\n${'module'.padEnd(width)}  score  detected  survived  no cover  ignored/errors`);
  for (const r of rows.sort((a, b) => a.module.localeCompare(b.module)))
    console.log(
      `${r.module.padEnd(width)}  ${r.score.toFixed(1).padStart(5)}%  ${String(r.detected).padStart(8)}  ${String(r.survived).padStart(8)}  ${String(r.noCoverage).padStart(8)}  ${String(r.other).padStart(14)}`,
    );
  const area = (prefix) => rows.filter((r) => r.module.startsWith(prefix));
  for (const [label, prefix] of [
    ['src/domain', 'src/domain/'],
    ['src/access', 'src/access/'],
    ['src/eval', 'src/eval/'],
    ['src/stats/series.ts', 'src/stats/series.ts'],
    ['src/stats/sources', 'src/stats/sources/'],
  ]) {
    const rs = area(prefix);
    if (!rs.length) continue;
    const d = rs.reduce((s, r) => s + r.detected, 0);
    const u = rs.reduce((s, r) => s + r.survived + r.noCoverage, 0);
    console.log(
      `${label.padEnd(width)}  ${((100 * d) / (d + u)).toFixed(1).padStart(5)}%  (all modules of the area)`,
    );
  }
}
