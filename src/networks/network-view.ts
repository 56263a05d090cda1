/**
 * What a reader may see of the criminal-group network in force. Everyone sees its provenance and its
 * counts by state (groups present, alliances and rivalries among them, rivalries involving them, the
 * densities). Group-level detail (names, ties, centralities, communities) is classified as the
 * deployment says (`MARCO_NETWORK_CLASSIFICATION`, official use by default): an anonymous reader is
 * asked to sign in, and a signed-in one who may not see it is refused. The analysis is computed once per
 * network in force and kept until an import or a rollback changes it.
 * @module
 */
import type { NetworkAccess } from '../config.js';
import { canSee } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import { HttpError, NotFoundError } from '../error.js';
import { nearest } from '../domain/place-check.js';
import { readNetwork, type NetworkVintage } from '../stats/networks/network-read.js';
import type { StatsStore } from '../stats/stats-store.js';
import { layoutNetwork, type NetworkLayout } from './network-layout.js';
import {
  analyseNetwork,
  type GroupMetrics,
  type NetworkAnalysis,
  type StateNetwork,
} from './network-analysis.js';

/** Official use unless the deployment says otherwise. */
export const DEFAULT_NETWORK_ACCESS: NetworkAccess = { classification: 'official_use', country: 'MX' };

export interface NetworkSummary {
  classification: NetworkAccess['classification'];
  /** Whether this reader may see group-level detail. */
  detail: boolean;
  vintages: NetworkVintage[];
  groups: number;
  alliances: number;
  rivalries: number;
  states: StateNetwork[];
}

interface Kept {
  key: string;
  analysis: NetworkAnalysis;
  /** Where each group is drawn (`network-layout.ts`). */
  layout: NetworkLayout;
  vintages: NetworkVintage[];
}
const kept = new WeakMap<StatsStore, Promise<Kept>>();

/** The analysis of the network in force, computed once per set of vintages in force. */
export async function networkAnalysis(stats: StatsStore): Promise<Kept> {
  const [current] = await stats.all<{ key: string | null }>(
    `select string_agg(id::varchar, ',' order by id) as key from vintages
     where source = 'bacrim-network' and replaced_by is null and withdrawn_at is null`,
  );
  const key = current?.key ?? '';
  const found = kept.get(stats);
  if (found) {
    const k = await found.catch(() => undefined);
    if (k?.key === key) return k;
  }
  const computing = readNetwork(stats).then((net) => {
    const analysis = analyseNetwork(net.groups, net.ties);
    return { key, analysis, layout: layoutNetwork(analysis), vintages: net.vintages };
  });
  kept.set(stats, computing);
  return computing;
}

/** Whether `viewer` may see group-level detail under `access`. */
export const canSeeNetwork = (viewer: Viewer, access: NetworkAccess): boolean =>
  canSee(viewer, { classification: access.classification, country: access.country });

/** Refuses group-level detail to a reader who may not see it: 401 to sign in, 403 when signed in. */
export function assertCanSeeNetwork(viewer: Viewer, access: NetworkAccess): void {
  if (canSeeNetwork(viewer, access)) return;
  if (viewer === null)
    throw new HttpError(401, 'unauthorized', {
      key: 'networks.signIn',
      values: { classification: access.classification },
    });
  throw new HttpError(403, 'forbidden', {
    key: 'networks.restricted',
    values: { country: access.country },
  });
}

/** The counts anyone may read, with whether this reader may see more. */
export async function networkSummary(
  stats: StatsStore,
  viewer: Viewer,
  access: NetworkAccess,
): Promise<NetworkSummary> {
  const { analysis, vintages } = await networkAnalysis(stats);
  return {
    classification: access.classification,
    detail: canSeeNetwork(viewer, access),
    vintages,
    groups: analysis.groups.length,
    alliances: analysis.ties.alliance.length,
    rivalries: analysis.ties.rivalry.length,
    states: analysis.states,
  };
}

/** Group-level detail: every group with its centralities, the components and the communities. */
export async function networkDetail(stats: StatsStore, viewer: Viewer, access: NetworkAccess) {
  assertCanSeeNetwork(viewer, access);
  const { analysis, vintages } = await networkAnalysis(stats);
  return { ...analysis, vintages };
}

export interface GroupTie {
  node: string;
  name: string;
  state: string;
  weight: number;
  reported: 'both' | 'one';
}

/** One group: its metrics, and its allies and rivals, strongest first. */
export async function groupDetail(
  stats: StatsStore,
  viewer: Viewer,
  access: NetworkAccess,
  node: string,
): Promise<{ group: GroupMetrics; allies: GroupTie[]; rivals: GroupTie[]; vintages: NetworkVintage[] }> {
  assertCanSeeNetwork(viewer, access);
  const { analysis, vintages } = await networkAnalysis(stats);
  const byNode = new Map(analysis.groups.map((g) => [g.node, g]));
  const group = byNode.get(node);
  if (!group)
    throw new NotFoundError('group', node, {
      key: 'notFound.hint.nearestGroups',
      values: { nodes: nearest(node, [...byNode.keys()], 5).join(', ') },
    });
  const ties = (kind: 'alliance' | 'rivalry'): GroupTie[] =>
    analysis.ties[kind]
      .filter((t) => t.a === node || t.b === node)
      .map((t) => {
        const other = byNode.get(t.a === node ? t.b : t.a)!;
        return {
          node: other.node,
          name: other.name,
          state: other.state,
          weight: t.weight,
          reported: t.reported,
        };
      })
      .sort((x, y) => y.weight - x.weight || x.name.localeCompare(y.name));
  return { group, allies: ties('alliance'), rivals: ties('rivalry'), vintages };
}
