/**
 * Statements prepared once per connection (`src/records/prepared-client.ts`): on a PostgreSQL server, a
 * parameterised query runs as a named prepared statement, the same text reuses it, and a statement with
 * many parameters or past the per-connection budget runs unnamed, as before.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PARAMETERS, MAX_PREPARED, prepareStatements } from '../../src/records/prepared-client.js';
import { DATABASE_URL } from './stores.js';

if (!DATABASE_URL) console.warn('prepared statements: DATABASE_URL is not set, skipping (needs PostgreSQL)');

(DATABASE_URL ? describe : describe.skip)('prepared statements on PostgreSQL', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    prepareStatements(client);
  });
  afterAll(() => client?.end());

  const prepared = async () =>
    (await client.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.map(
      (r) => r.statement,
    );

  it('prepares a parameterised statement once and reuses it', async () => {
    const text = 'select $1::int + 1 as n';
    expect((await client.query(text, [41])).rows).toEqual([{ n: 42 }]);
    expect((await client.query(text, [1])).rows).toEqual([{ n: 2 }]);
    expect((await prepared()).filter((s) => s === text)).toHaveLength(1);
  });

  it('runs unnamed a statement without parameters, or with more than the limit', async () => {
    const many = `select ${Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => `$${i + 1}::int`).join(' + ')} as n`;
    const values = Array.from({ length: MAX_PARAMETERS + 1 }, () => 1);
    expect((await client.query(many, values)).rows).toEqual([{ n: MAX_PARAMETERS + 1 }]);
    await client.query('select 7 as seven');
    const names = await prepared();
    expect(names).not.toContain(many);
    expect(names).not.toContain('select 7 as seven');
  });

  it(`prepares at most ${MAX_PREPARED} statements on one connection, and runs the rest unnamed`, async () => {
    for (let i = 0; i < MAX_PREPARED + 20; i++)
      expect((await client.query(`select $1::int + ${i} as n`, [1])).rows).toEqual([{ n: i + 1 }]);
    expect(await prepared()).toHaveLength(MAX_PREPARED);
  });
});
