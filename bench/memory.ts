/**
 * Section 3 of `npm run bench`: the peak memory of each import of the loaded store. Each import runs in a
 * child process of its own (`bench/import-one.ts`), because a process's peak resident set size only
 * grows: measured in this process, every import after the largest would show the largest's peak. The
 * reference is a child that only opens an empty store, so "over reference" is what the import itself
 * costs, beyond Node, tsx and DuckDB.
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ImportOneResult } from './import-one.js';
import { fmtInt, fmtMB, fmtS, fmtX, table } from './print.js';
import {
  IMPORTS,
  isSkipped,
  now,
  ROOT,
  section,
  type BenchContext,
  type Section,
  type Skipped,
} from './runner.js';

interface MemoryRow {
  source: string | null;
  file: string | null;
  rows: number;
  importSeconds: number;
  /** Spawn to exit, as seen by this process (includes starting Node and tsx). */
  childWallSeconds: number;
  peakRssBytes: number;
  peakRssFrom: string;
  /** This process and its bzip2 child together (see `ImportOneResult.footprintBytes`). */
  footprintBytes: number;
  decompressChildPeakBytes: number;
  rssBeforeImportBytes: number;
  decompressSeconds: number;
  error?: string;
}

export interface MemoryBench {
  baseline: MemoryRow;
  imports: (MemoryRow | (Skipped & { source: string; file: string }))[];
}

/** One `bench/import-one.ts` child; a failed child becomes a row with its error, not a failed bench. */
export function runChild(extra: string[]): Promise<MemoryRow> {
  return new Promise((resolve) => {
    const t0 = now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench/import-one.ts'), ...extra],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const failed = (message: string): MemoryRow => ({
      source: extra[0] ?? null,
      file: extra[1] ?? null,
      rows: 0,
      importSeconds: 0,
      childWallSeconds: (now() - t0) / 1000,
      peakRssBytes: 0,
      peakRssFrom: '',
      footprintBytes: 0,
      decompressChildPeakBytes: 0,
      rssBeforeImportBytes: 0,
      decompressSeconds: 0,
      error: message,
    });
    child.on('error', (e) => resolve(failed(e.message)));
    child.on('close', (code) => {
      const wall = (now() - t0) / 1000;
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        resolve(failed(`exit ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      const r = JSON.parse(line) as ImportOneResult;
      resolve({
        source: r.source,
        file: r.file,
        rows: r.rowsLoaded,
        importSeconds: r.importSeconds,
        childWallSeconds: wall,
        peakRssBytes: r.peakRssBytes,
        peakRssFrom: r.peakRssFrom,
        footprintBytes: r.footprintBytes,
        decompressChildPeakBytes: r.decompressChildPeakBytes,
        rssBeforeImportBytes: r.rssBeforeImportBytes,
        decompressSeconds: r.decompressSeconds,
      });
    });
  });
}

async function measureMemory({ data, progress }: BenchContext): Promise<MemoryBench | Skipped> {
  progress('memory: child with an empty store');
  const baseline = await runChild([]);
  if (baseline.error) return { skipped: `the reference child failed: ${baseline.error}` };
  const imports: MemoryBench['imports'] = [];
  for (const { source, file } of IMPORTS) {
    // One missing file skips its own row only: the other imports' peaks are still worth having.
    const absent = data.missing([file]);
    if (absent) {
      imports.push({ source, file, ...absent });
      continue;
    }
    progress(`memory: child importing ${path.basename(file)}`);
    const row = await runChild([source, data.file(file)]);
    imports.push({ ...row, source, file });
  }
  return { baseline, imports };
}

function printMemory(r: MemoryBench | Skipped): string[] {
  const title = '3. Peak memory per import';
  if (isSkipped(r)) return [title, `  skipped: ${r.skipped}`];
  const base = r.baseline.peakRssBytes;
  const rows: string[][] = [
    [
      'reference: open an empty store',
      '',
      '',
      '',
      fmtS(r.baseline.childWallSeconds),
      fmtMB(base),
      '',
      fmtX(1),
    ],
  ];
  const notes: string[] = [];
  for (const m of r.imports) {
    if (isSkipped(m)) {
      rows.push([m.source, path.basename(m.file), '', '', '', 'skipped', '', '']);
      notes.push(`  skipped ${m.source}: ${m.skipped}`);
      continue;
    }
    if (m.error) {
      rows.push([m.source ?? '', path.basename(m.file ?? ''), '', '', '', 'failed', '', '']);
      notes.push(`  failed ${m.source}: ${m.error}`);
      continue;
    }
    rows.push([
      m.source ?? '',
      path.basename(m.file ?? ''),
      fmtInt(m.rows),
      fmtS(m.importSeconds),
      fmtS(m.childWallSeconds),
      fmtMB(m.footprintBytes),
      `+${fmtMB(m.footprintBytes - base)}`,
      fmtX(m.footprintBytes / base),
    ]);
    if (m.decompressChildPeakBytes > 0)
      notes.push(
        `  ${m.source}: import process peak ${fmtMB(m.peakRssBytes)}; its bzip2 child peaked at ${fmtMB(m.decompressChildPeakBytes)} while the import process held ${fmtMB(m.rssBeforeImportBytes)}: peak = max(${fmtMB(m.peakRssBytes)}, ${fmtMB(m.rssBeforeImportBytes)} + ${fmtMB(m.decompressChildPeakBytes)})`,
      );
  }
  return [
    `${title}: one child process each (node --import tsx bench/import-one.ts), a fresh on-disk store, peak RSS from ${r.baseline.peakRssFrom}`,
    ...table(
      [
        'import',
        'file',
        ' rows',
        ' importFile',
        ' child wall',
        ' peak memory',
        ' over reference',
        ' vs reference',
      ],
      rows,
    ),
    ...notes,
  ];
}

export function benchMemory(ctx: BenchContext): Promise<Section<MemoryBench>> {
  return section(ctx, 'memory', () => measureMemory(ctx), printMemory);
}
