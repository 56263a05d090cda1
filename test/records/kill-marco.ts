/**
 * Runs `marco` from source in a child process on the embedded stores and kills it with SIGKILL as soon
 * as its standard error matches `when`: how the kill-safety tests interrupt a real import or load.
 */
import { PACKAGE_ROOT } from '../../src/package.js';
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface KillOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The text `when` matched, or null when the process ended on its own first. */
  matched: string | null;
  stderr: string;
}

export async function runAndKill(args: string[], when: RegExp): Promise<KillOutcome> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts'), ...args],
    {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, DATABASE_URL: '', MARCO_USER: 'doomed' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let matched: string | null = null;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const match = when.exec(stderr);
    if (match && matched === null) {
      matched = match[0];
      child.kill('SIGKILL');
    }
  });
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })),
  );
  return { code, signal, matched, stderr };
}
