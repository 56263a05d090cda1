/**
 * `marco report`: bilingual reports from live data, HTML or PDF, from a built-in template or an office's
 * own (`docs/reports.md`). Its help lists the built-in templates. The implementation is imported lazily.
 * @module
 */
import { readdirSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { BUILTIN_TEMPLATES } from '../reports/report-templates.js';
import type { CommandContext } from './trust-commands.js';

export function registerReportCommands(program: Command, x: CommandContext): void {
  const { t, out, say, configOf } = x;
  program
    .command('report')
    .description(t('cli.cmd.report'))
    .argument('<template>', t('cli.arg.template'))
    .requiredOption('--period <period>', t('cli.opt.reportPeriod'))
    .addOption(
      new Option('--format <format>', t('cli.opt.reportFormat')).choices(['html', 'pdf']).default('html'),
    )
    .option('-o, --output <file>', t('cli.opt.reportOutput'))
    .addOption(
      new Option('--audience <audience>', t('cli.opt.reportAudience'))
        .choices(['public', 'operator'])
        .default('operator'),
    )
    .addHelpText('after', () => {
      const names = readdirSync(BUILTIN_TEMPLATES)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `  ${f.slice(0, -'.yaml'.length)}`)
        .sort();
      return `\n${t('cli.report.builtins')}\n${names.join('\n')}\n`;
    })
    .action(
      async (
        template: string,
        opts: { period: string; format: 'html' | 'pdf'; output?: string; audience: 'public' | 'operator' },
        cmd: Command,
      ) => {
        const { runReportCommand } = await import('./commands/report.js');
        await runReportCommand(configOf(cmd), template, opts, out, say);
      },
    );
}
