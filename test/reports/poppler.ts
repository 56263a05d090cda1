/**
 * What the PDF tests share: Debian's poppler-utils (`pdftotext`, `pdfinfo`, `pdftoppm`), a skip with the
 * reason on a laptop without them, a failure under CI=true.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export const havePoppler = await run('pdftotext', ['-v']).then(
  () => true,
  () => false,
);
if (!havePoppler) {
  if (process.env.CI === 'true')
    throw new Error('CI=true but pdftotext is missing (apt-get install poppler-utils)');
  console.warn('PDF tests skipped: no pdftotext (Debian poppler-utils)');
}
