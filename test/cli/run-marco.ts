/** Runs the CLI in process on the stores of `dir`, in English, capturing its output. */
import { main } from '../../src/cli/main.js';

export async function runMarco(dir: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'marco', '--data-dir', dir, ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { LANG: 'en_US.UTF-8' } as NodeJS.ProcessEnv,
  });
  return { code, stdout, stderr };
}
