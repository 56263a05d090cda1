/**
 * `marco backup -o FILE` and `marco restore FILE` (`src/backup/`). A backup is audited (who took a copy
 * of everything, the signing key included); a restore adds its own entry once the restored chain
 * verifies. The exit code of a restore whose chain does not verify is 5, as `marco audit verify`'s.
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createBackup } from '../../backup/backup-create.js';
import { restoreBackup } from '../../backup/backup-restore.js';
import type { Config } from '../../config.js';
import { CliError, EXIT } from '../../error.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { AUDIT_KEY_FILE } from '../../records/audit-key.js';
import { writeTransaction } from '../../records/transaction.js';
import { VERSION } from '../../package.js';
import { json, withStatsAndRecords } from './open-stores.js';

/** The audit signing key's file, as the records store finds it. */
const keyFileOf = (config: Config, env: NodeJS.ProcessEnv) =>
  path.resolve(env.MARCO_AUDIT_KEY_FILE ?? path.join(config.dataDir, AUDIT_KEY_FILE));

export async function runBackup(
  config: Config,
  opts: { output: string; json?: boolean; env: NodeJS.ProcessEnv },
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const target = path.resolve(opts.output);
  if (existsSync(target))
    throw new CliError({ key: 'backup.exists', values: { file: opts.output } }, EXIT.conflict);
  if (!existsSync(path.dirname(target)))
    throw new CliError({ key: 'backup.noFolder', values: { file: opts.output } }, EXIT.invalid);
  const manifest = await withStatsAndRecords(config, async (stats, records) => {
    const made = await createBackup(
      {
        records,
        databaseUrl: config.databaseUrl,
        stats,
        keyFile: keyFileOf(config, opts.env),
        version: VERSION,
        actor: config.actor,
      },
      target,
    );
    await writeTransaction(records, { actor: config.actor }, async (_trx, ctx) => {
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'create',
        entity: 'backup',
        key: made.created_at,
        before: null,
        after: {
          archive: path.basename(target),
          head: made.records.audit.head,
          statistics_generation: made.statistics.generation,
          files: made.files.map((f) => ({ name: f.name, sha256: f.sha256 })),
        },
      });
    });
    return made;
  });
  if (opts.json) return out(json(manifest));
  out(
    t('backup.made', {
      file: opts.output,
      entries: formatNumber(config.locale, manifest.records.audit.entries),
      head: manifest.records.audit.head ?? '—',
      vintages: formatNumber(
        config.locale,
        manifest.statistics.vintages ? manifest.statistics.vintages.split(',').length : 0,
      ),
    }),
  );
}

export async function runRestore(
  config: Config,
  file: string,
  opts: { json?: boolean; env: NodeJS.ProcessEnv },
  out: (text: string) => void,
): Promise<number> {
  const t = translator(config.locale);
  const report = await restoreBackup(path.resolve(file), {
    dataDir: path.resolve(config.dataDir),
    databaseUrl: config.databaseUrl,
    statistics: config.statistics,
    keyFile: keyFileOf(config, opts.env),
    actor: config.actor,
  });
  const code = report.audit.tampered ? EXIT.tampered : EXIT.ok;
  if (opts.json) {
    out(json({ manifest: report.manifest, audit: report.audit }));
    return code;
  }
  out(
    t(report.audit.tampered ? 'backup.restoredTampered' : 'backup.restored', {
      file,
      created: report.manifest.created_at,
      entries: formatNumber(config.locale, report.audit.entries),
      head: report.manifest.records.audit.head ?? '—',
    }),
  );
  return code;
}
