/**
 * A `benchmarks/1` file (YAML or JSON): benchmarks and their proposed targets, saved all or none, as the
 * CLI's operator (`marco benchmark load FILE`) or on a first start with the example data. Every problem
 * is reported at its place in the file (line and column), and nothing is written.
 * @module
 */
import { BenchmarksFile } from '../domain/benchmark.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { ValidationError } from '../error.js';
import type { BenchmarkSaved } from '../records/benchmark-repository.js';
import type { RecordsStore } from '../records/database.js';
import { withLocations, type LoadOptions } from '../records/workspace-load.js';
import { saveBenchmarks } from './benchmark-service.js';

export async function loadBenchmarkDocument(
  store: RecordsStore,
  input: unknown,
  options: Pick<LoadOptions, 'actor' | 'now' | 'locate' | 'source' | 'dryRun'>,
): Promise<{ code: string; saved: BenchmarkSaved }[]> {
  const parsed = safeParseInput(BenchmarksFile, input);
  if (!parsed.success)
    throw new ValidationError(
      withLocations(zodIssues(parsed.error), options.locate, parsed.error),
      options.source,
    );
  try {
    const saved = await saveBenchmarks(store, 'operator', parsed.data.benchmarks, options);
    return saved.map((s, i) => ({ code: parsed.data.benchmarks[i]!.code, saved: s }));
  } catch (error) {
    if (error instanceof ValidationError && options.locate)
      throw new ValidationError(withLocations(error.issues, options.locate), options.source);
    throw error;
  }
}
