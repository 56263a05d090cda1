/**
 * `marco import`, `marco sources` and `marco stats`: the official-statistics commands.
 * @module
 */
import { recogniseFile } from '../../stats/recognise.js';
import { type ImportReport } from '../../stats/import-report.js';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';
import { CliError, EXIT } from '../../error.js';
import { formatNumber, translator, type Locale, type Translate } from '../../i18n/index.js';
import { DEFAULT_TOLERANCE, checkClaims, ensureFigures } from '../../stats/claims.js';
import { importFile, resolveParams } from '../../stats/importer.js';
import { reconcile } from '../../stats/reconcile.js';
import { measureById } from '../../stats/measures.js';
import { querySeries } from '../../stats/series.js';
import { sourceCatalogue } from '../../stats/catalogue.js';
import { SOURCES, sourceById } from '../../stats/sources/index.js';
import { openStats, type StatsStore } from '../../stats/stats-store.js';
import { json } from './open-stores.js';
import { VERSION } from '../../package.js';
import { csvCell } from '../../csv.js';

export async function withStats<T>(config: Config, work: (stats: StatsStore) => Promise<T>): Promise<T> {
  const stats = await openStats({ dataDir: config.dataDir });
  try {
    return await work(stats);
  } finally {
    stats.close();
  }
}

export function share(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || n > 1)
    throw new CliError(`${flag} ${JSON.stringify(value)}: expected a share between 0 and 1, such as 0.05`);
  return n;
}

/** Sends a file to a running server's `POST /api/v1/imports` and returns its report. */
async function uploadImport(
  server: string,
  token: string,
  sourceId: string,
  file: string,
  params: Record<string, string>,
  maxRejects: string | undefined,
): Promise<ImportReport> {
  let base: URL;
  try {
    base = new URL('/api/v1/imports', server);
  } catch {
    throw new CliError(
      `--server ${JSON.stringify(server)}: expected the server's address, such as http://127.0.0.1:8080`,
    );
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new CliError(`${file}: no such file`);
  base.searchParams.set('source', sourceId);
  base.searchParams.set('file_name', path.basename(file).replace(/[^\w.-]+/g, '_'));
  if (maxRejects !== undefined) base.searchParams.set('max_rejects', maxRejects);
  const pairs = Object.entries(params).map(([k, v]) => `${k}:${v}`);
  if (pairs.length) base.searchParams.set('param', pairs.join(','));
  let response: Response;
  try {
    response = await fetch(base, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/octet-stream',
        'content-length': String(info.size),
      },
      body: Readable.toWeb(createReadStream(file)) as never,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw new CliError(
      `${base.origin}: cannot reach the server (${(error as Error).message}); is \`marco serve\` running there?`,
      EXIT.failure,
    );
  }
  const body = (await response.json().catch(() => null)) as
    (ImportReport & { error?: { code: string; message: string } }) | null;
  if (response.ok && body && !body.error) return body;
  const message = body?.error?.message ?? `the server answered ${response.status}`;
  const code =
    response.status === 401 || response.status === 403 || response.status === 409
      ? EXIT.conflict
      : response.status === 404
        ? EXIT.notFound
        : response.status < 500
          ? EXIT.invalid
          : EXIT.failure;
  throw new CliError(`${file}: ${message}`, code);
}

/** `dimension=value` pairs of repeated `--filter` options. */
export function filtersFromOptions(list: string[] | undefined): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const f of list ?? []) {
    const i = f.indexOf('=');
    if (i <= 0) throw new CliError(`--filter ${JSON.stringify(f)}: expected dimension=value`);
    filters[f.slice(0, i)] = f.slice(i + 1);
  }
  return filters;
}

/** `name=value` pairs of `--param`. */
export function parseParams(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([a-z_]+)=(.+)$/.exec(pair);
    if (!match)
      throw new CliError(`--param ${JSON.stringify(pair)}: expected name=value, such as country=MEX`);
    params[match[1]!] = match[2]!;
  }
  return params;
}

/** The options of `marco import`. */
export interface ImportOptions {
  json?: boolean;
  maxRejects?: string;
  progress?: boolean;
  param?: string[];
  server?: string;
  token?: string;
}

export async function runImport(
  config: Config,
  sourceId: string,
  files: string[],
  opts: ImportOptions & { env?: NodeJS.ProcessEnv },
  out: (text: string) => void,
  err: (text: string) => void = () => undefined,
) {
  const t = translator(config.locale);
  const source = sourceById(sourceId);
  if (!source) throw new CliError(t('stats.unknownSource', { source: sourceId }));
  const maxRejectShare = share('--max-rejects', opts.maxRejects);
  const params = parseParams(opts.param ?? []);
  // Checked before the store opens, so a wrong parameter changes nothing.
  resolveParams(source, params);
  const server = opts.server ?? opts.env?.MARCO_SERVER;
  if (server) {
    const token = opts.token ?? opts.env?.MARCO_TOKEN;
    if (!token) throw new CliError(t('stats.needToken'));
    const reports: ImportReport[] = [];
    for (const file of files) {
      const report = await uploadImport(server, token, source.id, file, params, opts.maxRejects);
      reports.push(report);
      if (!opts.json) printReport(t, config.locale, report, out);
    }
    if (opts.json) out(json(reports));
    return;
  }
  await withStats(config, async (stats) => {
    const reports: ImportReport[] = [];
    for (const file of files) {
      const report = await importFile(stats, source, file, {
        version: VERSION,
        params,
        ...(maxRejectShare !== undefined ? { maxRejectShare } : {}),
        ...(opts.progress ? { onProgress: (stage) => err(`${t(`stats.stage.${stage}`, { file })}\n`) } : {}),
      });
      reports.push(report);
      if (!opts.json) printReport(t, config.locale, report, out);
    }
    if (opts.json) out(json(reports));
  });
}

/** One import's outcome as text: the summary line, replaced vintages, unknown places and rejects. */
export function printReport(t: Translate, locale: Locale, report: ImportReport, out: (text: string) => void) {
  const { file, source } = report;
  if (report.status === 'unchanged')
    return out(t('stats.unchanged', { file, vintage: report.vintage, source }));
  out(
    t('stats.imported', {
      file,
      source,
      layout: report.layout,
      vintage: report.vintage,
      loaded: formatNumber(locale, report.rowsLoaded),
      rejected: formatNumber(locale, report.rowsRejected),
      from: report.periodFrom ?? '—',
      to: report.periodTo ?? '—',
      seconds: formatNumber(locale, report.seconds, { maximumFractionDigits: 2 }),
    }),
  );
  if (report.rowsSkipped) out(t('stats.skipped', { count: report.rowsSkipped }));
  if (report.replaced.length)
    out(t('stats.replaced', { count: report.replaced.length, ids: report.replaced.join(', ') }));
  if (report.unknownPlaces.count)
    out(
      t('stats.unknownPlaces', {
        count: report.unknownPlaces.count,
        examples: report.unknownPlaces.examples.join(', '),
      }),
    );
  for (const r of report.rejects) out(t('stats.rejectLine', { ...r, value: JSON.stringify(r.value) }));
}

export async function runSources(config: Config, opts: { json?: boolean }, out: (text: string) => void) {
  const t = translator(config.locale);
  await withStats(config, async (stats) => {
    const catalogue = await sourceCatalogue(stats);
    if (opts.json) return out(json(catalogue));
    for (const s of catalogue) {
      out(t('stats.sourceLine', { id: s.id, title: s.title[config.locale] }));
      out(t('stats.publisherLine', { publisher: s.publisher, licence: s.licence }));
      out(t('stats.landingLine', { landing: s.landing }));
      for (const p of s.params)
        out(
          t('stats.paramLine', {
            name: p.name,
            default: p.default,
            description: p.description[config.locale],
          }),
        );
      const own = s.vintages;
      if (own.length === 0) out(t('stats.noVintages'));
      for (const v of own)
        out(
          t('stats.vintageLine', {
            id: v.id,
            file: v.file_name,
            rows: formatNumber(config.locale, v.rows_loaded),
            from: v.period_from?.slice(0, 7) ?? '—',
            to: v.period_to?.slice(0, 7) ?? '—',
            at: v.imported_at.slice(0, 16).replace('T', ' '),
            replaced: v.replaced_by === null ? '' : t('stats.vintageReplaced', { id: v.replaced_by }),
          }),
        );
    }
  });
}

export interface StatsOptions {
  measure: string;
  geo?: string;
  level?: string;
  within?: string;
  by?: string;
  from?: string;
  to?: string;
  per?: string;
  annualize?: boolean;
  filter?: string[];
  source?: string;
  json?: boolean;
  csv?: boolean;
}

/** The series' `method` values (stable API strings) and their catalog keys. */
const METHOD_KEYS: Record<string, string> = {
  published: 'published',
  'sum of states': 'sumStates',
  'sum of municipalities': 'sumMunicipalities',
};

export async function runStats(config: Config, opts: StatsOptions, out: (text: string) => void) {
  const t = translator(config.locale);
  const filters = filtersFromOptions(opts.filter);
  const per = opts.per === undefined ? undefined : Number(opts.per);
  if (per !== undefined && !(per > 0))
    throw new CliError(`--per ${JSON.stringify(opts.per)}: expected a positive number such as 100000`);
  await withStats(config, async (stats) => {
    const result = await querySeries(stats, {
      measure: opts.measure,
      ...(opts.geo ? { geo: opts.geo.split(',').map((g) => g.trim()) } : {}),
      ...(opts.level ? { level: opts.level } : {}),
      ...(opts.within ? { within: opts.within } : {}),
      ...(opts.by ? { by: opts.by } : {}),
      ...(opts.from ? { from: opts.from } : {}),
      ...(opts.to ? { to: opts.to } : {}),
      ...(per !== undefined ? { per } : {}),
      ...(opts.annualize ? { annualize: true } : {}),
      ...(Object.keys(filters).length ? { filters } : {}),
      ...(opts.source ? { source: opts.source } : {}),
    });
    if (opts.json) return out(json(result));
    const rows = result.series.flatMap((s) =>
      s.points.map((p) => ({ ...p, method: s.method, source: s.source })),
    );
    if (opts.csv) {
      const vintages = new Map(
        result.vintages.map((v) => [v.source, `${v.file_name} (${v.sha256.slice(0, 12)})`]),
      );

      out(
        ['geo,name,period,value,population,rate,method,source,vintage']
          .concat(
            rows.map((r) =>
              [
                r.geo,
                r.name,
                r.period,
                r.value,
                r.population,
                r.rate,
                r.method,
                r.source,
                vintages.get(r.source),
              ]
                .map(csvCell)
                .join(','),
            ),
          )
          .join('\n'),
      );
      return;
    }
    if (rows.length === 0) return out(t('stats.noSeries'));
    out(
      t('stats.seriesHeader', {
        measure: measureById(result.measure.id)?.title[config.locale] ?? result.measure.id,
        unit: result.measure.unit[config.locale],
        by: t(`stats.by.${result.query.by}`),
      }),
    );
    for (const s of result.series) {
      const method = METHOD_KEYS[s.method] ? t(`stats.method.${METHOD_KEYS[s.method]}`) : s.method;
      out(t('stats.seriesLine', { geo: s.geo, name: s.name ?? '', method, source: s.source }));
      for (const p of s.points)
        out(
          t('stats.pointLine', {
            period: p.period,
            value: formatNumber(config.locale, p.value),
            rate:
              p.rate === null
                ? ''
                : t('stats.rateText', {
                    rate: formatNumber(config.locale, p.rate),
                    per: formatNumber(config.locale, per!),
                  }),
          }),
        );
    }
    if (result.populationSource) out(t('stats.populationSource', { source: result.populationSource }));
  });
}

export async function runClaimsCheck(
  config: Config,
  opts: { json?: boolean; tolerance?: string },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const tolerance = share('--tolerance', opts.tolerance) ?? DEFAULT_TOLERANCE;
  await withStats(config, async (stats) => {
    await ensureFigures(stats, VERSION);
    const checks = await checkClaims(stats, tolerance);
    if (opts.json) return out(json({ tolerance, checks }));
    const lang = config.locale;
    for (const c of checks) {
      out(
        t('claims.line', {
          verdict: t(`claims.verdict.${c.verdict}`),
          figure: c.figure,
          documented: c.documented,
          computed: c.computed === null ? '—' : formatNumber(lang, c.computed),
          difference:
            c.difference === null
              ? ''
              : t('claims.difference', {
                  percent: formatNumber(lang, 100 * c.difference, {
                    maximumFractionDigits: 1,
                    signDisplay: 'always',
                  }),
                }),
        }),
      );
      if (c.reason) out(`  ${c.reason}`);
      if (c.query) out(`  ${t('claims.query', { query: JSON.stringify(c.query) })}`);
    }
    const counts = { consistent: 0, discrepant: 0, not_checkable: 0 };
    for (const c of checks) counts[c.verdict] += 1;
    out(t('claims.summary', { ...counts, tolerance: formatNumber(lang, 100 * tolerance) }));
  });
}

export async function runReconcile(
  config: Config,
  opts: { from?: string; to?: string; json?: boolean; csv?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const lang = config.locale;
  await withStats(config, async (stats) => {
    const rows = await reconcile(stats, { from: opts.from, to: opts.to });
    if (opts.json) return out(json(rows));
    if (opts.csv) {
      out(
        ['geo,name,year,inegi_homicides,sesnsp_homicide_victims,sesnsp_femicide_victims,sesnsp_total,gap']
          .concat(
            rows.map((r) =>
              [
                r.geo,
                `"${(r.name ?? '').replaceAll('"', '""')}"`,
                r.year,
                r.inegiHomicides,
                r.sesnspHomicideVictims,
                r.sesnspFemicideVictims,
                r.sesnspTotal,
                r.gap,
              ]
                .map((v) => (v === null ? '' : String(v)))
                .join(','),
            ),
          )
          .join('\n'),
      );
      return;
    }
    if (rows.length === 0) return out(t('reconcile.none'));
    out(t('reconcile.header'));
    for (const r of rows)
      out(
        t('reconcile.line', {
          geo: r.geo,
          name: r.name ?? '',
          year: r.year,
          inegi: formatNumber(lang, r.inegiHomicides ?? 0),
          sesnsp: formatNumber(lang, r.sesnspTotal ?? 0),
          gap:
            r.gap === null
              ? '—'
              : formatNumber(lang, 100 * r.gap, { maximumFractionDigits: 1, signDisplay: 'always' }),
        }),
      );
  });
}

/**
 * `marco import-dir DIR`: every file below DIR whose header matches a source is imported, the geography
 * catalogue first, then population, then the rest; the files no source recognises are listed.
 */
export async function runImportDir(
  config: Config,
  dir: string,
  opts: { json?: boolean; maxRejects?: string },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const maxRejectShare = share('--max-rejects', opts.maxRejects);
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).map(String).sort();
  } catch {
    throw new CliError(`${dir}: not a readable directory`);
  }
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if ((await stat(file)).isFile()) files.push(file);
  }
  const recognised: { file: string; source: (typeof SOURCES)[number] }[] = [];
  const unrecognised: string[] = [];
  // A shapefile's companion files (.dbf, .shx, .prj, …) travel with its .shp.
  const shapefiles = new Set(
    files.filter((f) => /\.shp$/i.test(f)).map((f) => f.replace(/\.shp$/i, '').toLowerCase()),
  );
  const companion = (f: string) =>
    /\.(dbf|shx|prj|cpg|sbn|sbx|qix|xml)$/i.test(f) &&
    shapefiles.has(f.replace(/\.[^.]+$/, '').toLowerCase());
  for (const file of files) {
    if (companion(file)) continue;
    const match = await recogniseFile(file, SOURCES);
    if (match) recognised.push({ file, source: match.source });
    else unrecognised.push(file);
  }
  // Places before the data that refer to them, population before rates, claims last.
  const rank = (s: (typeof SOURCES)[number]) =>
    s.kind === 'geography' ? 0 : s.measures.includes('population') ? 1 : s.kind === 'observations' ? 2 : 3;
  recognised.sort((a, b) => rank(a.source) - rank(b.source) || a.file.localeCompare(b.file));
  await withStats(config, async (stats) => {
    const reports: ImportReport[] = [];
    for (const { file, source } of recognised) {
      const report = await importFile(stats, source, file, {
        version: VERSION,
        ...(maxRejectShare !== undefined ? { maxRejectShare } : {}),
      });
      reports.push(report);
      if (!opts.json) printReport(t, config.locale, report, out);
    }
    if (opts.json) return out(json({ imported: reports, unrecognised }));
    if (unrecognised.length)
      out(t('stats.unrecognised', { count: unrecognised.length, files: unrecognised.join('\n  ') }));
  });
}
