/**
 * Claim checks: each documented figure is recomputed from the imported statistics wherever its measure
 * maps to a series, and judged consistent (within a tolerance), discrepant, or not checkable (with the
 * reason). The exact query used is returned, so anyone can rerun it.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { monthsIn, parsePeriod } from '../domain/periods.js';
import { importFile } from './importer.js';
import type { ImportReport } from './import-report.js';
import { documentedFigures } from './sources/documented-figures.js';
import { documentedSeries } from './sources/documented-series.js';
import { querySeries, type SeriesQuery } from './series.js';
import { sqlString } from './source.js';
import type { StatsStore } from './stats-store.js';

export type Verdict = 'consistent' | 'discrepant' | 'not_checkable';

export interface ClaimCheck {
  figure: string;
  measure: string;
  geo: string;
  period: string;
  statement: string | null;
  citation: string;
  documented: string;
  computed: number | null;
  /** (computed − documented) / documented, as a share. */
  difference: number | null;
  verdict: Verdict;
  reason: string | null;
  query: SeriesQuery | null;
}

/** How a documented measure maps to a series query, and how the period's values combine. */
interface Mapping {
  measure: string;
  per?: number;
  filters?: Record<string, string>;
  /** `sum` over the period's years (counts), or `single` (the period must be one year). */
  over: 'sum' | 'single';
}

const MAPPINGS: Record<string, Mapping> = {
  homicide_rate_per_100k: { measure: 'homicides', per: 100_000, over: 'single' },
  homicides: { measure: 'homicides', over: 'sum' },
  synthetic_opioid_overdose_deaths: { measure: 'synthetic_opioid_deaths_12m', over: 'single' },
  // CDC VSRR's all-drug indicator; checkable once a CDC file that has it is imported.
  overdose_deaths: {
    measure: 'overdose_deaths_12m',
    filters: { indicator: 'Number of Drug Overdose Deaths' },
    over: 'single',
  },
};

/** Measures Marco has data for, but that cannot check these figures: why. */
const UNCHECKABLE: Record<string, string> = {
  us_assistance_usd:
    'the Foreign Aid Explorer file (usaid-foreign-aid) gives all U.S. assistance to the country by fiscal year and transaction type, without the accounts (INCLE, ESF, FMF) or items that would isolate Mérida Initiative funds',
};

/** The default tolerance: a documented figure within 5% of the recomputed value is consistent. */
export const DEFAULT_TOLERANCE = 0.05;

/** The documented figures Marco ships (reference/literature/documented-figures.csv). */
export const BUILTIN_FIGURES = fileURLToPath(
  new URL('../../reference/literature/documented-figures.csv', import.meta.url),
);

/** The documented series Marco ships (reference/literature/documented-series.csv). */
export const BUILTIN_SERIES = fileURLToPath(
  new URL('../../reference/literature/documented-series.csv', import.meta.url),
);

/**
 * Imports each built-in table of documented figures (the figures, then the series) that the store
 * holds no figure of yet; returns those imports' reports.
 */
export async function ensureFigures(stats: StatsStore, version: string): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const [source, file] of await missingFigures(stats))
    reports.push(await importFile(stats, source, file, { version, importedBy: 'marco', origin: 'built-in' }));
  return reports;
}

/** The built-in tables of documented figures the store holds no figure of yet, and their files. */
export async function missingFigures(stats: StatsStore) {
  const missing = [];
  for (const [source, file] of [
    [documentedFigures, BUILTIN_FIGURES],
    [documentedSeries, BUILTIN_SERIES],
  ] as const) {
    const [row] = await stats.all<{ n: number }>(
      `select count(*) as n from figures f join vintages v on v.id = f.vintage_id where v.source = $1`,
      [source.id],
    );
    if (row!.n === 0) missing.push([source, file] as const);
  }
  return missing;
}

/** Checks every documented figure in the store. */
export async function checkClaims(stats: StatsStore, tolerance = DEFAULT_TOLERANCE): Promise<ClaimCheck[]> {
  const figures = await stats.all<{
    figure_id: string;
    measure: string;
    geo: string;
    period: string;
    value_text: string;
    value: number | null;
    statement: string | null;
    citation: string;
    source: string;
  }>(
    `select f.figure_id, f.measure, f.geo, f.period, f.value_text, f.value, f.statement, f.citation, v.source
     from figures f join vintages v on v.id = f.vintage_id order by f.figure_id`,
  );
  const meta = await stats.metadata();
  const out: ClaimCheck[] = [];
  for (const f of figures) {
    // The documented series (firearms, extraditions, the National Guard, Mérida funding stages) are
    // checked where Marco can compute their measure; the others are reference figures, not claims.
    if (f.source === documentedSeries.id && !MAPPINGS[f.measure] && !UNCHECKABLE[f.measure]) continue;
    const base = {
      figure: f.figure_id,
      measure: f.measure,
      geo: f.geo,
      period: f.period,
      statement: f.statement,
      citation: f.citation,
      documented: f.value_text,
    };
    const notCheckable = (reason: string, query: SeriesQuery | null = null): ClaimCheck => ({
      ...base,
      computed: null,
      difference: null,
      verdict: 'not_checkable',
      reason,
      query,
    });
    const mapping = MAPPINGS[f.measure];
    const known = UNCHECKABLE[f.measure];
    if (known) {
      out.push(notCheckable(known));
      continue;
    }
    if (!mapping) {
      out.push(notCheckable(`Marco has no source for ${f.measure} yet`));
      continue;
    }
    if (f.value === null) {
      out.push(notCheckable(`the documented value ${JSON.stringify(f.value_text)} is not a single number`));
      continue;
    }
    const period = parsePeriod(f.period);
    if (!period) {
      out.push(notCheckable(`the period ${JSON.stringify(f.period)} is not a period Marco can read`));
      continue;
    }
    const filtered = mapping.filters
      ? await stats.all<{ n: number }>(
          `select count(*) as n from (select 1 from observations where measure = $1 and ${Object.keys(
            mapping.filters,
          )
            .map((k, i) => `dims[${sqlString(k)}] = $${i + 2}`)
            .join(' and ')} limit 1)`,
          [mapping.measure, ...Object.values(mapping.filters)],
        )
      : [{ n: 1 }];
    if (!meta.coverage.some((c) => c.measure === mapping.measure) || filtered[0]!.n === 0) {
      out.push(
        notCheckable(
          `${mapping.measure}${mapping.filters ? ` with ${JSON.stringify(mapping.filters)}` : ''} has not been imported (see marco sources)`,
        ),
      );
      continue;
    }
    const single = period.kind === 'year';
    if (mapping.over === 'single' && !single) {
      out.push(
        notCheckable(`${f.measure} is checked for a single calendar year; the figure covers ${f.period}`),
      );
      continue;
    }
    const monthly = !single && (period.start.slice(5, 7) !== '01' || period.end.slice(5, 7) !== '12');
    const query: SeriesQuery = {
      measure: mapping.measure,
      geo: [f.geo],
      by: monthly ? 'month' : 'year',
      from: period.start.slice(0, monthly ? 7 : 4),
      to: period.end.slice(0, monthly ? 7 : 4),
      ...(mapping.per ? { per: mapping.per } : {}),
      ...(mapping.filters ? { filters: mapping.filters } : {}),
    };
    const result = await querySeries(stats, query);
    const points = result.series[0]?.points ?? [];
    const expected = monthly ? monthsIn(period) : monthsIn(period) / 12;
    if (points.length < expected) {
      out.push(
        notCheckable(
          `the imported data cover ${points.length} of the ${expected} periods of ${f.period}`,
          query,
        ),
      );
      continue;
    }
    const computed = mapping.per ? points[0]!.rate : points.reduce((s, p) => s + p.value, 0);
    if (computed === null) {
      out.push(notCheckable('no population for this place and period, so no rate', query));
      continue;
    }
    const difference = (computed - f.value) / f.value;
    out.push({
      ...base,
      computed,
      difference,
      verdict: Math.abs(difference) <= tolerance ? 'consistent' : 'discrepant',
      reason: null,
      query,
    });
  }
  return out;
}
