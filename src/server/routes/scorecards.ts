/**
 * Scorecards: indicator status against targets, roll-ups by program and framework node, outcome coverage
 * and GAO compliance, as the caller may see them.
 * @module
 */
import { DEFAULT_THRESHOLDS } from '../../domain/scorecard.js';
import { HttpError } from '../../error.js';
import { buildScorecard } from '../../records/scorecard-repository.js';
import { ScorecardQuery } from '../api-schemas.js';
import { route } from '../route.js';

export const scorecards = route({
  method: 'get',
  path: '/scorecards',
  tag: 'scorecards',
  permission: 'read',
  summary:
    'Indicator status against targets, roll-ups by program and framework node, outcome coverage and GAO compliance',
  query: ScorecardQuery,
  async handle({ store, stats, query, viewer }) {
    const green = query.green ?? DEFAULT_THRESHOLDS.green;
    const amber = query.amber ?? DEFAULT_THRESHOLDS.amber;
    if (amber > green)
      throw new HttpError(400, 'invalid_input', `amber (${amber}) must not exceed green (${green})`);
    return buildScorecard(store, {
      program: query.program,
      node: query.node,
      thresholds: { green, amber },
      viewer,
      stats,
    });
  },
});
