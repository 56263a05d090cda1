/**
 * Rolls back an import: the vintage's own rows are withdrawn, and what it took over (rows of older
 * vintages, catalogue names, figures) is put back, in one transaction. The vintage stays listed, marked
 * withdrawn with who did it and when, so the history of a series remains readable. A vintage can be
 * rolled back only when no later import still holds rows it took over from it, and only once.
 * @module
 */
import { NotFoundError, RefusedError } from '../error.js';
import { refreshCoverage } from './import-stages.js';
import { SOURCES } from './sources/index.js';
import { refreshObservations, type StatsStore } from './stats-store.js';

export interface RollbackReport {
  vintage: number;
  source: string;
  file: string;
  sha256: string;
  /** Rows of the vintage withdrawn. */
  rowsWithdrawn: number;
  /** The earlier vintages whose rows came back, with how many. */
  reinstated: { vintage: number | null; table: string; rows: number }[];
}

interface Takeover {
  from_vintage: number | null;
  from_table: string;
  kept_in: string;
  rows: number;
}

/** Rolls back vintage `id` on `stats` (a writer: inside `exclusive()` when a server holds the store). */
export async function rollbackVintage(
  stats: StatsStore,
  id: number,
  by: string,
  now: () => Date = () => new Date(),
): Promise<RollbackReport> {
  const [v] = await stats.all<{
    id: number;
    source: string;
    file_name: string;
    sha256: string;
    table_name: string | null;
    rows_loaded: number;
    withdrawn_at: string | null;
  }>(
    `select id, source, file_name, sha256, table_name, rows_loaded, strftime(withdrawn_at, '%Y-%m-%dT%H:%M:%SZ') as withdrawn_at
     from vintages where id = $1`,
    [id],
  );
  if (!v) throw new NotFoundError('vintage', String(id), { key: 'notFound.hint.vintages' });
  if (v.withdrawn_at)
    throw new RefusedError(
      { key: 'stats.rollback.already', values: { id, date: v.withdrawn_at } },
      'withdrawn',
    );
  const kind = SOURCES.find((s) => s.id === v.source)?.kind;
  if (kind === 'boundaries')
    throw new RefusedError({ key: 'stats.rollback.boundaries', values: { id } }, 'boundaries');
  // A later import that took rows over from this one must be rolled back first.
  const later = await stats.all<{ vintage_id: number }>(
    `select distinct t.vintage_id from takeovers t join vintages w on w.id = t.vintage_id
     where t.from_vintage = $1 and w.withdrawn_at is null order by 1`,
    [id],
  );
  if (later.length > 0)
    throw new RefusedError(
      { key: 'stats.rollback.later', values: { id, later: later.map((l) => l.vintage_id).join(', ') } },
      'later_import',
    );
  if (kind === 'geography' || kind === 'figures') {
    const newer = await stats.all<{ id: number }>(
      `select v.id from vintages v where v.id > $1 and v.withdrawn_at is null
         and exists (select 1 from takeovers t where t.vintage_id = v.id and t.from_table = $2)`,
      [id, kind === 'geography' ? 'geo' : 'figures'],
    );
    if (newer.length > 0)
      throw new RefusedError(
        { key: 'stats.rollback.later', values: { id, later: newer.map((n) => n.id).join(', ') } },
        'later_import',
      );
  }
  if (kind === 'network') return rollbackNetwork(stats, v, by, now);
  const taken = await stats.all<Takeover>(
    `select from_vintage, from_table, kept_in, rows from takeovers where vintage_id = $1 order by kept_in`,
    [id],
  );
  const con = stats.con;
  await inTransaction(stats, async () => {
    for (const t of taken) await putBack(stats, t);
    if (v.table_name) await con.run(`drop table ${v.table_name}`);
    await con.run(
      `update vintages set table_name = null, withdrawn_at = $1::timestamp, withdrawn_by = $2 where id = $3`,
      [now().toISOString().replace('T', ' ').replace('Z', ''), by, id] as never,
    );
    await con.run(`delete from takeovers where vintage_id = $1`, [id] as never);
    await refreshObservations(con);
    await refreshCoverage(stats, v.source);
  });
  stats.invalidate();
  return {
    vintage: id,
    source: v.source,
    file: v.file_name,
    sha256: v.sha256,
    rowsWithdrawn: v.table_name ? v.rows_loaded : 0,
    reinstated: taken.map((t) => ({ vintage: t.from_vintage, table: t.from_table, rows: t.rows })),
  };
}

/** Puts one kept set back where it came from. */
async function putBack(stats: StatsStore, t: Takeover): Promise<void> {
  const con = stats.con;
  if (t.from_table === 'geo' || t.from_table === 'figures') {
    const key = t.from_table === 'geo' ? 'code' : 'figure_id';
    await con.run(`delete from ${t.from_table} where ${key} in (select key from ${t.kept_in}_keys)`);
    // By name: a set kept before the table gained columns (the figures' qualifier…) still fits.
    await con.run(`insert into ${t.from_table} by name select * from ${t.kept_in}`);
    await con.run(`drop table ${t.kept_in}_keys`);
  } else {
    const [old] = await stats.all<{ table_name: string | null }>(
      `select table_name from vintages where id = $1`,
      [t.from_vintage],
    );
    if (old?.table_name) await con.run(`insert into ${old.table_name} select * from ${t.kept_in}`);
    else {
      // The older vintage had lost every row to this one: its table comes back whole.
      await con.run(`create table ${t.from_table} as select * from ${t.kept_in}`);
      await con.run(`update vintages set table_name = $1, replaced_by = null where id = $2`, [
        t.from_table,
        t.from_vintage,
      ] as never);
    }
  }
  await con.run(`drop table ${t.kept_in}`);
}

/**
 * Rolls back a network vintage: it is marked withdrawn and the vintage of its kind it replaced (groups,
 * alliances or rivalries) is in force again. Its rows stay, under its vintage, for the history; a
 * vintage already replaced by a later import of its kind waits for that one to be rolled back.
 */
async function rollbackNetwork(
  stats: StatsStore,
  v: { id: number; source: string; file_name: string; sha256: string; rows_loaded: number },
  by: string,
  now: () => Date,
): Promise<RollbackReport> {
  const [self] = await stats.all<{ replaced_by: number | null; layout: string }>(
    `select replaced_by, layout from vintages where id = $1`,
    [v.id],
  );
  if (self?.replaced_by != null)
    throw new RefusedError(
      { key: 'stats.rollback.later', values: { id: v.id, later: String(self.replaced_by) } },
      'later_import',
    );
  const table = self?.layout === 'groups' ? 'network_groups' : 'network_ties';
  const reinstated = await inTransaction(stats, async () => {
    const back = await stats.all<{ vintage: number; rows: number }>(
      `update vintages set replaced_by = null where replaced_by = $1 returning id as vintage, rows_loaded as rows`,
      [v.id],
    );
    await stats.con.run(`update vintages set withdrawn_at = $1::timestamp, withdrawn_by = $2 where id = $3`, [
      now().toISOString().replace('T', ' ').replace('Z', ''),
      by,
      v.id,
    ] as never);
    return back;
  });
  stats.invalidate();
  return {
    vintage: v.id,
    source: v.source,
    file: v.file_name,
    sha256: v.sha256,
    rowsWithdrawn: v.rows_loaded,
    reinstated: reinstated.map((r) => ({ vintage: r.vintage, table, rows: r.rows })),
  };
}

/** Runs `work` in one transaction on the store's connection: committed whole, or rolled back. */
async function inTransaction<T>(stats: StatsStore, work: () => Promise<T>): Promise<T> {
  await stats.con.run('begin transaction');
  try {
    const result = await work();
    await stats.con.run('commit');
    return result;
  } catch (error) {
    await stats.con.run('rollback').catch(() => undefined);
    throw error;
  }
}
