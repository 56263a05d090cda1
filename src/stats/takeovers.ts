/**
 * What an import took over from earlier data, kept so that the import can be rolled back: the rows of
 * older vintages it replaced, and the catalogue or figure rows it overwrote. Each kept set is a table
 * `kept_<vintage>_<n>` listed in `takeovers`; `rollback.ts` puts them back.
 * @module
 */
import type { StatsStore } from './stats-store.js';

async function nextKeptTable(stats: StatsStore, vintage: number): Promise<string> {
  const [row] = await stats.all<{ n: number }>(`select count(*) as n from takeovers where vintage_id = $1`, [
    vintage,
  ]);
  return `kept_${vintage}_${row!.n + 1}`;
}

/** Keeps the rows of an older vintage's table that `vintage` is about to delete (`where`). */
export async function keepRows(
  stats: StatsStore,
  vintage: number,
  old: { id: number; table_name: string },
  where: string,
  params: unknown[],
): Promise<void> {
  const kept = await nextKeptTable(stats, vintage);
  await stats.con.run(
    `create table ${kept} as select * from ${old.table_name} where ${where}`,
    params as never,
  );
  const [row] = await stats.all<{ n: number }>(`select count(*) as n from ${kept}`);
  if (row!.n === 0) {
    await stats.con.run(`drop table ${kept}`);
    return;
  }
  await stats.con.run(`insert into takeovers values ($1, $2, $3, $4, $5)`, [
    vintage,
    old.id,
    old.table_name,
    kept,
    row!.n,
  ] as never);
}

/**
 * Keeps the rows of a keyed table (`geo` by `code`, `figures` by `figure_id`) that `vintage` is about to
 * write from the staged rows (those accepted: no reject reason, not a duplicate by `dup`): the earlier
 * rows for those keys, and the list of keys (`kept_…_keys`), so a rollback removes what the import added
 * and restores what it changed.
 */
export async function keepTakenOver(
  stats: StatsStore,
  vintage: number,
  table: 'geo' | 'figures',
  key: string,
  dup: string,
): Promise<void> {
  const kept = await nextKeptTable(stats, vintage);
  await stats.con.run(
    `create table ${kept}_keys as select distinct ${key} as key from staged where reject_reason is null and ${dup} is null`,
  );
  await stats.con.run(
    `create table ${kept} as select * from ${table} where ${key} in (select key from ${kept}_keys)`,
  );
  const [row] = await stats.all<{ n: number }>(`select count(*) as n from ${kept}_keys`);
  await stats.con.run(`insert into takeovers values ($1, null, $2, $3, $4)`, [
    vintage,
    table,
    kept,
    row!.n,
  ] as never);
}
