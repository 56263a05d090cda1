/**
 * Results frameworks: the Bicentennial Framework, the Mérida pillars, their nodes and the crosswalk.
 * Frameworks are public reference records.
 * @module
 */
import { NotFoundError } from '../../error.js';
import { listCrosswalk, listFrameworks, listNodes } from '../../records/framework-repository.js';
import { LangQuery, NodesQuery } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

export const frameworks = route({
  method: 'get',
  path: '/frameworks',
  operationId: 'listFrameworks',
  response: R.FrameworkList,
  tag: 'frameworks',
  permission: 'read',
  summary: 'List results frameworks with their node counts',
  query: LangQuery,
  handle: ({ store }) => listFrameworks(store),
});

export const framework = route({
  method: 'get',
  path: '/frameworks/{code}',
  operationId: 'getFramework',
  response: R.FrameworkDetail,
  tag: 'frameworks',
  permission: 'read',
  summary: 'One framework with its nodes in definition order',
  query: LangQuery,
  async handle({ store, params }) {
    const found = (await listFrameworks(store)).find((f) => f.code === params.code);
    if (!found) throw new NotFoundError('framework', params.code);
    return { ...found, nodes: await listNodes(store, params.code) };
  },
});

export const nodes = route({
  method: 'get',
  path: '/nodes',
  operationId: 'listNodes',
  response: R.NodeList,
  tag: 'frameworks',
  permission: 'read',
  summary: 'Framework nodes, as FRAMEWORK:CODE references with parents',
  query: NodesQuery,
  handle: ({ store, query }) => listNodes(store, query.framework),
});

export const crosswalk = route({
  method: 'get',
  path: '/crosswalk',
  operationId: 'listCrosswalk',
  response: R.CrosswalkList,
  tag: 'frameworks',
  permission: 'read',
  summary: 'Crosswalk links between nodes of different frameworks, with their basis (official or analytical)',
  query: LangQuery,
  handle: ({ store }) => listCrosswalk(store),
});
