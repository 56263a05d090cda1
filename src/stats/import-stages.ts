/**
 * The stages of one CSV import, in the order they run inside its single DuckDB transaction:
 *
 * 1. {@link openVintage}: the vintage row that will own every stored row;
 * 2. {@link stageRows}: the source's staging SQL reads the file into the vintage's own table;
 * 3. {@link validateRows}: duplicate keys, counts, the first rejected rows, and the reject threshold;
 * 4. {@link recordVintage}: the rejects and the counts, on the vintage;
 * 5. {@link publishRows}: figures and places are upserted; observations replace older vintages' periods
 *    and refresh the coverage table the series planner reads.
 *
 * A stage that refuses throws a {@link DataError}; the caller rolls the transaction back.
 * @module
 */
import { DataError, RejectsError, type ImportContext, type RejectedRow } from './import-report.js';
import { sqlString, type ConstantColumn, type Source, type SourceLayout } from './source.js';
import { rejectReason } from './reject-reasons.js';
import {
  dimColumn,
  dimsCondition,
  observationColumns,
  refreshObservations,
  totalsOnly,
  vintageShape,
  type StatsStore,
} from './stats-store.js';
import { keepRows, keepTakenOver } from './takeovers.js';

/** Where a file's rows were staged, and the SQL fragments later stages read them with. */
export interface Staged {
  /** The table the rows were written to: `obs_<vintage>` for observations, else a temporary table. */
  table: string;
  /** The rows as a query, with a source's constant columns added back. */
  rows: string;
  /** The columns that identify a row. */
  key: string;
  /** The condition of rows that will be stored. */
  kept: string;
  /** A row's file line, as an expression on {@link Staged.table}'s columns. */
  line: string;
  constant: Source['constant'];
}

export interface Validated {
  read: number;
  rejected: number;
  skipped: number;
  from: string | null;
  to: string | null;
  /** The duplicate-reason column, or a null literal when the file has no duplicate keys. */
  dup: string;
  /** The first 20 rejected rows. */
  shown: RejectedRow[];
}

/** Inserts the vintage row (counts at zero until {@link recordVintage}) and returns its id. */
export async function openVintage(
  stats: StatsStore,
  source: Source,
  layout: SourceLayout,
  ctx: ImportContext,
): Promise<number> {
  const now = (ctx.now ?? (() => new Date()))().toISOString().replace('T', ' ').replace('Z', '');
  const [vintage] = await stats.all<{ id: number }>(
    `insert into vintages (source, file_name, sha256, bytes, layout, rows_read, rows_loaded, rows_rejected, imported_at, marco_version, params, imported_by, origin)
     values ($1, $2, $3, $4, $5, 0, 0, 0, $6::timestamp, $7, $8, $9, $10) returning id`,
    [
      source.id,
      ctx.name,
      ctx.digest,
      ctx.bytes,
      layout.name,
      now,
      ctx.version,
      ctx.paramsText,
      ctx.importedBy ?? null,
      ctx.origin ?? null,
    ],
  );
  return vintage!.id;
}

/** The table a vintage's rows are staged in. */
export const stagingTable = (source: Source, vintage: number) =>
  source.kind === 'observations' ? `obs_${vintage}` : 'staged';

/**
 * Runs the source's staging SQL over the file. Observations are written once, straight into the
 * vintage's own table; geography and figures go through a temporary table.
 */
export async function stageRows(
  stats: StatsStore,
  source: Source,
  layout: SourceLayout,
  csv: string,
  table: string,
  file: string,
  params: Record<string, string>,
): Promise<Staged> {
  // Only what varies by row is written: the source and vintage belong to the table, and a source's
  // declared constants to its vintage (see `observationColumns`).
  const constant = source.kind === 'observations' ? source.constant : undefined;
  const constants = Object.entries(constant ?? {}) as [ConstantColumn, string][];
  const noDims = totalsOnly({ constants: constant, dimensions: source.dimensions });
  const staging = source.staging!(csv, layout, params);
  // Rules written with `rejectColumns` give one struct, unpacked here; other stagings give the columns.
  const structured = /\bend as reject\b(?!_)/.test(staging);
  const excluded = [
    ...constants.map(([column]) => column),
    ...(noDims ? ['dims'] : []),
    ...(structured ? ['reject'] : []),
  ];
  const columns = `*${excluded.length ? ` exclude (${excluded.join(', ')})` : ''}${
    structured
      ? ', reject.column as reject_column, reject.value as reject_value, reject.reason as reject_reason'
      : ''
  }`;
  try {
    await stats.con.run(
      `create ${source.kind === 'observations' ? '' : 'or replace temp '}table ${table} as
       select ${columns} from (${staging})`,
    );
  } catch (error) {
    throw new DataError({
      key: 'imports.cannotRead',
      values: { file, layout: layout.name, reason: (error as Error).message.split('\n')[0]! },
    });
  }
  // Queries below see the constants (and a line number kept by row order) as columns, stored or not.
  // Row ids count from wherever the transaction's storage starts them (not 0 before the commit): a row's
  // line is its distance from the first row, plus the header and one.
  const line = source.linesByOrder ? `(rowid - (select min(rowid) from ${table}) + 2)` : 'line';
  const numbered = source.linesByOrder ? `${line} as line, ` : '';
  const added = [
    ...constants.map(([column, value]) => `${sqlString(value)} as ${column}`),
    ...(noDims ? ['MAP {}::MAP(VARCHAR, VARCHAR) as dims'] : []),
  ];
  const rows =
    added.length || numbered
      ? `(select ${numbered}*${added.map((a) => `, ${a}`).join('')} from ${table})`
      : table;
  // The key leaves out what is the same on every row: grouping on a map costs a sixth of the import.
  const key =
    source.kind === 'geography'
      ? 'code'
      : source.kind === 'figures'
        ? 'figure_id'
        : [
            ...(['measure', 'geo_level', 'geo', 'granularity', 'period'] as const).filter(
              (column) => column === 'geo' || column === 'period' || constant?.[column] === undefined,
            ),
            ...(source.dimensions ? source.dimensions.map(dimColumn) : noDims ? [] : ['dims']),
          ].join(', ');
  // Rows that will be stored: valid and, for observations, with a value (skipped rows carry none and may
  // have no period).
  const kept =
    source.kind === 'observations' ? 'reject_reason is null and value is not null' : 'reject_reason is null';
  return { table, rows, key, kept, line, constant };
}

/**
 * Marks every repeated key after its first line as rejected, counts what was read, rejected and skipped,
 * and refuses the file when the rejected share passes the limit.
 */
export async function validateRows(
  stats: StatsStore,
  source: Source,
  staged: Staged,
  file: string,
  maxShare: number,
): Promise<Validated> {
  const { table, rows, key, kept, line } = staged;
  type Counts = { read: number; rejected: number; skipped: number; from: string | null; to: string | null };
  // What was read, rejected and skipped, and the span kept, given the duplicate-reason column `dup`.
  const countSql = (dup: string) => `
    count(*) as read,
    count(*) filter (where reject_reason is not null or ${dup} is not null) as rejected,
    ${source.kind === 'observations' ? `count(*) filter (where reject_reason is null and ${dup} is null and value is null)` : '0'} as skipped,
    ${
      source.kind !== 'observations'
        ? 'null as "from", null as "to"'
        : `strftime(min(period) filter (where ${kept} and ${dup} is null), '%Y-%m-%d') as "from",
           strftime(max(period) filter (where ${kept} and ${dup} is null), '%Y-%m-%d') as "to"`
    }`;
  // A key seen twice inside one file: every occurrence after the first is rejected. Files rarely have
  // any, so the first scan counts the rows as if there were none and, alongside, the distinct hashes of
  // the kept rows' keys: as many as kept rows proves every key distinct (grouping on the ten key columns
  // of SESNSP's victims file took a fifth of its import). Fewer may be a hash collision: the keys are
  // then grouped, and any duplicates marked and the rows counted again (the rare, slower path).
  // The scan reads the table itself: every column it counts or hashes is stored (a source's constants
  // are not part of its key), and numbering lines by row order there would cost the victims file's
  // import half a second and 60 MB for nothing.
  const [first] = await stats.all<Counts & { collisions: number }>(
    `select ${countSql('null::varchar')},
       count(*) filter (where ${kept}) - count(distinct hash(${key})) filter (where ${kept}) as collisions
     from ${table}`,
  );
  const [dups] =
    first!.collisions === 0
      ? [{ n: 0 }]
      : await stats.all<{ n: number }>(
          `select count(*) as n from (select 1 from ${rows} where ${kept} group by ${key} having count(*) > 1)`,
        );
  // The duplicate_reason column exists only when a file has duplicates.
  const dup = dups!.n > 0 ? 'duplicate_reason' : 'null::varchar';
  if (dups!.n > 0) {
    await stats.con.run(`alter table ${table} add column duplicate_reason varchar`);
    await stats.con.run(`
      update ${table} set duplicate_reason = ${sqlString(rejectReason(source.kind === 'geography' ? 'duplicateCode' : 'duplicateKey'))}
      where ${line} in (
        select line from (
          select line, row_number() over (partition by ${key} order by line) as rn from ${rows} where ${kept})
        where rn > 1)`);
  }
  const counts = dups!.n > 0 ? (await stats.all<Counts>(`select ${countSql(dup)} from ${rows}`))[0] : first;
  const { read, rejected, skipped, from, to } = counts!;
  const rejects = rejected
    ? await stats.all<{ line: number; column: string; value: string | null; reason: string }>(`
        select ${line} as line, coalesce(reject_column, '(row)') as "column", reject_value as value,
          coalesce(reject_reason, ${dup}) as reason
        from ${table} where reject_reason is not null or ${dup} is not null order by line limit 20`)
    : [];
  const shown = rejects.map((r) => ({ file, ...r }));
  if (read === 0) throw new DataError({ key: 'imports.noRows', values: { file } });
  if (rejected / read > maxShare) {
    throw new RejectsError(
      'imports.tooManyRejects',
      {
        file,
        // Counts and shares as computed, not re-formatted: the reader compares them with the file.
        rejected: String(rejected),
        read: String(read),
        share: ((100 * rejected) / read).toFixed(2),
        limit: String(100 * maxShare),
      },
      shown,
      { rejected, read, rejects: shown },
    );
  }
  return { read, rejected, skipped, from, to, dup, shown };
}

/** Stores the first 1,000 rejected rows and the counts on the vintage row. */
export async function recordVintage(
  stats: StatsStore,
  source: Source,
  vintage: number,
  staged: Staged,
  v: Validated,
): Promise<void> {
  const con = stats.con;
  if (v.rejected) {
    await con.run(`
      insert into rejects select ${vintage}, ${staged.line}, coalesce(reject_column, '(row)'), reject_value, coalesce(reject_reason, ${v.dup})
      from ${staged.table} where reject_reason is not null or ${v.dup} is not null order by ${staged.line} limit 1000`);
  }
  await con.run(
    `update vintages set rows_read = $1, rows_loaded = $2, rows_rejected = $3, period_from = $4::date, period_to = $5::date,
       table_name = $6, constants = $8, dimensions = $9 where id = $7`,
    [
      v.read,
      v.read - v.rejected - v.skipped,
      v.rejected,
      v.from,
      v.to,
      source.kind === 'observations' ? staged.table : null,
      vintage,
      staged.constant ? JSON.stringify(staged.constant) : null,
      source.kind === 'observations' && source.dimensions ? JSON.stringify(source.dimensions) : null,
    ] as never,
  );
}

/**
 * Makes the staged rows the store's: figures and places are upserted; observations drop their rejected
 * and skipped rows, take over the periods they cover from older vintages of the source (a vintage left
 * with nothing is marked replaced and its table dropped), and refresh the coverage table. Returns the
 * replaced vintages and the place codes the catalogue does not know.
 */
export async function publishRows(
  stats: StatsStore,
  source: Source,
  vintage: number,
  staged: Staged,
  v: Validated,
): Promise<{ replaced: number[]; unknown: { count: number; examples: string[] } }> {
  const con = stats.con;
  const { table, constant } = staged;
  if (source.kind === 'figures') {
    await keepTakenOver(stats, vintage, 'figures', 'figure_id', v.dup);
    await con.run(`
      insert or replace into figures (figure_id, measure, geo, period, value_text, value, unit, statement,
        citation, vintage_id, qualifier, confidence, url, note)
      select figure_id, measure, geo, period, value_text, value, unit, statement, citation, ${vintage},
        qualifier, confidence, url, note
      from staged where reject_reason is null and ${v.dup} is null`);
    return { replaced: [], unknown: { count: 0, examples: [] } };
  }
  if (source.kind === 'geography') {
    await keepTakenOver(stats, vintage, 'geo', 'code', v.dup);
    await con.run(`
      insert or replace into geo (code, level, name, parent, country, fips, usps, source)
      select code, level, name, parent, country, null, null, ${sqlString(source.id)}
      from staged where reject_reason is null and ${v.dup} is null`);
    return { replaced: [], unknown: { count: 0, examples: [] } };
  }
  // Rejected rows are reported; rows without a value (a publisher's suppressed cell) are skipped.
  if (v.rejected || v.skipped)
    await con.run(
      `delete from ${table} where reject_reason is not null or ${v.dup} is not null or value is null`,
    );
  const unknown = await unknownPlaces(stats, staged.rows);
  const replaced: number[] = [];
  const older = await stats.all<{ id: number; table_name: string }>(
    `select id, table_name from vintages where source = $1 and id != $2 and table_name is not null`,
    [source.id, vintage],
  );
  for (const old of older) {
    const places =
      source.replaces === 'places-and-periods' ? ` and geo in (select distinct geo from ${table})` : '';
    // A source of several measures (CDC's indicators) replaces only the measures the new file holds.
    const measures =
      constant?.measure !== undefined ? '' : ` and measure in (select distinct measure from ${table})`;
    const where = `period between $1::date and $2::date${places}${measures}`;
    // The rows taken over are kept, so that this import can be rolled back (`rollback.ts`).
    await keepRows(stats, vintage, old, where, [v.from, v.to]);
    await con.run(`delete from ${old.table_name} where ${where}`, [v.from, v.to] as never);
    const [left] = await stats.all<{ n: number }>(`select count(*) as n from ${old.table_name}`);
    if (left!.n === 0) {
      await con.run(`update vintages set replaced_by = $1, table_name = null where id = $2`, [
        vintage,
        old.id,
      ] as never);
      await con.run(`drop table ${old.table_name}`);
      replaced.push(old.id);
    }
  }
  await refreshObservations(con);
  await refreshCoverage(stats, source.id);
  return { replaced: replaced.sort((a, b) => a - b), unknown };
}

/**
 * What each source holds, by measure and level: the series planner reads this small table only. Each of
 * the source's vintage tables is read with its own columns (no `dims` map is built to tell totals).
 */
export async function refreshCoverage(stats: StatsStore, source: string): Promise<void> {
  await stats.con.run(`delete from coverage where source = $1`, [source] as never);
  const vintages = await stats.all<{
    id: number;
    source: string;
    table_name: string;
    constants: string | null;
    dimensions: string | null;
  }>(
    `select id, source, table_name, constants, dimensions from vintages where source = $1 and table_name is not null`,
    [source],
  );
  if (vintages.length === 0) return;
  const rows = vintages
    .map((v) => {
      const shape = vintageShape(v);
      // The unused `dims` and `dims_key` are pruned by DuckDB: no map is built.
      return `select ${observationColumns(shape)}, ${dimsCondition(shape, 'totals')} as total from ${v.table_name}`;
    })
    .join(' union all ');
  await stats.con.run(
    `insert into coverage select source, measure, geo_level, granularity, min(period), max(period), count(distinct geo), count(*),
       bool_or(total)
     from (${rows}) group by source, measure, geo_level, granularity`,
  );
}

/** Codes staged for import that the geography catalogue does not know (only when it has that level). */
async function unknownPlaces(
  stats: StatsStore,
  rows: string,
): Promise<{ count: number; examples: string[] }> {
  // The distinct places first (a few thousand at most), then the catalogue lookups on those alone.
  const found = await stats.all<{ geo: string }>(`
    select distinct s.geo
    from (select distinct geo_level, geo from ${rows} where geo_level in ('state', 'municipality')) s
    where exists (select 1 from geo g where g.level = s.geo_level)
      and not exists (select 1 from geo g where g.code = s.geo)
    order by s.geo`);
  return { count: found.length, examples: found.slice(0, 10).map((r) => r.geo) };
}
