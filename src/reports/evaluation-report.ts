/**
 * The content of an evaluation report: one saved evaluation run, as it was computed (its specification,
 * panel, estimates, warnings, randomisation p-values, data vintages and run hash). Saved runs are public,
 * like the evaluations pages: they hold estimates from public statistics, never a record.
 * @module
 */
import type { Classification } from '../domain/common-schema.js';
import type { EvaluationResult } from '../eval/evaluate.js';
import { ValidationError, textIssue } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { getEvaluation } from '../records/evaluation-repository.js';

export interface EvaluationReport {
  subject: 'evaluation';
  classification: Classification;
  run: EvaluationResult & { id: number; created_at: string; created_by: string };
}

/** The report of saved run `id` (a positive whole number); an unknown run is not found. */
export async function evaluationReport(store: RecordsStore, id: string): Promise<EvaluationReport> {
  if (!/^[1-9]\d{0,9}$/.test(id))
    throw new ValidationError([textIssue('evaluation', 'validation.schema.evaluationId')], 'report');
  return { subject: 'evaluation', classification: 'public', run: await getEvaluation(store, Number(id)) };
}
