import { bigWorkspace } from '../fixtures/big-workspace.js';
import { exportWorkspace } from '../../src/records/workspace-export.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { openRecords } from '../../src/records/database.js';
import { runAndKill } from './kill-marco.js';
import { countRows } from './stores.js';

const quiet = {
  stdout: () => undefined,
  stderr: () => undefined,
  env: { MARCO_USER: 'tester' } as NodeJS.ProcessEnv,
};

describe('a load killed with SIGKILL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-kill-'));
    expect(await main(['node', 'marco', '--data-dir', dir, 'init', '--example'], quiet)).toBe(0);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('leaves the embedded store exactly as it was, and usable', async () => {
    const snapshot = async () => {
      const store = await openRecords({ dataDir: dir });
      try {
        return {
          counts: await countRows(store),
          workspace: await exportWorkspace(store),
          audit: await verifyAudit(store),
        };
      } finally {
        await store.close();
      }
    };
    const before = await snapshot();
    const file = path.join(dir, 'big.yaml');
    await writeFile(file, stringify(bigWorkspace()));

    const outcome = await runAndKill(
      ['--data-dir', dir, 'load', file, '--progress'],
      /\d+ of 3000 results written/,
    );
    // The process died by the signal in the middle of writing results, not after finishing.
    expect(outcome).toMatchObject({ signal: 'SIGKILL', code: null, matched: '500 of 3000 results written' });

    const after = await snapshot();
    expect(after.counts).toEqual(before.counts);
    expect(after.workspace).toEqual(before.workspace);
    expect(after.audit.brokenAt).toBeNull();

    // The store still takes writes: the same file loads completely now.
    expect(await main(['node', 'marco', '--data-dir', dir, 'load', file], quiet)).toBe(0);
    const loaded = await snapshot();
    expect(loaded.counts.results).toBe(before.counts.results! + 3000);
  });

  it('refuses a second process while the store is open', async () => {
    const store = await openRecords({ dataDir: dir });
    try {
      let stderr = '';
      const code = await main(['node', 'marco', '--data-dir', dir, 'scorecard'], {
        ...quiet,
        stderr: (t) => void (stderr += t),
      });
      expect(code).toBe(3);
      expect(stderr).toContain(`is in use by process ${process.pid}`);
    } finally {
      await store.close();
    }
    expect(await main(['node', 'marco', '--data-dir', dir, 'scorecard'], quiet)).toBe(0);
  });
});
