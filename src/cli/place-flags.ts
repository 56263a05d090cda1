/**
 * `--place`, `--within`, `--children` and `--period` as the API reads `place`, `within`, `children` and
 * `period`: `00` is Mexico, a DHIS2 period is the Marco period it names, and a place the data directory's
 * geography spine does not know is refused with its nearest codes (exit 2), before anything is read.
 * @module
 */
import { z } from 'zod';
import type { Config } from '../config.js';
import { placeIssues } from '../domain/place-check.js';
import { zodIssues } from '../domain/common-schema.js';
import type { PlaceSelection } from '../domain/place-tree.js';
import { PeriodAsTyped, PlaceAsTyped } from '../domain/typed-codes.js';
import { ValidationError } from '../error.js';
import { spineOf } from './commands/open-stores.js';

export interface PlaceFlags {
  place?: string | undefined;
  within?: string | undefined;
  children?: boolean | undefined;
  period?: string | undefined;
}

const Flags = z.object({
  '--place': PlaceAsTyped.optional(),
  '--within': PlaceAsTyped.optional(),
  '--period': PeriodAsTyped.optional(),
});

/** The selection the flags ask for, checked; throws a ValidationError (exit 2) naming each bad flag. */
export async function selectionOf(
  config: Config,
  flags: PlaceFlags,
): Promise<PlaceSelection & { period?: string | undefined }> {
  const parsed = Flags.safeParse({
    '--place': flags.place,
    '--within': flags.within,
    '--period': flags.period,
  });
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), undefined, 'query');
  const { '--place': place, '--within': within, '--period': period } = parsed.data;
  if (place !== undefined || within !== undefined) {
    const { places } = await spineOf(config);
    const issues = places
      ? placeIssues(places, [
          ['--place', place],
          ['--within', within],
        ])
      : [];
    if (issues.length) throw new ValidationError(issues, undefined, 'query');
  }
  return { place, within, children: flags.children, period };
}
