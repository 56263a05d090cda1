/**
 * A funding CSV loaded into the records store: the file is read and checked whole
 * (`funding-csv.ts`), then its lines are saved all or none (`funding-service.ts`). Every problem, and
 * every flag, names its file, line and column; a bad file writes nothing.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import { ValidationError, type Issue } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import type { Ownership } from '../records/record-writer.js';
import type { WriteOptions } from '../records/transaction.js';
import { readFundingCsv, type FundingRow } from './funding-csv.js';
import { saveFundingLines, type FundingSaved } from './funding-service.js';

/** `lines[3].account` → the file, line and column of that cell; `lines[3]` → its line. */
function relocate(rows: readonly FundingRow[], issue: Issue): Issue {
  const m = /^lines\[(\d+)\](?:\.(\w+))?/.exec(issue.path);
  const row = m ? rows[Number(m[1])] : undefined;
  if (!row) return issue;
  return { ...issue, path: m![2] ? row.at(m![2]) : row.where };
}

export async function importFundingCsv(
  store: RecordsStore,
  viewer: Viewer | 'operator',
  text: string,
  file: string,
  owner: Ownership,
  write: WriteOptions,
): Promise<FundingSaved & { file: string; rows: number }> {
  const rows = readFundingCsv(text, file);
  try {
    const saved = await saveFundingLines(
      store,
      viewer,
      rows.map((r) => r.line),
      owner,
      write,
    );
    return { ...saved, flags: saved.flags.map((f) => relocate(rows, f)), file, rows: rows.length };
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(
        error.issues.map((i) => relocate(rows, i)),
        file,
      );
    throw error;
  }
}
