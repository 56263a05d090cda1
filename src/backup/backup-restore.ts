/**
 * `marco restore FILE`: a backup (`backup-create.ts`) into an empty data directory, or an empty
 * PostgreSQL database. Nothing is written until the archive has been unpacked beside the target and
 * every file in it checked against the manifest (size and SHA-256; no file more, none less): a damaged
 * or altered archive is refused with the file that does not match. Then the statistics and the key are
 * put in place, and the records restored all or nothing (`pg_restore` in one transaction, or PGlite's
 * cluster); if that fails, what was put in place is taken away again. Last, the restored audit log is
 * verified with the backup's head.
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extract } from 'tar';
import { CliError, EXIT } from '../error.js';
import { openRecords } from '../records/database.js';
import { LAST_MIGRATION } from '../records/migrations/index.js';
import { restorePostgres, tablesIn } from '../records/records-dump.js';
import { forgetOtherGenerations } from '../records/generation-repository.js';
import { verifyAudit, type AuditReport } from '../records/audit-verify.js';
import { writeTransaction } from '../records/transaction.js';
import { sha256File } from '../stats/generations/generation-files.js';
import { BackupManifest } from './backup-manifest.js';

export interface RestoreTarget {
  dataDir: string;
  databaseUrl: string | null;
  statistics: 'file' | 'generations';
  /** Where the audit signing key goes (`MARCO_AUDIT_KEY_FILE`, or the data directory's). */
  keyFile: string;
  /** Who restores, for the audit log. */
  actor: string;
}

export interface RestoreReport {
  manifest: BackupManifest;
  audit: AuditReport;
}

/** What the target already holds, if anything: a restore goes into an empty one only. */
async function occupied(target: RestoreTarget): Promise<string | undefined> {
  for (const name of ['records', 'statistics.duckdb', 'statistics'])
    if (existsSync(path.join(target.dataDir, name))) return path.join(target.dataDir, name);
  if (existsSync(target.keyFile)) return target.keyFile;
  if (target.databaseUrl) {
    const tables = await tablesIn(target.databaseUrl);
    if (tables.length > 0) return tables.slice(0, 3).join(', ');
  }
  return undefined;
}

/** Unpacks and checks the archive in `work`; returns its manifest. Writes nothing else. */
async function unpack(archive: string, work: string): Promise<BackupManifest> {
  try {
    await extract({
      file: archive,
      cwd: work,
      strict: true,
      filter: (p, e) => 'type' in e && e.type === 'File' && !p.includes('/'),
    });
  } catch (error) {
    throw new CliError(
      { key: 'backup.damaged', values: { file: archive, reason: (error as Error).message } },
      EXIT.tampered,
    );
  }
  let manifest: BackupManifest;
  try {
    manifest = BackupManifest.parse(JSON.parse(await readFile(path.join(work, 'manifest.json'), 'utf8')));
  } catch (error) {
    throw new CliError(
      {
        key: 'backup.badManifest',
        values: { file: archive, reason: (error as Error).message.slice(0, 300) },
      },
      EXIT.tampered,
    );
  }
  const listed = new Set(['manifest.json', ...manifest.files.map((f) => f.name)]);
  for (const name of await readdir(work))
    if (!listed.has(name))
      throw new CliError({ key: 'backup.unlisted', values: { file: archive, member: name } }, EXIT.tampered);
  for (const f of manifest.files) {
    const file = path.join(work, f.name);
    const ok =
      existsSync(file) && (await stat(file)).size === f.bytes && (await sha256File(file)) === f.sha256;
    if (!ok)
      throw new CliError(
        { key: 'backup.checksum', values: { file: archive, member: f.name } },
        EXIT.tampered,
      );
  }
  const needed = [manifest.records.file, manifest.statistics.file, ...(manifest.key ? [manifest.key] : [])];
  for (const name of needed)
    if (!manifest.files.some((f) => f.name === name))
      throw new CliError({ key: 'backup.unlisted', values: { file: archive, member: name } }, EXIT.tampered);
  if (manifest.records.migration > LAST_MIGRATION)
    throw new CliError({
      key: 'backup.newer',
      values: { migration: manifest.records.migration, version: manifest.version },
    });
  return manifest;
}

export async function restoreBackup(archive: string, target: RestoreTarget): Promise<RestoreReport> {
  if (!existsSync(archive))
    throw new CliError({ key: 'backup.notFound', values: { file: archive } }, EXIT.notFound);
  const taken = await occupied(target);
  if (taken) throw new CliError({ key: 'backup.notEmpty', values: { what: taken } }, EXIT.conflict);
  const kind = target.databaseUrl ? 'postgres' : 'pglite';
  await mkdir(target.dataDir, { recursive: true });
  // Unpacked beside the target (one file system: put in place by renaming), removed in the end.
  const work = await mkdtemp(path.join(target.dataDir, '.restore-'));
  const placed: string[] = [];
  try {
    const manifest = await unpack(archive, work);
    if (manifest.records.kind !== kind)
      throw new CliError({
        key: 'backup.kindMismatch',
        values: { backup: manifest.records.kind, target: kind },
      });

    // The statistics: the backed-up generation under its name, or the single file (from which the first
    // generation is made, with generations).
    const generation = target.statistics === 'generations' && manifest.statistics.generation !== null;
    const statsTarget = generation
      ? path.join(target.dataDir, 'statistics', manifest.statistics.generation_file!)
      : path.join(target.dataDir, 'statistics.duckdb');
    await mkdir(path.dirname(statsTarget), { recursive: true });
    await rename(path.join(work, manifest.statistics.file), statsTarget);
    placed.push(generation ? path.dirname(statsTarget) : statsTarget);
    if (manifest.key) {
      await mkdir(path.dirname(target.keyFile), { recursive: true });
      await writeFile(target.keyFile, await readFile(path.join(work, manifest.key)), {
        mode: 0o600,
        flag: 'wx',
      });
      placed.push(target.keyFile);
    }

    const recordsFile = path.join(work, manifest.records.file);
    if (kind === 'postgres') await restorePostgres(target.databaseUrl!, recordsFile);
    else {
      placed.push(path.join(target.dataDir, 'records'), path.join(target.dataDir, 'records.lock'));
      const cluster = new Blob([await readFile(recordsFile)]);
      const restored = await openRecords({ dataDir: target.dataDir, keyFile: target.keyFile, cluster });
      await restored.close();
    }

    const records = await openRecords({
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      keyFile: target.keyFile,
    });
    try {
      // Generations the backup's records name but whose files it does not hold are gone.
      if (generation) await forgetOtherGenerations(records, manifest.statistics.generation!);
      const audit = await verifyAudit(
        records,
        manifest.records.audit.head ? { expectHead: manifest.records.audit.head } : {},
      );
      // The restore is itself a write: the next entry of the chain says where the records came from.
      if (!audit.tampered)
        await writeTransaction(records, { actor: target.actor }, async (_trx, ctx) => {
          ctx.audit.push({
            at: ctx.now,
            actor: ctx.actor,
            action: 'create',
            entity: 'backup restore',
            key: manifest.created_at,
            before: null,
            after: {
              archive: path.basename(archive),
              version: manifest.version,
              created_by: manifest.created_by,
              head: manifest.records.audit.head,
              statistics_generation: manifest.statistics.generation,
            },
          });
        });
      return { manifest, audit };
    } finally {
      await records.close();
    }
  } catch (error) {
    for (const p of placed.reverse()) await rm(p, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
