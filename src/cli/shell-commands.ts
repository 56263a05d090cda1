/**
 * `marco completion bash|zsh|fish`, and the exit codes every `--help` ends with.
 * @module
 */
import type { Command } from 'commander';
import { CliError, EXIT } from '../error.js';
import type { CommandContext } from './trust-commands.js';
import { completionScript, SHELLS, type Shell } from './completion.js';

export function registerShellCommands(program: Command, x: CommandContext): void {
  const { t, out } = x;
  program
    .command('completion')
    .description(t('cli.cmd.completion'))
    .argument('<shell>', SHELLS.join(' | '))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new CliError({ key: 'cli.errors.shell', values: { shell, shells: SHELLS.join(', ') } });
      out(completionScript(program, shell as Shell));
    });
  // Every command's help ends with what its exit code means (clig.dev).
  const codes = Object.entries(EXIT)
    .map(([name, code]) => `  ${code}  ${t(`cli.exit.${name}`)}`)
    .join('\n');
  const help = `\n${t('cli.exit.title')}\n${codes}\n`;
  const everywhere = (cmd: Command) => {
    cmd.addHelpText('after', help);
    for (const sub of cmd.commands) everywhere(sub);
  };
  everywhere(program);
}
