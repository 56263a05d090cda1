/**
 * The commands of running Marco as a service: `serve`, `backup` and `restore`; and the log's level,
 * which differs between a server and a command.
 * @module
 */
import type { Command } from 'commander';
import type { ServeOptions } from './commands/serve.js';
import type { CommandContext } from './trust-commands.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The log's level: `MARCO_LOG_LEVEL` when it names one; else `info` for a server, whose log is its
 * operations record, and `warn` for a command, whose answer is its output.
 */
export const logLevelFor = (args: readonly string[], env: NodeJS.ProcessEnv): string => {
  const given = env.MARCO_LOG_LEVEL;
  if (given && LEVELS.includes(given)) return given;
  return args.includes('serve') ? 'info' : 'warn';
};

/** `marco serve`, listed after `init` as it always was. */
export function registerServeCommand(program: Command, x: CommandContext): void {
  const { t, say, configOf } = x;
  program
    .command('serve')
    .description(t('cli.cmd.serve'))
    .option('--port <port>', t('cli.opt.port'))
    .option('--host <host>', t('cli.opt.host'))
    .option('--example', t('cli.opt.example'))
    .option('--workers <n>', t('cli.opt.workers'))
    .option('--tls-cert <file>', t('cli.opt.tlsCert'))
    .option('--tls-key <file>', t('cli.opt.tlsKey'))
    .action(async (opts: Omit<ServeOptions, 'env'>, cmd: Command) => {
      const { runServe } = await import('./commands/serve.js');
      await runServe(configOf(cmd), { ...opts, env: x.env }, say);
    });
}

export function registerBackupCommands(program: Command, x: CommandContext): void {
  const { t, out, configOf } = x;
  program
    .command('backup')
    .description(t('cli.cmd.backup'))
    .requiredOption('-o, --output <file>', t('cli.opt.backupOutput'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { output: string; json?: boolean }, cmd: Command) => {
      const { runBackup } = await import('./commands/backup.js');
      await runBackup(configOf(cmd), { ...opts, env: x.env }, out);
    });

  program
    .command('restore')
    .description(t('cli.cmd.restore'))
    .argument('<file>')
    .option('--json', t('cli.opt.json'))
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      const { runRestore } = await import('./commands/backup.js');
      x.setExitCode(await runRestore(configOf(cmd), file, { ...opts, env: x.env }, out));
    });
}
