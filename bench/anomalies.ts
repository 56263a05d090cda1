/**
 * Section 1c of `npm run bench`: anomaly detection over every Mexican municipality (2,467 places, about
 * 620,000 scored months of homicides from the historic extract and the municipal file), scored inside
 * DuckDB. The reference, in the same run, is the series query by month of the same places (the values
 * alone, without any scoring), which the former JavaScript scorer had to read first. Medians of
 * `--repeat` runs (at least 3).
 * @module
 */
import { rm } from 'node:fs/promises';
import { VERSION } from '../src/package.js';
import { findAnomalies } from '../src/stats/anomalies.js';
import { importFile } from '../src/stats/importer.js';
import { querySeries } from '../src/stats/series.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats } from '../src/stats/stats-store.js';
import { fmtS, fmtX, table, verdict } from './print.js';
import {
  isSkipped,
  median,
  now,
  section,
  tempDir,
  type BenchContext,
  type Goal,
  type Section,
  type Skipped,
} from './runner.js';

const FILES = [
  ['inegi-geo-catalog', 'geo/cve_nom_estados.csv'],
  ['inegi-geo-catalog', 'geo/cve_nom_municipios.csv'],
  ['inegi-homicides-historic', 'inegi/county-month-1990-2008.csv.bz2'],
  ['inegi-homicides-municipal', 'inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz'],
] as const;

export interface AnomaliesBench {
  places: number;
  months: number;
  flagged: number;
  runs: number;
  /** Median seconds of `findAnomalies` over every municipality. */
  seconds: number;
  /** Median seconds of the series query by month of the same places (reference). */
  referenceSeconds: number;
}

async function measureAnomalies({
  data,
  options,
  progress,
}: BenchContext): Promise<AnomaliesBench | Skipped> {
  const absent = data.missing(FILES.map(([, f]) => f));
  if (absent) return absent;
  const dir = await tempDir('anomalies');
  const stats = await openStats({ dataDir: dir });
  try {
    for (const [id, file] of FILES)
      await importFile(stats, sourceById(id)!, data.file(file), { version: VERSION });
    const runs = Math.max(3, options.repeat);
    progress(`anomalies: ${runs} runs over every municipality, and as many reference series queries`);
    const times: number[] = [];
    const reference: number[] = [];
    let last;
    for (let i = 0; i < runs; i++) {
      let t = now();
      last = await findAnomalies(stats, { measure: 'homicides', level: 'municipality' });
      times.push((now() - t) / 1000);
      t = now();
      await querySeries(stats, { measure: 'homicides', level: 'municipality', by: 'month' });
      reference.push((now() - t) / 1000);
    }
    return {
      places: last!.examined.places,
      months: last!.examined.months,
      flagged: last!.anomalies.length,
      runs,
      seconds: median(times),
      referenceSeconds: median(reference),
    };
  } finally {
    stats.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function printAnomalies(a: AnomaliesBench | Skipped): string[] {
  if (isSkipped(a)) return ['1c. Anomalies over every municipality: skipped (' + a.skipped + ')', ''];
  return [
    `1c. Anomalies over every municipality: ${a.places.toLocaleString('en-US')} places, ${a.months.toLocaleString('en-US')} months scored, ${a.flagged} flagged; median of ${a.runs} runs`,
    ...table(
      ['measurement', '  seconds', 'vs reference'],
      [
        [
          'reference: the series query by month of the same places (values only)',
          fmtS(a.referenceSeconds),
          '1.00×',
        ],
        [
          'findAnomalies, scored in DuckDB (windowed median and mad)',
          fmtS(a.seconds),
          fmtX(a.seconds / a.referenceSeconds),
        ],
      ],
    ),
    '',
  ];
}

const anomalyGoals = (a: AnomaliesBench): Goal[] => [
  {
    goal: 'anomalies over all municipalities < 1 s',
    value: a.seconds,
    display: `${fmtS(a.seconds)} (${verdict(a.seconds < 1)})`,
    met: a.seconds < 1,
  },
];

export function benchAnomalies(ctx: BenchContext): Promise<Section<AnomaliesBench>> {
  return section(ctx, 'anomalies', () => measureAnomalies(ctx), printAnomalies, anomalyGoals);
}
