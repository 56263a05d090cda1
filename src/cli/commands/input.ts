/**
 * Reading a command's input file, with `-` for standard input (clig.dev): a missing or unreadable file
 * is a usage error that names it.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { CliError } from '../../error.js';

/** All of `stream` as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of `file`, or of standard input for `-`. */
export async function readTextInput(file: string, stdin: () => NodeJS.ReadableStream): Promise<string> {
  if (file === '-') return readAll(stdin());
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? { key: 'files.noSuchFile', values: { file } }
        : { key: 'files.unreadable', values: { file, reason: code ?? (error as Error).message } },
    );
  }
}

/** How messages name an input: `stdin` for `-`. */
export const inputName = (file: string) => (file === '-' ? 'stdin' : file);
