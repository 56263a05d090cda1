/**
 * A result's numbers as they are stored: with a numerator and a denominator, the value is always derived
 * from them (value = numerator / denominator × the indicator's factor), so it can never disagree with
 * them; without them, the value is as given. Shared by a new result and by an edit of one.
 * @module
 */
import { ValidationError, textIssue } from '../error.js';

export interface ResultNumbers {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

/**
 * `numbers` settled for storage, for an indicator with `factor`; `given` is the value the writer sent
 * (undefined when it sent none). Throws {@link ValidationError} for a numerator without a denominator, a
 * value that differs from the one the components give, a value that is not finite, or no value at all.
 */
export function settledNumbers(
  numbers: ResultNumbers,
  factor: number,
  given: number | null | undefined,
): ResultNumbers {
  const next = { ...numbers };
  if ((next.numerator === null) !== (next.denominator === null))
    throw new ValidationError([textIssue('denominator', 'validation.schema.bothOrNeither')]);
  if (next.numerator !== null && next.denominator !== null) {
    const derived = (next.numerator / next.denominator) * factor;
    if (given != null && Math.abs(given - derived) > 1e-9 * Math.max(1, Math.abs(derived)))
      throw new ValidationError([
        textIssue('value', 'validation.records.valueDiffers', { value: given, derived }),
      ]);
    if (!Number.isFinite(derived))
      throw new ValidationError([textIssue('denominator', 'validation.records.notFinite')]);
    next.value = derived;
  }
  if (next.value === null && next.numerator === null)
    throw new ValidationError([textIssue('value', 'validation.schema.resultValue')]);
  return next;
}
