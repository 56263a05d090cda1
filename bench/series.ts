/**
 * Section 2 of `npm run bench`: how fast the series query answers, as p50/p99 over a seeded,
 * reproducible mix of queries against a store loaded with every public file. The mix holds the three
 * kinds the web pages and the API ask most (the country by year, every state by month, every
 * municipality of a state by year), so the tail is that of real use. The reference is hand-written SQL
 * for "every state by month", timed in the same run: the ratio is the planner's overhead, rates and
 * vintages included. The population behind the rates is kept between queries until the store's next
 * write (`src/stats/answers-cache.ts`), as in a running server; the "first ask" row shows what a query
 * costs with nothing kept.
 * @module
 */
import { prng } from '../src/eval/random.js';
import { querySeries, type SeriesQuery, type SeriesResult } from '../src/stats/series.js';
import { fmtInt, fmtMs, fmtS, fmtX, table, verdict } from './print.js';
import {
  isSkipped,
  latency,
  now,
  openLoadedStore,
  section,
  type BenchContext,
  type Goal,
  type Latency,
  type Section,
  type Skipped,
} from './runner.js';

export const GOAL_P99_MS = 50;

type Kind = 'national-year' | 'states-month' | 'municipalities-year';
const KINDS: Kind[] = ['national-year', 'states-month', 'municipalities-year'];
const KIND_LABEL: Record<Kind, string> = {
  'national-year': 'national by year (MX, per 100k)',
  'states-month': 'every state by month, one year (per 100k)',
  'municipalities-year': 'all municipalities of a state by year (per 100k)',
};

interface PlannedQuery {
  kind: Kind;
  query: SeriesQuery;
  /** states-month: the year, for the hand-written reference. */
  year?: number;
}

interface Shape {
  series: number;
  points: number;
  emptySeries: number;
  ratedPoints: number;
}

export interface SeriesBench {
  loadSeconds: { source: string; file: string; rows: number; seconds: number }[];
  seed: number;
  warmup: number;
  queries: number;
  perKind: Record<Kind, Latency & Shape>;
  overall: Latency;
  reference: Latency & { what: string };
  /**
   * Every state's municipalities by year once, each asked with nothing kept (the store's metadata and the
   * kept population dropped first, as a write to the store does): what the first ask after an import costs.
   */
  firstAsk: Latency;
  /** states-month Marco ÷ hand-written reference. */
  ratioP50: number;
  ratioP99: number;
}

/** Equal numbers of each kind, shuffled by the seeded generator so every run asks the same queries. */
function planQueries(count: number, random: () => number): PlannedQuery[] {
  const kinds = Array.from({ length: count }, (_, i) => KINDS[i % KINDS.length]!);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds.map((kind): PlannedQuery => {
    if (kind === 'national-year')
      return { kind, query: { measure: 'homicides', geo: ['MX'], by: 'year', per: 100000 } };
    if (kind === 'states-month') {
      const year = 2000 + Math.floor(random() * 22); // 2000..2021: both homicide files cover these
      return {
        kind,
        year,
        query: {
          measure: 'homicides',
          level: 'state',
          by: 'month',
          from: `${year}-01`,
          to: `${year}-12`,
          per: 100000,
        },
      };
    }
    const state = String(1 + Math.floor(random() * 32)).padStart(2, '0');
    return {
      kind,
      query: { measure: 'homicides', level: 'municipality', within: state, by: 'year', per: 100000 },
    };
  });
}

/** The hand-written equivalent of "every state by month" (values only, no planner, no rates). */
const referenceSql = (year: number) => `
  select geo, date_trunc('month', period)::date as month, sum(value) as value
  from observations
  where measure = 'homicides' and geo_level = 'state'
    and period between '${year}-01-01'::date and '${year}-12-31'::date
  group by geo, month
  order by geo, month`;

async function measureSeries({ options, data, progress }: BenchContext): Promise<SeriesBench | Skipped> {
  const store = await openLoadedStore(data, 'series');
  if (isSkipped(store)) return store;
  const { stats, loads: loadSeconds } = store;
  try {
    progress(`series: store loaded in ${fmtS(loadSeconds.reduce((a, b) => a + b.seconds, 0))}`);

    const random = prng(options.seed);
    const warm = planQueries(options.warmupQueries, random);
    const plan = planQueries(options.queries, random);
    for (const q of warm) await querySeries(stats, q.query);
    for (const year of warm.flatMap((q) => (q.year === undefined ? [] : [q.year])))
      await stats.all(referenceSql(year));

    const times: Record<Kind, number[]> = {
      'national-year': [],
      'states-month': [],
      'municipalities-year': [],
    };
    const shape: Record<Kind, Shape> = {
      'national-year': { series: 0, points: 0, emptySeries: 0, ratedPoints: 0 },
      'states-month': { series: 0, points: 0, emptySeries: 0, ratedPoints: 0 },
      'municipalities-year': { series: 0, points: 0, emptySeries: 0, ratedPoints: 0 },
    };
    const all: number[] = [];
    for (const [i, q] of plan.entries()) {
      const t0 = now();
      const result: SeriesResult = await querySeries(stats, q.query);
      const ms = now() - t0;
      times[q.kind].push(ms);
      all.push(ms);
      const s = shape[q.kind];
      s.series += result.series.length;
      for (const series of result.series) {
        if (series.points.length === 0) s.emptySeries++;
        s.points += series.points.length;
        s.ratedPoints += series.points.filter((p) => p.rate !== null).length;
      }
      if ((i + 1) % 250 === 0) progress(`series: ${i + 1}/${plan.length} queries`);
    }

    // The first ask after a write: nothing kept, metadata read again.
    const firstAsk: number[] = [];
    for (let state = 1; state <= 32; state++) {
      const within = String(state).padStart(2, '0');
      stats.invalidate();
      const t0 = now();
      await querySeries(stats, {
        measure: 'homicides',
        level: 'municipality',
        within,
        by: 'year',
        per: 100000,
      });
      firstAsk.push(now() - t0);
    }

    const refTimes: number[] = [];
    for (const q of plan) {
      if (q.year === undefined) continue;
      const t0 = now();
      await stats.all(referenceSql(q.year));
      refTimes.push(now() - t0);
    }

    const perKind = Object.fromEntries(
      KINDS.map((k) => {
        const n = times[k].length || 1;
        const s = shape[k];
        return [
          k,
          {
            ...latency(times[k]),
            // Per query, on average:
            series: s.series / n,
            points: s.points / n,
            emptySeries: s.emptySeries / n,
            ratedPoints: s.ratedPoints / n,
          },
        ];
      }),
    ) as SeriesBench['perKind'];
    const reference = {
      ...latency(refTimes),
      what: "select geo, date_trunc('month', period), sum(value) from observations where measure and geo_level = 'state' and the year, group by, order by (through stats.all)",
    };
    return {
      loadSeconds,
      seed: options.seed,
      warmup: options.warmupQueries,
      queries: options.queries,
      perKind,
      overall: latency(all),
      firstAsk: latency(firstAsk),
      reference,
      ratioP50: perKind['states-month'].p50 / reference.p50,
      ratioP99: perKind['states-month'].p99 / reference.p99,
    };
  } finally {
    await store.close();
  }
}

function printSeries(r: SeriesBench | Skipped): string[] {
  const title = '2. Series queries';
  if (isSkipped(r)) return [title, `  skipped: ${r.skipped}`];
  const loaded = r.loadSeconds.reduce((a, b) => a + b.seconds, 0);
  const refP50 = r.reference.p50;
  const refP99 = r.reference.p99;
  const row = (label: string, l: Latency, vsRef: boolean, what: string): string[] => [
    label,
    fmtInt(l.n),
    fmtMs(l.p50),
    fmtMs(l.p99),
    fmtMs(l.max),
    vsRef ? fmtX(l.p50 / refP50) : '',
    vsRef ? fmtX(l.p99 / refP99) : '',
    what,
  ];
  const shapeOf = (k: Kind) => {
    const s = r.perKind[k];
    const empty = s.emptySeries ? `, ${s.emptySeries.toFixed(1)} empty` : '';
    return `${s.series.toFixed(1)} series${empty}, ${fmtInt(s.points)} points, ${fmtInt(s.ratedPoints)} with a rate`;
  };
  return [
    `${title}: ${fmtInt(r.queries)} mixed queries (seed ${r.seed}, after ${r.warmup} warm-up) against a store loaded with ${r.loadSeconds.length} files (${fmtS(loaded)})`,
    ...table(
      ['query kind', ' n', ' p50', ' p99', ' max', ' p50 vs ref', ' p99 vs ref', 'answer (per query, mean)'],
      [
        ...KINDS.map((k) => row(KIND_LABEL[k], r.perKind[k], k === 'states-month', shapeOf(k))),
        row('all kinds', r.overall, false, ''),
        row(
          "first ask: every state's municipalities, nothing kept",
          r.firstAsk,
          false,
          'after a write: metadata and population read again',
        ),
        row('reference: hand-written SQL, every state by month', r.reference, true, 'values only, one query'),
      ],
    ),
    `  goal: p99 < ${GOAL_P99_MS} ms over all kinds → ${fmtMs(r.overall.p99)} ${verdict(r.overall.p99 < GOAL_P99_MS)}`,
    `  planner overhead (every state by month ÷ hand-written SQL): p50 ${fmtX(r.ratioP50)}, p99 ${fmtX(r.ratioP99)}`,
    // A kind answered without any rate means the loaded store lacks a population file, not a slow query.
    ...KINDS.filter((k) => r.perKind[k].points > 0 && r.perKind[k].ratedPoints === 0).map(
      (k) =>
        `  note: ${KIND_LABEL[k]}: no point has a rate (the loaded store has no population at that level)`,
    ),
  ];
}

const seriesGoals = (r: SeriesBench): Goal[] => [
  {
    goal: `series queries p99 < ${GOAL_P99_MS} ms`,
    value: r.overall.p99,
    display: fmtMs(r.overall.p99),
    met: r.overall.p99 < GOAL_P99_MS,
  },
];

export function benchSeries(ctx: BenchContext): Promise<Section<SeriesBench>> {
  return section(ctx, 'series', () => measureSeries(ctx), printSeries, seriesGoals);
}
