/**
 * The audit chain's head in a row of its own: the hash of the last entry. An append takes the chain's
 * advisory lock and reads this row in one statement, and moves it forward in the statement that inserts
 * the entries: one round trip fewer while the lock is held than locking and then reading the log's last
 * entry, and the lock's hold is what bounds concurrent writes. The head is a convenience, not evidence:
 * a head altered outside Marco breaks the next entry's link, which verification reports.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table audit_head (
    id smallint primary key check (id = 1),
    hash text not null)`.execute(db);
  // A store with entries starts from its last one; a new store from the genesis hash.
  await sql`insert into audit_head (id, hash)
    select 1, coalesce((select hash from audit_log order by id desc limit 1), repeat('0', 64))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists audit_head`.execute(db);
}
