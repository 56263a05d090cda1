/**
 * An exclusive lock on an embedded store's directory. PGlite is one process's database: a second process
 * opening the same files would corrupt them, so the second one is refused with a message saying who holds
 * the lock. A lock left by a killed process (its pid no longer runs) is taken over.
 * @module
 */
import { open, readFile, rm } from 'node:fs/promises';
import { CliError, EXIT } from '../error.js';

export interface DirLock {
  release(): Promise<void>;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file `file` of the store in `dir`, or throws a CliError naming the process that holds it. */
export async function lockDirectory(file: string, dir: string): Promise<DirLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && running(pid)) {
        throw new CliError({ key: 'stores.dirInUse', values: { path: dir, pid } }, EXIT.conflict);
      }
      // A stale lock from a process that died: remove it and try once more.
      await rm(file, { force: true });
    }
  }
  throw new CliError({ key: 'stores.lockContended', values: { path: dir } }, EXIT.conflict);
}
