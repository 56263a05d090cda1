/**
 * The content of a framework report for one period, as its requester may see it: each framework node
 * with the programs serving it and their indicators' scores for the targets inside the period; each
 * program's narrative, risks, lessons recorded in the period and monitoring-practice assessments; the
 * outcome coverage and GAO compliance of the portfolio; and the approved funding of the fiscal years
 * that overlap the period. Nothing here is rendered: `sections/` turns it into HTML.
 * @module
 */
import { canSee, canSeeResult } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import type { Classification } from '../domain/common-schema.js';
import { parsePeriod, periodContains, type Period } from '../domain/periods.js';
import type { PeriodScore, StatusCounts } from '../domain/score-types.js';
import { fundingMoney, type FundingMoney } from '../funding/funding-money.js';
import { buildScorecard, type Scorecard } from '../indicators/scorecard.js';
import type { RecordsStore } from '../records/database.js';
import { classificationsBeneath, programNarratives } from '../records/report-records.js';
import type { StatsStore } from '../stats/stats-store.js';
import { highestClassification } from './report-classification.js';

type Bilingual = { en: string; es: string };
type Rows = Awaited<ReturnType<typeof programNarratives>>;

export interface ReportIndicator {
  code: string;
  name: Bilingual;
  unit: Bilingual;
  level: string;
  direction: string;
  /** The scores of its targets inside the period. */
  scores: PeriodScore[];
}

export interface ReportProgram {
  code: string;
  title: Bilingual;
  status: string;
  start: string | null;
  end: string | null;
  description: Bilingual | null;
  serves: string[];
  classification: Classification;
  indicators: ReportIndicator[];
  compliance: Scorecard['programs'][number]['compliance'];
  practices: Pick<Rows['practices'][number], 'practice' | 'state' | 'note'>[];
  risks: Rows['risks'];
  /** Lessons recorded inside the period. */
  lessons: Rows['lessons'];
}

export interface FrameworkReport {
  subject: 'framework';
  period: Period;
  /** The highest classification of anything shown: the banner of every page. */
  classification: Classification;
  nodes: { ref: string; title: Bilingual; level: string; parent: string | null; programs: string[] }[];
  programs: ReportProgram[];
  /** Each status's count over the scores inside the period. */
  counts: StatusCounts;
  coverage: Scorecard['coverage'];
  portfolio: Scorecard['portfolio'];
  /** The approved funding of the fiscal years overlapping the period, or null when there is none. */
  funding: {
    fiscalYears: string[];
    flow: FundingMoney['flow'];
    share: FundingMoney['share']['rows'];
  } | null;
}

const overlaps = (a: Period, b: Period) => a.start <= b.end && b.start <= a.end;

/** The framework report of `periodCode` as `viewer` may read it. */
export async function frameworkReport(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  periodCode: string,
): Promise<FrameworkReport> {
  const period = parsePeriod(periodCode);
  if (!period) throw new TypeError(`not a period: ${periodCode}`);
  const card = await buildScorecard(store, { viewer, stats });
  const codes = card.programs.map((p) => p.code);
  const [rows, beneath, funding] = await Promise.all([
    programNarratives(store, codes),
    classificationsBeneath(store, codes),
    // The money half only: the scorecard above already scores the programs.
    fundingMoney(store, stats, viewer, { kind: 'country' }, { kind: 'current' }),
  ]);
  const seen = <R extends { country: 'US' | 'MX'; agency: string; classification: Classification }>(
    list: R[],
  ) => list.filter((r) => canSee(viewer, r));
  const narrative = new Map(rows.programs.map((p) => [p.code, p]));
  const inPeriod = (code: string) => {
    const p = parsePeriod(code);
    return p !== undefined && periodContains(period, p);
  };
  const programs: ReportProgram[] = card.programs.map((p) => {
    const own = narrative.get(p.code)!;
    return {
      code: p.code,
      title: p.title,
      status: p.status,
      start: own.start_date,
      end: own.end_date,
      description:
        own.description_en !== null && own.description_es !== null
          ? { en: own.description_en, es: own.description_es }
          : null,
      serves: p.serves,
      classification: own.classification,
      indicators: p.indicators.map((i) => ({
        code: i.code,
        name: i.name,
        unit: i.unit,
        level: i.level,
        direction: i.direction,
        scores: i.periods.filter((s) => inPeriod(s.period)),
      })),
      compliance: p.compliance,
      practices: seen(rows.practices.filter((x) => x.program === p.code)).map((x) => ({
        practice: x.practice,
        state: x.state,
        note: x.note,
      })),
      risks: seen(rows.risks.filter((r) => r.program === p.code)),
      lessons: seen(
        rows.lessons.filter((l) => l.program === p.code && inPeriod(String(l.recorded_on).slice(0, 7))),
      ),
    };
  });
  const counts: StatusCounts = { green: 0, amber: 0, red: 0, no_data: 0, total: 0 };
  for (const p of programs)
    for (const i of p.indicators)
      for (const s of i.scores) {
        counts[s.status] += 1;
        counts.total += 1;
      }
  const fiscalYears = funding.fiscalYears.filter((fy) => {
    const p = parsePeriod(fy);
    return p !== undefined && overlaps(p, period);
  });
  return {
    subject: 'framework',
    period,
    classification: highestClassification([
      ...programs.map((p) => p.classification),
      ...programs.flatMap((p) => [...p.risks, ...p.lessons].map((r) => r.classification)),
      ...rows.practices.filter((x) => canSee(viewer, x)).map((x) => x.classification),
      ...seen(beneath.records).map((r) => r.classification),
      ...beneath.results.filter((r) => canSeeResult(viewer, r)).map((r) => r.classification),
    ]),
    nodes: card.nodes
      .map((n) => ({
        ref: n.ref,
        title: n.title,
        level: n.level,
        parent: n.parent,
        programs: programs.filter((p) => p.serves.includes(n.ref)).map((p) => p.code),
      }))
      .filter((n) => n.programs.length > 0),
    programs,
    counts,
    coverage: card.coverage,
    portfolio: card.portfolio,
    funding:
      fiscalYears.length === 0
        ? null
        : {
            fiscalYears,
            flow: funding.flow.filter((f) => fiscalYears.includes(f.fiscal_year)),
            share: funding.share.rows.filter((r) => fiscalYears.includes(r.fiscal_year)),
          },
  };
}
