/**
 * Presents an embedded PGlite database as the slice of a `pg` pool that Kysely's Postgres dialect uses,
 * so the same dialect, SQL and migrations run on PGlite and on a real PostgreSQL server.
 * @module
 */
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** The slice of PGlite's API this adapter needs: domain code never imports the driver. */
export interface PGliteLike {
  query<R>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; affectedRows?: number; command?: string | undefined }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A statement that only begins, ends or marks a transaction, with no parameter. */
const TRANSACTION_CONTROL =
  /^\s*(begin|commit|rollback|start transaction|savepoint|release savepoint|rollback to savepoint)\b[\w\s"]*;?\s*$/i;

/**
 * PGlite is a single connection: one client at a time, so a transaction never interleaves with another
 * caller's statements. Waiters queue in arrival order.
 */
export function pglitePool(db: PGliteLike): PostgresPool {
  let tail: Promise<void> = Promise.resolve();
  let ended = false;
  return {
    async connect(): Promise<PostgresPoolClient> {
      if (ended) throw new Error('the embedded records store is closed');
      let release!: () => void;
      const turn = new Promise<void>((resolve) => (release = resolve));
      const previous = tail;
      tail = previous.then(() => turn);
      await previous;
      return {
        async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          // A transaction's begin and commit go by the simple protocol: one message, no statement to
          // parse, bind and describe (half the cost of the extended protocol's round in PGlite).
          if (parameters.length === 0 && TRANSACTION_CONTROL.test(sql)) {
            await db.exec(sql);
            const command = sql.trim().split(/\s/, 1)[0]!.toUpperCase();
            return { command, rowCount: 0, rows: [] } as unknown as PostgresQueryResult<R>;
          }
          const result = await db.query<R>(sql, [...parameters]);
          const command = (result.command ?? sql.trimStart().split(/\s/, 1)[0] ?? '').toUpperCase();
          return {
            command: command as PostgresQueryResult<R>['command'],
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows,
          };
        },
        release,
      } as unknown as PostgresPoolClient;
    },
    async end() {
      ended = true;
      await tail;
      await db.close();
    },
  };
}
