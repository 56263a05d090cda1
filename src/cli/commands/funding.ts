/**
 * `marco funding import FILE|-` and `marco funding export [-o FILE|-]`: funding lines in the CSV layout
 * of `docs/funding-format.md`, as the operator of the data directory. An import is all or nothing: a
 * bad file writes nothing and lists every problem with its file, line and column (exit 2). Lines that
 * name no owner belong to `--country` and `--agency`. Obligations above appropriations are printed as
 * flags, after the summary. An export is written beside its target and renamed. `marco funding deflator
 * import|show` replaces and shows the deflator table (`docs/funding.md`).
 * @module
 */
import { rename, writeFile } from 'node:fs/promises';
import { OPERATOR } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { fundingCsv } from '../../funding/funding-csv.js';
import { importFundingCsv } from '../../funding/funding-import.js';
import { visibleFundingLines } from '../../funding/funding-service.js';
import { deflatorInForce, importDeflator, readDeflatorCsv } from '../../funding/deflator-service.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { inputName, readTextInput } from './input.js';
import { json, withRecords, withStatsAndRecords } from './open-stores.js';

export interface FundingImportOptions {
  country: string;
  agency: string;
  classification?: 'public' | 'official_use' | 'restricted';
  dryRun?: boolean;
  json?: boolean;
  stdin: () => NodeJS.ReadableStream;
}

/** The owner of what an import writes, from `--country`, `--agency` and `--classification`. */
const ownerOf = (opts: FundingImportOptions) => ({
  country: opts.country as 'US' | 'MX',
  agency: opts.agency,
  classification: opts.classification ?? ('public' as const),
});

export async function runFundingImport(
  config: Config,
  file: string,
  opts: FundingImportOptions,
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const name = inputName(file);
  const text = await readTextInput(file, opts.stdin);
  await withRecords(config, async (store) => {
    const done = await importFundingCsv(store, 'operator', text, name, ownerOf(opts), {
      actor: config.actor,
      dryRun: opts.dryRun === true,
    });
    if (opts.json) return out(json(done));
    const count = (action: string) => done.saved.filter((s) => s.action === action).length;
    out(
      opts.dryRun
        ? t('funding.csv.dryRun', { file: name, rows: done.rows })
        : t('funding.csv.summary', {
            file: name,
            rows: done.rows,
            created: count('create'),
            updated: count('update'),
            unchanged: count('unchanged'),
          }),
    );
    for (const flag of done.flags) out(t('funding.csv.flag', { message: `${flag.path}: ${flag.message}` }));
  });
}

export async function runFundingExport(
  config: Config,
  opts: { output?: string },
  out: (text: string) => void,
  say: (text: string) => void,
) {
  const t = translator(config.locale);
  await withRecords(config, async (store) => {
    const lines = await visibleFundingLines(store, OPERATOR);
    const text = fundingCsv(lines);
    if (!opts.output || opts.output === '-') return out(text.replace(/\n$/, ''));
    const tmp = `${opts.output}.tmp-${process.pid}`;
    await writeFile(tmp, text);
    await rename(tmp, opts.output);
    say(t('funding.csv.exported', { count: lines.length, file: opts.output }));
  });
}

/** `marco funding deflator import FILE|-`: replaces the deflator table, all or nothing. */
export async function runDeflatorImport(
  config: Config,
  file: string,
  opts: FundingImportOptions,
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const name = inputName(file);
  const rows = readDeflatorCsv(await readTextInput(file, opts.stdin), name);
  await withRecords(config, async (store) => {
    const done = await importDeflator(store, rows, ownerOf(opts), {
      actor: config.actor,
      dryRun: opts.dryRun === true,
    });
    if (opts.json) return out(json(done));
    out(
      opts.dryRun
        ? t('funding.deflator.dryRun', { file: name, rows: done.rows })
        : t('funding.deflator.summary', { file: name, ...done, base: done.base ?? '—' }),
    );
  });
}

/** `marco funding deflator show`: the table in force, where it comes from, and its rows. */
export async function runDeflatorShow(config: Config, opts: { json?: boolean }, out: (text: string) => void) {
  const t = translator(config.locale);
  await withStatsAndRecords(config, async (stats, store) => {
    const deflator = await deflatorInForce(store, stats);
    if (opts.json) return out(json(deflator));
    out(t(`cli.funding.deflator.${deflator.origin}`, { base: deflator.base ?? '—' }));
    for (const source of deflator.sources) out(`  ${source}`);
    for (const row of deflator.rows)
      out(
        `${row.fiscal_year}  ${formatNumber(config.locale, row.index, { minimumFractionDigits: 4, maximumFractionDigits: 4 })}`,
      );
  });
}
