/**
 * Flag values that several commands share, checked once: a share between 0 and 1 (`--max-rejects`,
 * `--tolerance`) and `name=value` pairs (`--param`).
 * @module
 */
import type { Command } from 'commander';
import { CliError } from '../error.js';
import type { Translate } from '../i18n/index.js';
import { namedPairs } from '../stats/series-query.js';

/** A share between 0 and 1, such as 0.05, or undefined when the flag is absent. */
export function share(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || n > 1)
    throw new CliError({ key: 'cli.errors.share', values: { flag, given: JSON.stringify(value) } });
  return n;
}

/** `name=value` pairs of repeated `--param` flags. */
export const paramsFromFlags = (pairs: readonly string[] | undefined): Record<string, string> =>
  namedPairs(pairs ?? [], '--param');

/** `--place`, `--within` and `--children` (read by `place-flags.ts`), on a command that selects places. */
export const placeOptions = (command: Command, t: Translate): Command =>
  command
    .option('--place <code>', t('cli.opt.place'))
    .option('--within <code>', t('cli.opt.withinPlace'))
    .option('--children', t('cli.opt.children'));
