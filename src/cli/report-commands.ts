/**
 * `marco report`: bilingual reports from live data, HTML or PDF, from a built-in template or an office's
 * own (`docs/reports.md`), made here or asked of a running server (`--server`, `--wait`); and
 * `marco jobs`, which follows, cancels, retries and downloads background jobs. The report's help lists
 * the built-in templates. The implementations are imported lazily.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBJECT_PARAMETERS } from '../domain/reports/template-schema.js';
import { Option, type Command } from 'commander';
import { BUILTIN_TEMPLATES, parseTemplate } from '../reports/report-templates.js';
import type { JobOptions } from './commands/jobs.js';
import type { ReportOptions } from './commands/report.js';
import type { CommandContext } from './trust-commands.js';

export function registerReportCommands(program: Command, x: CommandContext): void {
  const { t, out, say, configOf, env, terminal } = x;
  program
    .command('report')
    .description(t('cli.cmd.report'))
    .argument('<template>', t('cli.arg.template'))
    .option('--period <period>', t('cli.opt.reportPeriod'))
    .option('--place <code>', t('cli.opt.reportPlace'))
    .option('--evaluation <id>', t('cli.opt.reportEvaluation'))
    .addOption(
      new Option('--format <format>', t('cli.opt.reportFormat')).choices(['html', 'pdf']).default('html'),
    )
    .option('-o, --output <file>', t('cli.opt.reportOutput'))
    .addOption(
      new Option('--audience <audience>', t('cli.opt.reportAudience'))
        .choices(['public', 'operator'])
        .default('operator'),
    )
    .option('--server <url>', t('cli.opt.reportServer'))
    .option('--token <token>', t('cli.opt.token'))
    .option('--wait', t('cli.opt.wait'))
    .option('--progress', t('cli.opt.progress'))
    .option('--json', t('cli.opt.json'))
    .addHelpText('after', () => {
      // Each built-in template with what its subject needs (`--period`, `--place`, `--evaluation`).
      const lines = readdirSync(BUILTIN_TEMPLATES)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => {
          const file = path.join(BUILTIN_TEMPLATES, f);
          const { name, subject } = parseTemplate(readFileSync(file, 'utf8'), `reports/${f}`);
          const { needs, takes } = SUBJECT_PARAMETERS[subject];
          const options = takes.map((p) => (needs.includes(p) ? `--${p}` : `[--${p}]`)).join(' ');
          return `  ${name.padEnd(24)}${options}`.trimEnd();
        });
      return `\n${t('cli.report.builtins')}\n${lines.join('\n')}\n`;
    })
    .action(async (template: string, opts: Omit<ReportOptions, 'env' | 'terminal'>, cmd: Command) => {
      const { runReportCommand } = await import('./commands/report.js');
      const quiet = (cmd.optsWithGlobals() as { quiet?: boolean }).quiet;
      await runReportCommand(
        configOf(cmd),
        template,
        { ...opts, env, quiet, ...(terminal ? { terminal } : {}) },
        out,
        say,
      );
    });

  const jobs = program.command('jobs').description(t('cli.cmd.jobs'));
  const jobCommand = (action: 'list' | 'show' | 'cancel' | 'retry' | 'download') => {
    const c = jobs
      .command(action)
      .description(t(`cli.cmd.jobs_${action}`))
      .option('--server <url>', t('cli.opt.jobsServer'))
      .option('--token <token>', t('cli.opt.token'))
      .option('--json', t('cli.opt.json'));
    if (action !== 'list') c.argument('<id>', t('cli.arg.jobId'));
    if (action === 'show' || action === 'retry' || action === 'download')
      c.option('--wait', t('cli.opt.wait')).option('--progress', t('cli.opt.progress'));
    if (action !== 'list' && action !== 'cancel') c.option('-o, --output <file>', t('cli.opt.jobOutput'));
    c.action(async (...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      const opts = args.at(-2) as Omit<JobOptions, 'env' | 'terminal'>;
      const id = action === 'list' ? undefined : (args[0] as string);
      const { runJobs } = await import('./commands/jobs.js');
      const quiet = (cmd.optsWithGlobals() as { quiet?: boolean }).quiet;
      await runJobs(
        configOf(cmd),
        action,
        id,
        { ...opts, env, quiet, terminal: terminal ?? { write: () => true } },
        out,
        say,
      );
    });
  };
  for (const action of ['list', 'show', 'cancel', 'retry', 'download'] as const) jobCommand(action);
}
