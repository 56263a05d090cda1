/**
 * Response schemas of the network routes: the counts by state anyone may read, and the group-level
 * detail (groups with their centralities, components, communities; one group with its allies and
 * rivals) that follows the network's classification.
 * @module
 */
import { z } from 'zod';

const Layered = z.object({ alliance: z.number(), rivalry: z.number(), all: z.number() });

const NetworkVintage = z
  .object({
    id: z.number(),
    layout: z.string(),
    file: z.string(),
    sha256: z.string(),
    importedAt: z.string(),
  })
  .meta({ id: 'NetworkVintage' });

const StateNetwork = z
  .object({
    state: z.string(),
    groups: z.number(),
    alliancesWithin: z.number(),
    rivalriesWithin: z.number(),
    allianceDensity: z.number().nullable(),
    rivalryDensity: z.number().nullable(),
    rivalries: z.number(),
  })
  .meta({ id: 'StateNetwork' });

export const NetworkSummary = z
  .object({
    classification: z.enum(['public', 'official_use', 'restricted']),
    detail: z.boolean(),
    vintages: z.array(NetworkVintage),
    groups: z.number(),
    alliances: z.number(),
    rivalries: z.number(),
    states: z.array(StateNetwork),
  })
  .meta({ id: 'NetworkSummary' });

const Group = z
  .object({
    node: z.string(),
    name: z.string(),
    shortName: z.string().nullable(),
    state: z.string(),
    degree: Layered,
    weightedDegree: Layered,
    betweenness: Layered,
    component: z.number(),
    community: z.number().nullable(),
  })
  .meta({ id: 'NetworkGroup' });

const PairTie = z.object({
  a: z.string(),
  b: z.string(),
  weight: z.number(),
  reported: z.enum(['both', 'one']),
});

const Members = z.array(z.object({ id: z.number(), nodes: z.array(z.string()) }));

export const NetworkDetail = z
  .object({
    groups: z.array(Group),
    ties: z.object({ alliance: z.array(PairTie), rivalry: z.array(PairTie) }),
    components: Members,
    communities: Members,
    modularity: z.number().nullable(),
    betweennessFrom: z.object({
      alliance: z.object({ exact: z.boolean(), sources: z.number() }),
      rivalry: z.object({ exact: z.boolean(), sources: z.number() }),
      all: z.object({ exact: z.boolean(), sources: z.number() }),
    }),
    states: z.array(StateNetwork),
    vintages: z.array(NetworkVintage),
  })
  .meta({ id: 'NetworkDetail' });

const GroupTie = z.object({
  node: z.string(),
  name: z.string(),
  state: z.string(),
  weight: z.number(),
  reported: z.enum(['both', 'one']),
});

export const NetworkGroupDetail = z
  .object({
    group: Group,
    allies: z.array(GroupTie),
    rivals: z.array(GroupTie),
    vintages: z.array(NetworkVintage),
  })
  .meta({ id: 'NetworkGroupDetail' });
