/**
 * The one CSV layout of a series answer, written by `marco stats --csv` and downloaded from
 * `/explore.csv`: one row per point, with its provenance (method, source and vintage files).
 * @module
 */
import { csvCell } from '../csv.js';
import type { SeriesResult } from './series.js';

export const SERIES_CSV_COLUMNS = [
  'geo',
  'name',
  'period',
  'start',
  'value',
  'population',
  'rate',
  'method',
  'source',
  'vintages',
] as const;

/** The answer as CSV text with a header line, every cell escaped; `vintages` lists `file#sha256[:12]`. */
export function seriesCsv(result: SeriesResult): string {
  return [...seriesCsvChunks(result, Number.POSITIVE_INFINITY)].join('');
}

/** The same CSV in chunks of at most `lines` lines, for a download streamed as it is written. */
export function* seriesCsvChunks(result: SeriesResult, lines = 5000): Generator<string> {
  const files = new Map<string, string[]>();
  for (const v of result.vintages)
    files.set(v.source, [...(files.get(v.source) ?? []), `${v.file_name}#${v.sha256.slice(0, 12)}`]);
  let chunk = [SERIES_CSV_COLUMNS.join(',')];
  for (const s of result.series)
    for (const p of s.points) {
      if (chunk.length >= lines) {
        yield `${chunk.join('\n')}\n`;
        chunk = [];
      }
      chunk.push(
        [
          p.geo,
          p.name,
          p.period,
          p.start,
          p.value,
          p.population,
          p.rate,
          s.method,
          s.source,
          (files.get(s.source) ?? []).join(' '),
        ]
          .map(csvCell)
          .join(','),
      );
    }
  if (chunk.length) yield `${chunk.join('\n')}\n`;
}
