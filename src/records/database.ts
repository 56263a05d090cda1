/**
 * Opens the records store: embedded PGlite in the data directory by default, a PostgreSQL server when a
 * connection URL is given. Either way the same Kysely dialect and migrations are used, and migrations run
 * on open.
 * @module
 */
import { log } from '../log.js';
import { storeQueryDuration } from '../metrics.js';
import type { Client as PgClient } from 'pg';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type LogEvent } from 'kysely';
import { AUDIT_KEY_FILE, ephemeralSigner, fileSigner, type AuditSigner } from './audit-key.js';
import { pgliteSeed } from './pglite-seed.js';
import { lockDirectory } from './dir-lock.js';
import { migrationProvider } from './migrations/index.js';
import { keepPlannerStatistics } from './planner-statistics.js';
import { pglitePool } from './pglite-pool.js';
import { prepareStatements } from './prepared-client.js';
import type { RecordsDatabase } from './schema.js';

export type RecordsKind = 'pglite' | 'postgres';

export interface RecordsStore {
  db: Kysely<RecordsDatabase>;
  kind: RecordsKind;
  /** Where the records live, without credentials: a directory, `memory`, or `host:port/database`. */
  location: string;
  /** Signs each audit entry with the deployment's key (`audit-key.ts`). */
  signer: AuditSigner;
  /**
   * On a PostgreSQL server: the driver's quoting of a text as an SQL literal (`pg.escapeLiteral`), with
   * which a write's last statements and its COMMIT travel in one round trip (`transaction.ts`).
   */
  literal?: (text: string) => string;
  /**
   * On a PostgreSQL server: listens on `channel` of the store's schema (see {@link channelOf}) on a
   * connection of its own, calling `onMessage` with each payload; when the connection is lost (the server
   * restarted) it connects again, every second until it can, and calls `onReconnect`, since notices sent
   * meanwhile were missed. Resolves once listening, to a function that stops.
   */
  listen?: (
    channel: string,
    onMessage: (payload: string) => void,
    onReconnect: () => void,
  ) => Promise<() => Promise<void>>;
  /** On PGlite: its whole cluster as a gzipped tar (`marco backup`), taken while it is open. */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface OpenRecordsOptions {
  /** The data directory; PGlite keeps its files in `records/` inside it. */
  dataDir?: string;
  /** A `postgres://` URL; when set, the records live on that server. */
  databaseUrl?: string | null;
  /** Keep an embedded store in memory only (tests, dry runs). */
  memory?: boolean;
  /** A schema to create and use instead of `public` (isolates test suites that share a server). */
  schema?: string;
  /** The audit signing key's file: `MARCO_AUDIT_KEY_FILE`, or `audit-signing-key.pem` in `dataDir`. */
  keyFile?: string;
  /** PGlite only: a new store starts as this cluster (a backup's `dumpDataDir`) instead of an empty one. */
  cluster?: Blob;
}

/** The signer for these options: the key file's, or an in-memory key when there is no file. */
async function signerFor(options: OpenRecordsOptions): Promise<AuditSigner> {
  const file =
    options.keyFile ??
    process.env.MARCO_AUDIT_KEY_FILE ??
    (options.dataDir && !options.memory ? path.join(options.dataDir, AUDIT_KEY_FILE) : undefined);
  return file ? fileSigner(path.resolve(file)) : ephemeralSigner();
}

// Dates, timestamps, bigints and numerics arrive as the same JS types from both drivers.
const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 };
const toIso = (text: string) =>
  new Date(text.includes('T') || text.endsWith('Z') ? text : `${text}`).toISOString();
const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: Number,
  [OID.numeric]: Number,
  [OID.date]: (text) => text,
  [OID.timestamp]: (text) => toIso(`${text}Z`),
  [OID.timestamptz]: toIso,
};

/**
 * The name a notice channel has in the store's schema: two deployments (or two test suites) sharing a
 * server in different schemas never hear each other. `schema` is `current_schema()`.
 */
export const channelOf = (channel: string, schema: string) => `${channel}_${schema}`.slice(0, 63);

/** {@link RecordsStore.listen} on a PostgreSQL server: one client, opened again when it is lost. */
async function listenOn(
  connect: () => PgClient,
  channel: string,
  onMessage: (payload: string) => void,
  onReconnect: () => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: PgClient | undefined;
  let retry: NodeJS.Timeout | undefined;
  const open = async (): Promise<void> => {
    const next = connect();
    // A lost connection is an 'error' and then an 'end' event: listened to, never thrown.
    next.on('error', () => undefined);
    let name: string;
    try {
      await next.connect();
      const [row] = (await next.query<{ schema: string }>('select current_schema() as schema')).rows;
      name = channelOf(channel, row!.schema);
      await next.query(`listen "${name.replaceAll('"', '""')}"`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    next.on('notification', (n) => {
      if (n.channel === name) onMessage(n.payload ?? '');
    });
    next.once('end', () => {
      if (!stopped) again();
    });
    // Stopped while it connected: this connection is not kept.
    if (stopped) return void (await next.end().catch(() => undefined));
    client = next;
  };
  const again = () => {
    client = undefined;
    retry = setTimeout(() => {
      open().then(
        () => {
          if (!stopped) onReconnect();
        },
        () => {
          if (!stopped) again();
        },
      );
    }, 1000);
    retry.unref();
  };
  await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

/** Each query's duration, for the metrics (`marco_store_query_duration_seconds{store="records"}`). */
const timeQuery = (event: LogEvent) =>
  storeQueryDuration.observe({ store: 'records' }, event.queryDurationMillis / 1000);

/** Opens (creating if needed) and migrates the records store. */
export async function openRecords(options: OpenRecordsOptions): Promise<RecordsStore> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
  }
  const signer = await signerFor(options);
  let store: RecordsStore;
  if (options.databaseUrl) {
    const { default: pg } = await import('pg');
    const url = new URL(options.databaseUrl);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    pool.on('connect', (client) => {
      prepareStatements(client);
      // A connection lost while checked out between two queries (the server restarted mid-transaction)
      // is an 'error' event on its client, which the pool listens to only while the client is idle:
      // unheard, it would end the process. The query waiting on it fails, and the pool discards the
      // client when it is released (it is no longer queryable).
      client.on('error', () => undefined);
    });
    // An idle connection ended by the server (a restart, an administrator, a dropped database) is an
    // 'error' event on the pool: without a listener it would end the process. The pool discards that
    // connection and opens a new one when next needed; the event is reported, never thrown.
    pool.on('error', (error: Error & { code?: string }) => {
      log.warn({ code: error.code }, 'records store: an idle connection ended');
    });
    if (schema) {
      const client = await pool.connect();
      try {
        await client.query(`create schema if not exists ${schema}`);
      } finally {
        client.release();
      }
    }
    const db = new Kysely<RecordsDatabase>({ dialect: new PostgresDialect({ pool }), log: timeQuery });
    const clientOptions = {
      connectionString: options.databaseUrl,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    };
    store = {
      db,
      kind: 'postgres',
      signer,
      literal: pg.escapeLiteral,
      listen: (channel, onMessage, onReconnect) =>
        listenOn(() => new pg.Client(clientOptions), channel, onMessage, onReconnect),
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => db.destroy(),
    };
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    let dataDir: string | undefined;
    if (!options.memory) {
      if (!options.dataDir) throw new Error('openRecords needs a data directory or memory: true');
      dataDir = path.resolve(options.dataDir, 'records');
      await mkdir(dataDir, { recursive: true });
    }
    const lock = dataDir ? await lockDirectory(`${dataDir}.lock`, dataDir) : undefined;
    let pglite;
    try {
      const seed = options.cluster ?? (await pgliteSeed(dataDir));
      pglite = await PGlite.create(dataDir, { parsers: PARSERS, ...(seed ? { loadDataDir: seed } : {}) });
    } catch (error) {
      await lock?.release();
      throw error;
    }
    if (schema) await pglite.exec(`create schema if not exists ${schema}; set search_path = ${schema}`);
    const db = new Kysely<RecordsDatabase>({
      dialect: new PostgresDialect({ pool: pglitePool(pglite) }),
      log: timeQuery,
    });
    const cluster = pglite;
    store = {
      db,
      kind: 'pglite',
      signer,
      location: dataDir ?? 'memory',
      dumpDataDir: () => cluster.dumpDataDir('gzip'),
      async close() {
        try {
          await db.destroy();
        } finally {
          await lock?.release();
        }
      },
    };
  }
  try {
    await migrate(store.db, schema);
    // A directory written before statistics were kept, or by a process killed before it gathered them.
    await keepPlannerStatistics(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** The migrator of the records store, its table in the store's own schema. */
async function migratorOf(db: Kysely<RecordsDatabase>, schema: string | undefined): Promise<Migrator> {
  // Always named: without a schema, Kysely takes its tables in any schema of the database (another
  // application's, or another Marco's) for this one's, and the migration fails on tables it never made.
  const own =
    schema ??
    (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ??
    undefined;
  return new Migrator({
    db,
    provider: migrationProvider,
    ...(own ? { migrationTableSchema: own } : {}),
  });
}

/**
 * The migrations this release has that the store has not applied: none once it is current. Another
 * process of an older release on the same database sees the newer ones as unknown, not as pending.
 */
export async function pendingMigrations(store: RecordsStore): Promise<string[]> {
  const migrations = await (await migratorOf(store.db, undefined)).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

async function migrate(db: Kysely<RecordsDatabase>, schema: string | undefined): Promise<void> {
  const migrator = await migratorOf(db, schema);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`records-store migration ${failed} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Drops a schema created with {@link OpenRecordsOptions.schema} (test clean-up on a shared server). */
export async function dropSchema(store: RecordsStore, schema: string): Promise<void> {
  await sql.raw(`drop schema if exists ${schema} cascade`).execute(store.db);
}
