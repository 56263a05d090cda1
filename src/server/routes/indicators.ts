/**
 * Indicator reference sheets (PIRS) with their targets and definition history, as the caller may see
 * them.
 * @module
 */
import { z } from 'zod';
import { getIndicator, listIndicators } from '../../records/program-repository.js';
import { IndicatorsQuery, LangQuery } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

export const indicators = route({
  method: 'get',
  path: '/indicators',
  operationId: 'listIndicators',
  response: R.IndicatorList,
  tag: 'indicators',
  permission: 'read',
  summary: 'Indicator reference sheets (PIRS), optionally of one program',
  query: IndicatorsQuery,
  handle: ({ store, viewer, query }) => listIndicators(store, viewer, query.program),
});

export const indicator = route({
  method: 'get',
  path: '/indicators/{code}',
  operationId: 'getIndicator',
  response: R.IndicatorDetail,
  tag: 'indicators',
  permission: 'read',
  summary: 'One reference sheet with its targets and definition history',
  query: LangQuery,
  handle: ({ store, viewer, params }) => getIndicator(store, viewer, params.code),
});

export const targets = route({
  method: 'get',
  path: '/targets',
  operationId: 'getTargets',
  response: R.TargetsAnswer,
  tag: 'indicators',
  permission: 'read',
  summary: "An indicator's period targets",
  query: z.object({ indicator: z.string(), lang: z.enum(['en', 'es']).optional() }).strict(),
  async handle({ store, viewer, query }) {
    const found = await getIndicator(store, viewer, query.indicator);
    return { indicator: found.code, lop_target: found.lop_target, targets: found.targets };
  },
});
