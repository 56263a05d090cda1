/**
 * The error of an estimate the data cannot give (no comparison exists, a propensity score cannot be
 * fitted); its text says why and what to change.
 * @module
 */
import { EXIT, MarcoError } from '../../error.js';

/** The data cannot give this estimate (no comparison exists); the message says why. */
export class EstimationError extends MarcoError {
  readonly code = 'not_estimable';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
}
