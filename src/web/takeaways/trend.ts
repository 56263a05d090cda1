/**
 * The facts a takeaway sentence states about a series: its latest complete period, how far it stands
 * below its peak (or that it is the peak), and how it compares with a reference series (the country).
 * Pure arithmetic on points already queried; the sentences are in the catalogs.
 * @module
 */

/** A point of a series as a takeaway reads it: a partial period (half a year) never counts. */
export interface TrendPoint {
  period: string;
  value: number | null;
  partial?: boolean;
}

export interface TrendFacts {
  latest: { period: string; value: number };
  /** The first period with a value: "its highest since 2000". */
  first: string;
  /** The highest earlier period, when the latest is below it; null when the latest is the highest. */
  peak: { period: string; value: number } | null;
  /** The latest value over the reference's value for the same period, when both exist. */
  ratio: number | null;
}

const complete = (points: TrendPoint[]) =>
  points.filter((p): p is TrendPoint & { value: number } => p.value !== null && !p.partial);

/** The facts of `points` against `reference`; undefined when no complete period has a value. */
export function trendFacts(points: TrendPoint[], reference: TrendPoint[] = []): TrendFacts | undefined {
  const known = complete(points);
  const latest = known.at(-1);
  if (!latest) return undefined;
  let peak = known[0]!;
  for (const p of known) if (p.value > peak.value) peak = p;
  const against = complete(reference).find((p) => p.period === latest.period);
  return {
    latest: { period: latest.period, value: latest.value },
    first: known[0]!.period,
    peak: peak.period === latest.period || peak.value <= latest.value ? null : peak,
    ratio: against && against.value > 0 ? latest.value / against.value : null,
  };
}

/** How a ratio to the reference reads: several times it, above, close to, or below it. */
export function comparison(ratio: number): { kind: 'times' | 'above' | 'near' | 'below'; share: number } {
  if (ratio >= 1.5) return { kind: 'times', share: ratio };
  if (ratio >= 1.05) return { kind: 'above', share: ratio - 1 };
  if (ratio > 0.95) return { kind: 'near', share: 0 };
  return { kind: 'below', share: 1 - ratio };
}
