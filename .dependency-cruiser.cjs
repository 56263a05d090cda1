/**
 * Marco's layer rules, checked by `npm test` (`npm run lint:layers`). Layers point one way:
 *
 *   base (error, package, csv, csv-read, config, log, metrics, i18n)  ←  core (domain, access)  ←  stores (records, stats)
 *     ←  services (indicators, eval, custody, accounts, monitoring, notifications, benchmarks, funding, places, reports, jobs, networks, drugs, incidents, generations, backup)  ←  surfaces (web ← server ← cli)
 *
 * A module may import its own layer and the layers below it, never above; the two stores never import
 * each other; and no import cycle is allowed anywhere. docs/architecture.md explains each layer.
 */
const BASE = '^src/(error|package|csv|csv-read|config|log|metrics)\\.ts$|^src/(i18n|types)/';
const CORE = '^src/(domain|access)/';
const RECORDS = '^src/records/';
const STATS = '^src/stats/';
const SERVICES =
  '^src/(indicators|eval|custody|accounts|monitoring|notifications|benchmarks|funding|places|reports|jobs|networks|drugs|incidents|generations|backup)/';
const WEB = '^src/web/';
const SERVER = '^src/server/';
const CLI = '^src/cli/';

const above = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: the modules cannot be understood, tested or moved apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    above(
      'base-imports-up',
      BASE,
      `${CORE}|${RECORDS}|${STATS}|${SERVICES}|${WEB}|${SERVER}|${CLI}`,
      'errors, package facts, CSV cells, configuration and catalogs sit below everything',
    ),
    above(
      'core-imports-up',
      CORE,
      `${RECORDS}|${STATS}|${SERVICES}|${WEB}|${SERVER}|${CLI}`,
      'domain and access rules are pure: no store, service or surface',
    ),
    above(
      'records-imports-up',
      RECORDS,
      `${STATS}|${SERVICES}|${WEB}|${SERVER}|${CLI}`,
      'the records store knows PostgreSQL only: no statistics, no estimators, no surfaces',
    ),
    above(
      'stats-imports-up',
      STATS,
      `${RECORDS}|${SERVICES}|${WEB}|${SERVER}|${CLI}`,
      'the statistics store knows DuckDB only: no records, no services, no surfaces',
    ),
    above('services-import-surfaces', SERVICES, `${WEB}|${SERVER}|${CLI}`, 'services never import a surface'),
    above('web-imports-server-or-cli', WEB, `${SERVER}|${CLI}`, 'pages are registered by the server'),
    above('server-imports-cli', SERVER, CLI, 'the CLI starts the server, never the reverse'),
    {
      name: 'src-imports-tests-or-bench',
      comment: 'shipped code never depends on tests or benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
