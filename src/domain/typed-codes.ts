/**
 * Place and period codes as users type them, read as Marco's: INEGI's national code `00` is `MX`, and a
 * DHIS2 fixed period (`2021Q1`, `201703`, `2016Oct`) is the Marco period it names. Shared by the API's
 * query parameters and the CLI's flags, so both accept and refuse the same codes.
 * @module
 */
import { z } from 'zod';
import { PeriodCode, Place } from './common-schema.js';
import { fixedAlias } from './period-aliases.js';
import { nationalCode } from './place-tree.js';

/** A place code, `00` read as `MX`. */
export const PlaceAsTyped = Place.transform(nationalCode);

/** A Marco period code, or a DHIS2 fixed period read as one. */
export const PeriodAsTyped = z
  .string()
  .transform((p) => fixedAlias(p) ?? p)
  .pipe(PeriodCode);
