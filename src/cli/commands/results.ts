/**
 * `marco results import FILE|-` and `marco results export [-o FILE|-]`: the bulk results exchange
 * (`src/monitoring/results-exchange/`), as the operator of the data directory. An import is all or
 * nothing and prints its summary; a file with conflicts writes nothing and exits 3 (conflict) with
 * every conflict, its line and reason. An export is written beside its target and renamed, so an
 * interrupted one never leaves half a file.
 * @module
 */
import { selectionOf, type PlaceFlags } from '../place-flags.js';
import { rename, writeFile } from 'node:fs/promises';
import { OPERATOR } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { translator } from '../../i18n/index.js';
import { listResults } from '../../records/result-repository.js';
import { exchangeCsv, exchangeJson } from '../../monitoring/results-exchange/export.js';
import { readExchange } from '../../monitoring/results-exchange/format.js';
import { importResults } from '../../monitoring/results-exchange/import.js';
import { inputName, readTextInput } from './input.js';
import { json, spineOf, withRecords } from './open-stores.js';

export async function runResultsImport(
  config: Config,
  file: string,
  opts: {
    dryRun?: boolean;
    submit?: boolean;
    json?: boolean;
    /** The indicator whose results an eTrace-layout file holds. */
    indicator?: string;
    stdin: () => NodeJS.ReadableStream;
  },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const name = inputName(file);
  // The file is read and checked before the stores open: a malformed file changes nothing.
  const rows = readExchange(await readTextInput(file, opts.stdin), name, opts.indicator);
  const spine = await spineOf(config);
  await withRecords(config, async (store) => {
    const summary = await importResults(store, rows, {
      actor: config.actor,
      official: OPERATOR,
      locale: config.locale,
      dryRun: opts.dryRun === true,
      submit: opts.submit === true,
      ...spine,
    });
    if (opts.json) return out(json({ file: name, ...summary }));
    out(t(summary.dryRun ? 'exchange.dryRun' : 'exchange.summary', { file: name, ...summary }));
  });
}

/** The options of `marco results export`. */
export interface ResultsExportOptions extends PlaceFlags {
  output?: string;
  format: 'csv' | 'json';
  indicator?: string;
}

export async function runResultsExport(
  config: Config,
  opts: ResultsExportOptions,
  out: (text: string) => void,
  say: (text: string) => void = out,
) {
  const t = translator(config.locale);
  // Checked before the store opens: a wrong code reads nothing and writes no file.
  const selection = await selectionOf(config, opts);
  await withRecords(config, async (store) => {
    const filter = { ...selection, ...(opts.indicator ? { indicator: opts.indicator } : {}) };
    const { results } = await listResults(store, OPERATOR, filter, {
      offset: 0,
      limit: Number.MAX_SAFE_INTEGER,
    });
    const text = opts.format === 'json' ? json(exchangeJson(results)) : exchangeCsv(results);
    if (!opts.output || opts.output === '-') return out(text);
    const tmp = `${opts.output}.tmp-${process.pid}`;
    await writeFile(tmp, text);
    await rename(tmp, opts.output);
    say(t('exchange.exported', { count: results.length, file: opts.output }));
  });
}
