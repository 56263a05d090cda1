/**
 * The statistics store: an embedded DuckDB file in the data directory holding official statistics as
 * observations (measure × place × period × dimensions), the source vintages they came from, and the
 * geography spine.
 * @module
 */
import { storeQueryDuration } from '../metrics.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CliError, EXIT } from '../error.js';
import { MX_STATES } from './mx-states.js';
import { US_STATES } from './us-states.js';

/** Small tables the series planner reads on every query, kept in memory until the next import. */
export interface StatsMetadata {
  coverage: {
    source: string;
    measure: string;
    geo_level: string;
    granularity: string;
    totals: boolean;
    period_from: string;
    period_to: string;
  }[];
  /** Vintages in force (they still have a table). */
  vintages: {
    id: number;
    source: string;
    table_name: string;
    constants: string | null;
    period_from: string;
    period_to: string;
    file_name: string;
    sha256: string;
    imported_at: string;
    /** JSON list of its typed dimension columns (`dim_<name>`), or null when its rows hold a `dims` MAP. */
    dimensions: string | null;
  }[];
  places: Map<string, { code: string; level: string; name: string; parent: string | null }>;
}

export interface StatsStore {
  con: DuckDBConnection;
  /** The cached metadata; see {@link StatsMetadata}. */
  metadata(): Promise<StatsMetadata>;
  /** Drops the cached metadata: every write to the store calls this. */
  invalidate(): void;
  /** The DuckDB file, or `memory`. */
  location: string;
  /** Rows of a query as plain JS objects (BIGINT as number). */
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `work` on a second connection to the same database, one at a time: a running server imports
   * through it while its reads go on, on the main connection, seeing only committed data.
   */
  exclusive<T>(work: (writer: StatsStore) => Promise<T>): Promise<T>;
  /**
   * With statistics generations (`src/generations/`): runs `work` with the generation current now
   * pinned, so every read it makes (a request's, a job's) comes from that one generation.
   */
  pin?<T>(work: () => Promise<T>): Promise<T>;
  /** With statistics generations: the number of the generation reads see here and now. */
  generation?(): number;
  /**
   * With statistics generations: keeps the generation reads see here and now open until `release`, and
   * gives its own store, for work that outlives the request (a download streamed after the handler).
   */
  hold?(): { stats: StatsStore; generation: number; release(): void };
  close(): void;
  /** With statistics generations: closes, and waits until the process has said it holds nothing. */
  shutdown?(): Promise<void>;
}

const SCHEMA = [
  `create table if not exists schema_version (version integer not null)`,
  `create sequence if not exists vintage_ids`,
  `create table if not exists vintages (
    id integer primary key default nextval('vintage_ids'),
    source varchar not null,
    file_name varchar not null,
    sha256 varchar not null,
    bytes bigint not null,
    layout varchar not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    period_from date,
    period_to date,
    imported_at timestamp not null,
    marco_version varchar not null,
    replaced_by integer,
    -- The table holding this vintage's observations (obs_<id>), null once every row is replaced.
    table_name varchar,
    -- JSON {measure, geo_level, granularity} when those are the same for every row and not stored in it.
    constants varchar,
    -- JSON list of the dimensions stored as columns dim_<name> (Source.dimensions), null for a dims MAP.
    dimensions varchar,
    -- The choices an import made (\`--param\`), as sorted JSON.
    params varchar,
    -- Who imported it, and from where: the path given, \`upload:NAME\` through the API, or the URL fetched.
    imported_by varchar,
    origin varchar,
    -- A vintage rolled back: its rows withdrawn, and the rows it took over reinstated.
    withdrawn_at timestamp,
    withdrawn_by varchar)`,
  `create table if not exists rejects (
    vintage_id integer not null,
    line bigint not null,
    "column" varchar not null,
    value varchar,
    reason varchar not null)`,
  `create table if not exists coverage (
    source varchar not null,
    measure varchar not null,
    geo_level varchar not null,
    granularity varchar not null,
    period_from date not null,
    period_to date not null,
    places integer not null,
    rows bigint not null,
    -- Whether dimension-free totals exist; without them a query sums every breakdown row.
    totals boolean not null)`,
  `create table if not exists figures (
    figure_id varchar primary key,
    measure varchar not null,
    geo varchar not null,
    period varchar not null,
    value_text varchar not null,
    value double,
    unit varchar,
    statement varchar,
    citation varchar not null,
    vintage_id integer not null)`,
  `create table if not exists geo (
    code varchar primary key,
    level varchar not null,
    name varchar not null,
    parent varchar,
    country varchar not null,
    fips varchar,
    usps varchar,
    source varchar not null)`,
  // Added after the first release, for stores made before them (new stores have them from the start).
  `alter table vintages add column if not exists params varchar`,
  `alter table vintages add column if not exists imported_by varchar`,
  `alter table vintages add column if not exists origin varchar`,
  `alter table vintages add column if not exists withdrawn_at timestamp`,
  `alter table vintages add column if not exists withdrawn_by varchar`,
  `alter table vintages add column if not exists dimensions varchar`,
  // The documented series' qualifier (exact, approx, a bound), confidence, address and note.
  `alter table figures add column if not exists qualifier varchar`,
  `alter table figures add column if not exists confidence varchar`,
  `alter table figures add column if not exists url varchar`,
  `alter table figures add column if not exists note varchar`,
  // What each vintage took over from an earlier one, kept so the import can be rolled back: the rows
  // of \`from_vintage\` (or the catalogue or figure rows) that \`vintage_id\` replaced, in \`kept_in\`.
  `create table if not exists takeovers (
    vintage_id integer not null,
    from_vintage integer,
    from_table varchar not null,
    kept_in varchar not null,
    rows bigint not null)`,
  // Criminal-group networks (networks/network-import.ts): each file's rows under its vintage; the
  // network in force is that of the vintages neither replaced nor withdrawn.
  `create table if not exists network_groups (
    vintage_id integer not null,
    node varchar not null,
    name varchar not null,
    short_name varchar,
    state varchar not null,
    state_name varchar not null,
    line bigint not null)`,
  `create table if not exists network_ties (
    vintage_id integer not null,
    kind varchar not null,
    edge varchar not null,
    source varchar not null,
    target varchar not null,
    weight double not null,
    line bigint not null)`,
  // Simplified map polygons, one GeoJSON geometry per place (see boundaries.ts).
  `create table if not exists boundaries (
    code varchar primary key,
    level varchar not null,
    name varchar,
    vintage_id integer not null,
    geometry varchar not null)`,
];

/**
 * Opens (creating if needed) the statistics store of a data directory, an in-memory one, or one DuckDB
 * file. `readOnly` opens an existing file as it is, to read: several processes may (a statistics
 * generation, `src/generations/`); it is never migrated, and its `exclusive` refuses.
 */
export async function openStats(options: {
  dataDir?: string;
  memory?: boolean;
  file?: string;
  readOnly?: boolean;
}): Promise<StatsStore> {
  let file = ':memory:';
  if (options.file) file = path.resolve(options.file);
  else if (!options.memory) {
    if (!options.dataDir) throw new Error('openStats needs a data directory, a file or memory: true');
    await mkdir(options.dataDir, { recursive: true });
    file = path.resolve(options.dataDir, 'statistics.duckdb');
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (error) {
    const message = (error as Error).message;
    if (/lock/i.test(message))
      throw new CliError({ key: 'stores.statsInUse', values: { file } }, EXIT.conflict);
    throw error;
  }
  const con = await instance.connect();
  if (!options.readOnly) await prepare(con);
  // A read-only store (a statistics generation that a server reads) reads through a few connections:
  // the queries of one connection run one at a time, so with one, a page's heavier query held every
  // series read queued behind it (docs/deployment.md, sizing).
  const pool = options.readOnly
    ? [con, ...(await Promise.all(Array.from({ length: READ_CONNECTIONS - 1 }, () => instance.connect())))]
    : [con];
  return storeOn(
    instance,
    pool,
    options.memory && !options.file ? 'memory' : file,
    options.readOnly === true,
  );
}

/** Creates or migrates the store's tables and the geography spine's top; every step is idempotent. */
async function prepare(con: DuckDBConnection): Promise<void> {
  // Creating and migrating the store write no WAL: each statement checkpoints as it commits. DuckDB
  // cannot replay a WAL that altered a table whose column defaults to a sequence (`vintages`), so a
  // process killed between such a change and the next checkpoint left a store that never opened again
  // ("Failure while replaying WAL … GetDefaultDatabase"). Every statement here is idempotent, so a
  // process killed halfway leaves a store the next open completes.
  await con.run(`set checkpoint_threshold = '0b'`);
  for (const statement of SCHEMA) await con.run(statement);
  await refreshObservations(con);
  // The two country nodes at the top of the geography spine.
  await con.run(`insert or ignore into geo values
    ('MX', 'country', 'México', null, 'MX', null, null, 'marco'),
    ('US', 'country', 'United States', null, 'US', null, null, 'marco'),
    ${US_STATES.map(([usps, fips, name]) => `('${usps}', 'state', '${name}', 'US', 'US', '${fips}', '${usps}', 'marco')`).join(',\n    ')},
    ${MX_STATES.map(([code, name]) => `('${code}', 'state', '${name}', 'MX', 'MX', null, null, 'marco')`).join(',\n    ')}`);
  await con.run('checkpoint');
  await con.run('reset checkpoint_threshold');
}

/** The connections a read-only store reads through. */
const READ_CONNECTIONS = 3;

function storeOn(
  instance: DuckDBInstance,
  pool: DuckDBConnection[],
  location: string,
  readOnly: boolean,
): StatsStore {
  const allOn =
    (connection: DuckDBConnection) =>
    async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
      const end = storeQueryDuration.startTimer({ store: 'statistics' });
      try {
        const reader = await connection.runAndReadAll(sql, params as never);
        return reader.getRowObjectsJS().map(plain) as T[];
      } finally {
        end();
      }
    };
  // Each query goes to the connection with the fewest queries running; `con` (for callers that run
  // DuckDB's API themselves) goes round the pool.
  const busy = pool.map(() => 0);
  const readers = pool.map(allOn);
  const all =
    pool.length === 1
      ? readers[0]!
      : async <T>(sql: string, params?: unknown[]): Promise<T[]> => {
          const i = busy.indexOf(Math.min(...busy));
          busy[i]!++;
          try {
            return await readers[i]!<T>(sql, params);
          } finally {
            busy[i]!--;
          }
        };
  let turn = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let cached: Promise<StatsMetadata> | undefined;
  const load = async (): Promise<StatsMetadata> => {
    const [coverage, vintages, places] = [
      await all<StatsMetadata['coverage'][number]>(
        `select source, measure, geo_level, granularity, totals, strftime(period_from, '%Y-%m-%d') as period_from,
           strftime(period_to, '%Y-%m-%d') as period_to from coverage`,
      ),
      await all<StatsMetadata['vintages'][number]>(
        `select id, source, table_name, constants, strftime(period_from, '%Y-%m-%d') as period_from, strftime(period_to, '%Y-%m-%d') as period_to,
           file_name, sha256, strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') as imported_at, dimensions
         from vintages where table_name is not null order by id`,
      ),
      await all<{ code: string; level: string; name: string; parent: string | null }>(
        `select code, level, name, parent from geo order by code`,
      ),
    ];
    return { coverage, vintages, places: new Map(places.map((p) => [p.code, p])) };
  };
  const store: StatsStore = {
    get con() {
      turn = (turn + 1) % pool.length;
      return pool[turn]!;
    },
    location,
    all,
    metadata: () =>
      (cached ??= load().catch((error: unknown) => {
        cached = undefined;
        throw error;
      })),
    invalidate: () => {
      cached = undefined;
    },
    exclusive<T>(work: (writer: StatsStore) => Promise<T>): Promise<T> {
      if (readOnly) return Promise.reject(new Error(`${location} is open read-only`));
      const run = queue.then(async () => {
        const connection = await instance.connect();
        const writer: StatsStore = {
          ...store,
          con: connection,
          all: allOn(connection),
          // Its own reads see its own uncommitted writes: no shared cache.
          metadata: () => store.metadata(),
          exclusive: () => Promise.reject(new Error('already inside exclusive()')),
          close: () => undefined,
        };
        try {
          return await work(writer);
        } finally {
          connection.closeSync();
          store.invalidate();
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    close() {
      for (const connection of pool) connection.closeSync();
      instance.closeSync();
    },
  };
  return store;
}

/**
 * `observations` is a view over one table per vintage (`obs_<id>`): an import writes its rows once,
 * straight into its own table, and replacing a vintage deletes from or drops the older tables.
 */
export async function refreshObservations(con: DuckDBConnection): Promise<void> {
  const reader = await con.runAndReadAll(
    `select id, source, table_name, constants, dimensions from vintages where table_name is not null order by id`,
  );
  const tables = reader.getRowObjectsJS().map((r) => ({
    ...vintageShape({
      id: Number(r.id),
      source: String(r.source),
      constants: r.constants === null ? null : String(r.constants),
      dimensions: r.dimensions === null ? null : String(r.dimensions),
    }),
    table: String(r.table_name),
  }));
  const body = tables.length
    ? tables.map((t) => `select ${observationColumns(t)} from ${t.table}`).join(' union all ')
    : `select null::varchar as source, null::integer as vintage_id, null::varchar as measure, null::varchar as geo_level,
         null::varchar as geo, null::varchar as granularity, null::date as period, null::double as value,
         null::MAP(VARCHAR, VARCHAR) as dims, null::varchar as dims_key where false`;
  await con.run(`create or replace view observations as ${body}`);
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The column of a typed dimension (see `Source.dimensions`: lower-case names, checked by a test). */
export const dimColumn = (name: string) => `dim_${name}`;

/**
 * Whether a vintage's (or a source's) rows are dimension-free totals: it declared constants and no typed
 * dimensions (see `Source.constant`), so its table has no `dims` column at all.
 */
export const totalsOnly = (t: {
  constants: object | null | undefined;
  dimensions?: readonly string[] | null;
}): boolean => !!t.constants && !t.dimensions;

/**
 * The observation columns of one vintage table: the source and vintage are constants, and so is each of
 * the measure, level and granularity that the vintage declared constant; with constants and no typed
 * dimensions, its rows are totals (an empty `dims`). Typed dimension columns (`dimensions`) are shown as
 * the `dims` MAP of their non-null values.
 */
export function observationColumns(t: {
  id: number;
  source: string;
  constants: Record<string, string> | null;
  dimensions?: readonly string[] | null;
}): string {
  const c = t.constants;
  // The map keeps the source's order (as its maps did); the key string sorts the names.
  const typed = t.dimensions ?? null;
  const noDims = totalsOnly(t);
  const sorted = typed ? [...typed].sort() : null;
  return [
    `${literal(t.source)} as source`,
    `${t.id} as vintage_id`,
    c?.measure !== undefined ? `${literal(c.measure)} as measure` : 'measure',
    c?.geo_level !== undefined ? `${literal(c.geo_level)} as geo_level` : 'geo_level',
    'geo',
    c?.granularity !== undefined ? `${literal(c.granularity)} as granularity` : 'granularity',
    'period',
    'value',
    noDims
      ? 'MAP {}::MAP(VARCHAR, VARCHAR) as dims'
      : typed
        ? `map_from_entries(list_filter([${typed.map((d) => `{'key': ${literal(d)}, 'value': ${dimColumn(d)}}`).join(', ')}]::STRUCT(key VARCHAR, value VARCHAR)[], e -> e.value is not null)) as dims`
        : 'dims',
    noDims
      ? `'' as dims_key`
      : typed
        ? `concat_ws(';', ${sorted!.map((d) => `${literal(`${d}=`)} || ${dimColumn(d)}`).join(', ')}) as dims_key`
        : `case when cardinality(dims) = 0 then '' else array_to_string(list_transform(list_sort(map_keys(dims)), k -> k || '=' || dims[k]), ';') end as dims_key`,
  ].join(', ');
}

/**
 * Which rows of a vintage a query reads by their dimensions: those with every one of these values, only
 * the dimension-free totals, or all of them.
 */
export type DimsFilter = { values: Record<string, string> } | 'totals' | 'all';

/**
 * The SQL condition of `filter` on one vintage table's own columns: on its typed dimension columns when
 * it has them (no map is built for a row), else on its `dims` MAP.
 */
export function dimsCondition(
  t: { constants: Record<string, string> | null; dimensions?: readonly string[] | null },
  filter: DimsFilter,
): string {
  if (filter === 'all') return 'true';
  if (totalsOnly(t)) return filter === 'totals' ? 'true' : 'false';
  const typed = t.dimensions;
  if (filter === 'totals')
    return typed ? typed.map((d) => `${dimColumn(d)} is null`).join(' and ') : 'cardinality(dims) = 0';
  const entries = Object.entries(filter.values);
  if (entries.length === 0) return 'true';
  return entries
    .map(([k, v]) =>
      typed
        ? typed.includes(k)
          ? `${dimColumn(k)} = ${literal(v)}`
          : 'false'
        : `dims[${literal(k)}] = ${literal(v)}`,
    )
    .join(' and ');
}

/** A vintage row's stored JSON columns, parsed: what {@link observationColumns} and {@link dimsCondition} take. */
export function vintageShape(v: {
  id: number;
  source: string;
  constants: string | null;
  dimensions: string | null;
}): {
  id: number;
  source: string;
  constants: Record<string, string> | null;
  dimensions: string[] | null;
} {
  return {
    id: v.id,
    source: v.source,
    constants: v.constants === null ? null : (JSON.parse(v.constants) as Record<string, string>),
    dimensions: v.dimensions === null ? null : (JSON.parse(v.dimensions) as string[]),
  };
}

/** BIGINT arrives as bigint and DATE/TIMESTAMP as Date: counts fit in a double, dates read as ISO text. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
