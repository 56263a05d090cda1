/**
 * The network in force, read from the statistics store: the groups of the groups vintage neither
 * replaced nor withdrawn, the alliances and rivalries of the tie vintages in force between them, and
 * those vintages (file, sha256, date) for provenance. Ties whose ends are not among the groups in force
 * (a groups file imported after them without some group) are left out and counted.
 * @module
 */
import type { StatsStore } from '../stats-store.js';
import type { TieKind } from './network-file.js';

export interface NetworkGroup {
  node: string;
  name: string;
  shortName: string | null;
  /** The INEGI code of its state. */
  state: string;
}

export interface NetworkTie {
  kind: TieKind;
  edge: string;
  source: string;
  target: string;
  weight: number;
}

export interface NetworkVintage {
  id: number;
  layout: string;
  file: string;
  sha256: string;
  importedAt: string;
}

export interface NetworkInForce {
  groups: NetworkGroup[];
  ties: NetworkTie[];
  vintages: NetworkVintage[];
  /** Ties in force whose ends are not among the groups in force. */
  orphanTies: number;
}

const IN_FORCE = `v.source = 'bacrim-network' and v.replaced_by is null and v.withdrawn_at is null`;

export async function readNetwork(stats: StatsStore): Promise<NetworkInForce> {
  const vintages = await stats.all<NetworkVintage>(
    `select v.id, v.layout, v.file_name as file, v.sha256, strftime(v.imported_at, '%Y-%m-%dT%H:%M:%SZ') as "importedAt"
     from vintages v where ${IN_FORCE} order by v.id`,
  );
  const groups = await stats.all<NetworkGroup>(
    `select g.node, g.name, g.short_name as "shortName", g.state
     from network_groups g join vintages v on v.id = g.vintage_id
     where ${IN_FORCE} and v.layout = 'groups' order by g.line`,
  );
  const all = await stats.all<NetworkTie>(
    `select t.kind, t.edge, t.source, t.target, t.weight
     from network_ties t join vintages v on v.id = t.vintage_id
     where ${IN_FORCE} and v.layout in ('alliances', 'rivalries') order by t.kind, t.line`,
  );
  const known = new Set(groups.map((g) => g.node));
  const ties = all.filter((t) => known.has(t.source) && known.has(t.target));
  return { groups, ties, vintages, orphanTies: all.length - ties.length };
}
