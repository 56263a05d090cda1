/**
 * `marco funding import FILE|-` and `marco funding export [-o FILE|-]`: funding lines in the CSV layout
 * of `docs/funding-format.md`, as the operator of the data directory. An import is all or nothing: a
 * bad file writes nothing and lists every problem with its file, line and column (exit 2). Lines that
 * name no owner belong to `--country` and `--agency`. Obligations above appropriations are printed as
 * flags, after the summary. An export is written beside its target and renamed.
 * @module
 */
import { rename, writeFile } from 'node:fs/promises';
import { OPERATOR } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { fundingCsv } from '../../funding/funding-csv.js';
import { importFundingCsv } from '../../funding/funding-import.js';
import { visibleFundingLines } from '../../funding/funding-service.js';
import { translator } from '../../i18n/index.js';
import { inputName, readTextInput } from './input.js';
import { json, withRecords } from './open-stores.js';

export interface FundingImportOptions {
  country: string;
  agency: string;
  classification?: 'public' | 'official_use' | 'restricted';
  dryRun?: boolean;
  json?: boolean;
  stdin: () => NodeJS.ReadableStream;
}

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
    const done = await importFundingCsv(
      store,
      'operator',
      text,
      name,
      {
        country: opts.country as 'US' | 'MX',
        agency: opts.agency,
        classification: opts.classification ?? 'public',
      },
      { actor: config.actor, dryRun: opts.dryRun === true },
    );
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
