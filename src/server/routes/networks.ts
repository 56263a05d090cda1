/**
 * Criminal-group networks (issue 17): the counts by state anyone may read, and group-level detail,
 * which follows the network's classification (`MARCO_NETWORK_CLASSIFICATION`, official use by default):
 * an anonymous caller gets 401 with the way to sign in, a signed-in one who may not see it 403.
 * @module
 */
import { z } from 'zod';
import {
  DEFAULT_NETWORK_ACCESS,
  groupDetail,
  networkDetail,
  networkSummary,
} from '../../networks/network-view.js';
import { LangQuery } from '../api-schemas.js';
import { requireStats, route } from '../route.js';
import * as R from '../responses/index.js';

export const network = route({
  method: 'get',
  path: '/networks',
  operationId: 'getNetwork',
  response: R.NetworkSummary,
  usesStats: true,
  tag: 'networks',
  permission: 'read',
  summary:
    'The criminal-group network in force (BACRIM): its vintages, and for each state the groups present, the alliances and rivalries among them, their densities and the rivalries involving them; `detail` says whether the caller may read group-level detail',
  query: LangQuery,
  handle: ({ stats, viewer, options }) =>
    networkSummary(requireStats(stats), viewer, options.networks ?? DEFAULT_NETWORK_ACCESS),
});

export const networkGroups = route({
  method: 'get',
  path: '/networks/groups',
  operationId: 'listNetworkGroups',
  response: R.NetworkDetail,
  usesStats: true,
  tag: 'networks',
  // Open to the route; the network's classification decides who reads it (401 or 403 otherwise).
  permission: 'read',
  statuses: [401, 403],
  summary:
    'Group-level detail, as its classification allows: every group with its degree, weighted degree and betweenness (alliances, rivalries, all ties), component and community, the undirected ties, the components and the Louvain communities',
  query: LangQuery,
  handle: ({ stats, viewer, options }) =>
    networkDetail(requireStats(stats), viewer, options.networks ?? DEFAULT_NETWORK_ACCESS),
});

export const networkGroup = route({
  method: 'get',
  path: '/networks/groups/{node}',
  operationId: 'getNetworkGroup',
  params: {
    node: z
      .string()
      .regex(/^[\w.-]{1,64}$/, { message: 'validation.schema.nodeId' })
      .meta({ description: 'the group’s node id in the network file, such as N10025' }),
  },
  response: R.NetworkGroupDetail,
  usesStats: true,
  tag: 'networks',
  permission: 'read',
  statuses: [401, 403],
  summary: 'One criminal group, as its classification allows: its state, centralities, allies and rivals',
  query: LangQuery,
  handle: ({ stats, viewer, options, params }) =>
    groupDetail(requireStats(stats), viewer, options.networks ?? DEFAULT_NETWORK_ACCESS, params.node),
});
