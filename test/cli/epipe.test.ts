/**
 * `marco … | head`: a reader that closes the pipe early ends the command quietly (exit 0, nothing on
 * stderr), not with an EPIPE stack trace.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package.js';
import { sharedFile } from '../stats/shared-data.js';

const MARCO = path.join(PACKAGE_ROOT, 'bin/marco.js');
const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');

it.skipIf(!STATE)(
  'ends quietly when the reader closes the pipe',
  async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-epipe-'));
    try {
      execFileSync(process.execPath, [MARCO, 'import', 'inegi-homicides-state', STATE!, '--data-dir', dir]);
      // Every state by month: thousands of lines, each written on its own, long after the reader left.
      const child = spawn(
        process.execPath,
        [MARCO, 'stats', '--measure', 'homicides', '--level', 'state', '--by', 'month', '--data-dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const first = await new Promise<string>((resolve) =>
        child.stdout.once('data', (c: Buffer) => resolve(c.toString())),
      );
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(first).toContain('Homicides');
      expect([code, stderr]).toEqual([0, '']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  60_000,
);
