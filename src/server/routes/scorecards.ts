/**
 * Scorecards: indicator status against targets, roll-ups by program and framework node, outcome coverage
 * and GAO compliance, as the caller may see them.
 * @module
 */
import { DEFAULT_THRESHOLDS } from '../../domain/score-types.js';
import { HttpError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { describeGap } from '../../indicators/linked-actuals.js';
import { buildScorecard } from '../../indicators/scorecard.js';
import { ScorecardQuery } from '../api-schemas.js';
import { route, type RouteContext } from '../route.js';
import { scorecardTable } from '../../indicators/scorecard-table.js';
import { tableCsvResponse } from '../../web/downloads/table-download.js';
import type { z } from 'zod';
import * as R from '../responses/index.js';
import { checkQueryPlaces } from '../../stats/known-places.js';

export const scorecards = route({
  method: 'get',
  path: '/scorecards',
  operationId: 'getScorecards',
  response: R.Scorecard,
  tag: 'scorecards',
  permission: 'read',
  summary:
    'Indicator status against targets, roll-ups by program and framework node, outcome coverage and GAO compliance',
  query: ScorecardQuery,
  csv: async (ctx, excel) =>
    tableCsvResponse(ctx.c, ctx.store, 'scorecard', scorecardTable(await scorecardOf(ctx)), excel),
  handle: scorecardOf,
});

/** The scorecard the query selects, as the caller may see it. */
async function scorecardOf({
  store,
  stats,
  query,
  viewer,
  locale,
}: Pick<
  RouteContext<string, z.output<typeof ScorecardQuery>, unknown>,
  'store' | 'stats' | 'query' | 'viewer' | 'locale'
>) {
  const green = query.green ?? DEFAULT_THRESHOLDS.green;
  const amber = query.amber ?? DEFAULT_THRESHOLDS.amber;
  if (amber > green)
    throw new HttpError(400, 'invalid_input', { key: 'http.amberAboveGreen', values: { amber, green } });
  await checkQueryPlaces(stats, query);
  const card = await buildScorecard(store, {
    program: query.program,
    node: query.node,
    places: { place: query.place, within: query.within, children: query.children },
    thresholds: { green, amber },
    viewer,
    stats,
  });
  // Each gap of a linked indicator carries its reason as a code and as a sentence in the reader's language.
  const t = translator(locale);
  for (const p of card.programs)
    for (const i of p.indicators)
      if (i.seriesGaps)
        i.seriesGaps = i.seriesGaps.map((gap) => {
          // The catalog text is for the message; the API's `detail` stays the English one.
          const { detailText: _text, ...reported } = gap;
          return { ...reported, message: describeGap(t, gap) };
        });
  return card;
}
