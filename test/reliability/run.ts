/**
 * `npm run reliability -- [--kills N] [--seed S] [--stores pglite,postgres] [--scenarios A,B]`: kills
 * `marco serve`, `marco import`, an upload and a period lock through a server at random moments and
 * checks the stores after each kill (see `reliability.ts`).
 * PostgreSQL is used when `DATABASE_URL` is set. Exits 1 when any store failed to open or held a
 * partial state.
 */
import { parseArgs } from 'node:util';
import type { RecordsKind } from '../../src/records/database.js';
import { runReliability } from './reliability.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    stores: { type: 'string' },
    scenarios: { type: 'string' },
  },
});
const kills = Number(values.kills);
const seed = Number(values.seed);
if (!Number.isInteger(kills) || kills < 1)
  throw new Error(`--kills ${values.kills}: expected a whole number ≥ 1`);
if (!Number.isInteger(seed)) throw new Error(`--seed ${values.seed}: expected a whole number`);
const databaseUrl = process.env.DATABASE_URL || undefined;
const stores = (values.stores?.split(',') ?? [
  'pglite',
  ...(databaseUrl ? ['postgres'] : []),
]) as RecordsKind[];
for (const s of stores)
  if (s !== 'pglite' && s !== 'postgres') throw new Error(`--stores: ${s} is neither pglite nor postgres`);
if (stores.includes('postgres') && !databaseUrl) throw new Error('--stores postgres needs DATABASE_URL');

const started = Date.now();
const report = await runReliability({
  kills,
  seed,
  stores,
  databaseUrl,
  ...(values.scenarios ? { scenarios: values.scenarios.split(',') } : {}),
  log: (l) => console.log(l),
});
console.log(
  `\nseed ${seed}, stores ${stores.join(' and ')}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
for (const [scenario, n] of Object.entries(report.byScenario).sort())
  console.log(`  ${scenario}: ${n} kills`);
console.log(
  `${report.kills} kills (${report.kills - report.finishedFirst} mid-run, ${report.finishedFirst} after the run ended), ` +
    `${report.failedToOpen} stores that failed to open, ${report.partialImports} partial imports, ` +
    `${report.badRecords} records stores not in a committed state`,
);
for (const p of report.problems) console.log(`  ${p}`);
process.exitCode = report.problems.length > 0 ? 1 : 0;
