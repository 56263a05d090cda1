/**
 * The import of a network file (`bacrim-network`) into the statistics store, with the guarantees of
 * every import: a vintage with the file's sha256 for provenance, the older vintage of the same file kind
 * replaced, one transaction. Stricter than a statistics file: one wrong row refuses the whole file,
 * since a network missing a group or a tie is a different network. A groups file replaces the groups in
 * force; a ties file, read against them, replaces the alliances or the rivalries in force.
 * @module
 */
import {
  DataError,
  RejectsError,
  makeReport,
  type ImportContext,
  type ImportReport,
} from '../import-report.js';
import type { Source } from '../source.js';
import type { StatsStore } from '../stats-store.js';
import { checkGroups, checkTies, networkRows, networkText, tieKindOf } from './network-file.js';
import { layoutOf } from '../recognise.js';

/** The vintage layout of each kind of network file. */
export const NETWORK_LAYOUTS = { groups: 'groups', alliance: 'alliances', rivalry: 'rivalries' } as const;

/** The node ids and names of the groups in force. */
async function groupsInForce(stats: StatsStore): Promise<Map<string, string>> {
  const rows = await stats.all<{ node: string; name: string }>(
    `select g.node, g.name from network_groups g join vintages v on v.id = g.vintage_id
     where v.layout = 'groups' and v.replaced_by is null and v.withdrawn_at is null`,
  );
  return new Map(rows.map((r) => [r.node, r.name]));
}

export async function importNetwork(
  stats: StatsStore,
  source: Source,
  file: string,
  ctx: ImportContext,
): Promise<ImportReport> {
  const { started, name, bytes, digest } = ctx;
  ctx.onProgress?.('reading');
  const text = await networkText(file);
  const header = text.split(/\r?\n/, 1)[0]!;
  const layout = layoutOf(source, file, header);
  const rows = networkRows(text, file, layout.name);
  if (rows.length === 0) throw new DataError({ key: 'imports.network.noRows', values: { file } });
  ctx.onProgress?.('validating');
  const kind = layout.name === 'groups' ? undefined : tieKindOf(file, ctx.params.ties);
  const vintageLayout = kind === undefined ? NETWORK_LAYOUTS.groups : NETWORK_LAYOUTS[kind];

  const con = stats.con;
  await con.run('begin transaction');
  try {
    let loaded: number;
    let write: (vintage: number) => Promise<void>;
    if (kind === undefined) {
      const { groups, rejects } = checkGroups(rows, file);
      refuse(file, rows.length, rejects);
      loaded = groups.length;
      write = (vintage) =>
        insertRows(
          stats,
          'network_groups',
          groups.map((g) => [vintage, g.node, g.name, g.shortName, g.state, g.stateName, g.line]),
        );
    } else {
      const groups = await groupsInForce(stats);
      if (groups.size === 0) throw new DataError({ key: 'imports.network.noGroups', values: { file } });
      const { ties, rejects } = checkTies(rows, file, groups);
      refuse(file, rows.length, rejects);
      loaded = ties.length;
      write = (vintage) =>
        insertRows(
          stats,
          'network_ties',
          ties.map((t) => [vintage, kind, t.edge, t.source, t.target, t.weight, t.line]),
        );
    }
    ctx.onProgress?.('writing');
    const now = (ctx.now ?? (() => new Date()))().toISOString().replace('T', ' ').replace('Z', '');
    const [row] = await stats.all<{ id: number }>(
      `insert into vintages (source, file_name, sha256, bytes, layout, rows_read, rows_loaded, rows_rejected, imported_at, marco_version, params, imported_by, origin)
       values ($1, $2, $3, $4, $5, $6, $7, 0, $8::timestamp, $9, $10, $11, $12) returning id`,
      [
        source.id,
        name,
        digest,
        bytes,
        vintageLayout,
        rows.length,
        loaded,
        now,
        ctx.version,
        ctx.paramsText,
        ctx.importedBy ?? null,
        ctx.origin ?? null,
      ],
    );
    const vintage = row!.id;
    await write(vintage);
    const replaced = (
      await stats.all<{ id: number }>(
        `update vintages set replaced_by = $1
         where source = $2 and layout = $3 and id != $1 and replaced_by is null and withdrawn_at is null
         returning id`,
        [vintage, source.id, vintageLayout],
      )
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    ctx.onProgress?.('committing');
    await con.run('commit');
    stats.invalidate();
    return makeReport(source, file, digest, bytes, started, {
      vintage,
      layout: vintageLayout,
      rowsRead: rows.length,
      rowsLoaded: loaded,
      replaced,
    });
  } catch (error) {
    await con.run('rollback').catch(() => undefined);
    throw error;
  }
}

/** Refuses the file when any row is wrong, listing the first twenty. */
function refuse(file: string, read: number, rejects: ReturnType<typeof checkGroups>['rejects']) {
  if (rejects.length === 0) return;
  const shown = rejects.slice(0, 20);
  throw new RejectsError('imports.network.refused', { file, rejected: rejects.length, read }, shown, {
    rejected: rejects.length,
    read,
    rejects: shown,
  });
}

/** Inserts `rows` into `table`, 500 to a statement, their values bound as parameters. */
async function insertRows(stats: StatsStore, table: string, rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    await stats.con.run(
      `insert into ${table} values ${batch.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`,
      batch.flat() as never,
    );
  }
}
