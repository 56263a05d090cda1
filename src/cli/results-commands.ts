/**
 * `marco results import|export`: the bulk results exchange from the command line, with `-` for
 * standard input and output. The implementation is imported lazily, as in `main.ts`.
 * @module
 */
import { Option, type Command } from 'commander';
import type { CommandContext } from './trust-commands.js';
import { placeOptions } from './flags.js';
import type { ResultsExportOptions } from './commands/results.js';

export function registerResultsCommands(program: Command, x: CommandContext): void {
  const { t, out, say, configOf } = x;
  const results = program.command('results').description(t('cli.cmd.results'));
  results
    .command('import')
    .description(t('cli.cmd.resultsImport'))
    .argument('<file>', t('cli.arg.fileOrStdin'))
    .option('--dry-run', t('cli.opt.dryRun'))
    .option('--submit', t('cli.opt.submitNew'))
    .option('--indicator <code>', t('cli.opt.etraceIndicator'))
    .option('--json', t('cli.opt.json'))
    .action(
      async (
        file: string,
        opts: { dryRun?: boolean; submit?: boolean; json?: boolean; indicator?: string },
        cmd: Command,
      ) => {
        const { runResultsImport } = await import('./commands/results.js');
        await runResultsImport(configOf(cmd), file, { ...opts, stdin: x.stdin }, say);
      },
    );
  placeOptions(results.command('export'), t)
    .description(t('cli.cmd.resultsExport'))
    .option('-o, --output <file>', t('cli.opt.outputOrStdout'))
    .addOption(
      new Option('--format <format>', t('cli.opt.exchangeFormat')).choices(['csv', 'json']).default('csv'),
    )
    .option('--indicator <code>', t('cli.opt.indicator'))
    .option('--period <code>', t('cli.opt.period'))
    .action(async (opts: ResultsExportOptions, cmd: Command) => {
      const { runResultsExport } = await import('./commands/results.js');
      await runResultsExport(configOf(cmd), opts, out, say);
    });
}
