/**
 * `marco funding import|export|summary` and `marco funding deflator import|show`: funding lines in the
 * CSV layout of `docs/funding-format.md` (`-` for standard input and output), what they add up to, and the
 * deflator table. The implementation is imported lazily, as in `main.ts`.
 * @module
 */
import { Option, type Command } from 'commander';
import type { CommandContext } from './trust-commands.js';

export function registerFundingCommands(program: Command, x: CommandContext): void {
  const { t, out, say, configOf } = x;
  const funding = program.command('funding').description(t('cli.cmd.funding'));
  funding
    .command('import')
    .description(t('cli.cmd.fundingImport'))
    .argument('<file>', t('cli.arg.fileOrStdin'))
    .requiredOption('--country <country>', t('cli.opt.fundingCountry'))
    .requiredOption('--agency <code>', t('cli.opt.fundingAgency'))
    .addOption(
      new Option('--classification <level>', t('cli.opt.classification')).choices([
        'public',
        'official_use',
        'restricted',
      ]),
    )
    .option('--dry-run', t('cli.opt.dryRun'))
    .option('--json', t('cli.opt.json'))
    .action(
      async (
        file: string,
        opts: {
          country: string;
          agency: string;
          classification?: 'public';
          dryRun?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const { runFundingImport } = await import('./commands/funding.js');
        await runFundingImport(configOf(cmd), file, { ...opts, stdin: x.stdin }, out);
      },
    );
  funding
    .command('export')
    .description(t('cli.cmd.fundingExport'))
    .option('-o, --output <file>', t('cli.opt.outputOrStdout'))
    .action(async (opts: { output?: string }, cmd: Command) => {
      const { runFundingExport } = await import('./commands/funding.js');
      await runFundingExport(configOf(cmd), opts, out, say);
    });
  const deflator = funding.command('deflator').description(t('cli.cmd.fundingDeflator'));
  deflator
    .command('import')
    .description(t('cli.cmd.fundingDeflatorImport'))
    .argument('<file>', t('cli.arg.fileOrStdin'))
    .requiredOption('--country <country>', t('cli.opt.fundingCountry'))
    .requiredOption('--agency <code>', t('cli.opt.fundingAgency'))
    .option('--dry-run', t('cli.opt.dryRun'))
    .option('--json', t('cli.opt.json'))
    .action(
      async (
        file: string,
        opts: { country: string; agency: string; dryRun?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const { runDeflatorImport } = await import('./commands/funding.js');
        await runDeflatorImport(configOf(cmd), file, { ...opts, stdin: x.stdin }, out);
      },
    );
  deflator
    .command('show')
    .description(t('cli.cmd.fundingDeflatorShow'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runDeflatorShow } = await import('./commands/funding.js');
      await runDeflatorShow(configOf(cmd), opts, out);
    });
  funding
    .command('summary')
    .description(t('cli.cmd.fundingSummary'))
    .option('--program <code>', t('cli.opt.fundingProgram'))
    .option('--node <ref>', t('cli.opt.fundingNode'))
    .option('--constant [fy]', t('cli.opt.fundingConstant'))
    .option('--json', t('cli.opt.json'))
    .action(
      async (
        opts: { program?: string; node?: string; constant?: string | boolean; json?: boolean },
        cmd: Command,
      ) => {
        const { runFundingSummary } = await import('./commands/funding-summary.js');
        await runFundingSummary(configOf(cmd), opts, out);
      },
    );
}
