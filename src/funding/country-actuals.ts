/**
 * The country-level actuals of U.S. assistance to Mexico: obligations and disbursements by fiscal year
 * from USAID's Foreign Aid Explorer, as imported into the statistics store (`usaid-foreign-aid`), in
 * current dollars and in the Explorer's constant dollars. These are all U.S. assistance to Mexico, every
 * account and agency, not only Mérida or Bicentennial money: a floor-to-ceiling reference that funding
 * lines are read against, never added to.
 *
 * The same file gives the default deflator: for each fiscal year, current ÷ constant dollars of Mexico's
 * obligations is the price index the Explorer used (the same for every country and transaction of that
 * year and kind; constant FY2021 dollars in the file Marco reads, so the index is 1 in FY2021).
 * `docs/funding.md` says so beside the table.
 * @module
 */
import { querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';

export const ACTUALS_SOURCE = 'usaid-foreign-aid';

/** The Explorer's transaction types that are stages of a funding line. */
const STAGES = { Obligations: 'obligation', Disbursements: 'disbursement' } as const;

export interface CountryActual {
  fiscal_year: string;
  stage: 'obligation' | 'disbursement';
  /** Dollars of the year. */
  current: number;
  /** The Explorer's constant dollars; null where the file has none. */
  constant: number | null;
}

export interface Deflator {
  fiscal_year: string;
  /** Current ÷ constant dollars: 1 in the base year. */
  index: number;
}

export interface CountryActuals {
  /** False when the USAID source has not been imported: `marco fetch usaid-foreign-aid` then import. */
  available: boolean;
  source: string;
  vintages: { file_name: string; sha256: string; imported_at: string }[];
  actuals: CountryActual[];
  /** The deflator the Explorer's constant dollars imply, and its base year (index 1), when found. */
  deflator: { base: string | null; rows: Deflator[] };
}

async function byYear(
  stats: StatsStore,
  measure: string,
  transaction: string,
  window: { from?: string; to?: string },
) {
  const result = await querySeries(stats, {
    measure,
    geo: ['MX'],
    by: 'fiscal_year',
    filters: { transaction_type: transaction },
    ...window,
  });
  const points = result.series.flatMap((s) => s.points);
  return { values: new Map(points.map((p) => [p.period, p.value])), vintages: result.vintages };
}

/** Obligations and disbursements to Mexico by fiscal year, `from` to `to` (`FY2008`), and the deflator. */
export async function countryActuals(
  stats: StatsStore,
  window: { from?: string; to?: string } = {},
): Promise<CountryActuals> {
  const empty: CountryActuals = {
    available: false,
    source: ACTUALS_SOURCE,
    vintages: [],
    actuals: [],
    deflator: { base: null, rows: [] },
  };
  // Not imported: `marco fetch usaid-foreign-aid`, then `marco import`.
  const { coverage } = await stats.metadata();
  if (!coverage.some((c) => c.source === ACTUALS_SOURCE && c.measure === 'us_assistance_usd')) return empty;
  const actuals: CountryActual[] = [];
  const vintages = new Map<string, CountryActuals['vintages'][number]>();
  const deflators = new Map<string, number>();
  for (const [transaction, stage] of Object.entries(STAGES)) {
    const current = await byYear(stats, 'us_assistance_usd', transaction, window);
    const constant = await byYear(stats, 'us_assistance_usd_constant', transaction, window);
    for (const v of [...current.vintages, ...constant.vintages])
      vintages.set(v.sha256, { file_name: v.file_name, sha256: v.sha256, imported_at: v.imported_at });
    for (const [fiscal_year, dollars] of current.values) {
      const real = constant.values.get(fiscal_year) ?? null;
      actuals.push({ fiscal_year, stage, current: dollars, constant: real });
      // The index from obligations, which every year has; disbursements only where obligations lack it.
      if (real && dollars > 0 && (stage === 'obligation' || !deflators.has(fiscal_year)))
        deflators.set(fiscal_year, dollars / real);
    }
  }
  actuals.sort((a, b) => a.fiscal_year.localeCompare(b.fiscal_year) || a.stage.localeCompare(b.stage));
  const rows = [...deflators]
    .map(([fiscal_year, index]) => ({ fiscal_year, index: Math.round(index * 1e6) / 1e6 }))
    .sort((a, b) => a.fiscal_year.localeCompare(b.fiscal_year));
  return {
    available: actuals.length > 0,
    source: ACTUALS_SOURCE,
    vintages: [...vintages.values()],
    actuals,
    deflator: { base: rows.find((r) => Math.abs(r.index - 1) < 1e-4)?.fiscal_year ?? null, rows },
  };
}
