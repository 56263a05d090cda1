/**
 * A network file read and checked, before anything is written: its text (decompressed, UTF-8 or, when
 * that fails, Latin-1; a byte-order mark dropped), its rows with their lines, and every row that is
 * wrong with its line, column, value and reason. A groups file: node ids given once each, a name, a
 * state Marco knows. A ties file: an edge id given once, both ends among the groups in force and not
 * the same group, the names matching those groups, a weight that is a number and not negative, and no
 * pair of groups tied twice in one direction.
 * @module
 */
import { gunzipSync } from 'node:zlib';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { decompressToTemp, sniff } from '../file-reading.js';
import { DataError, type RejectedRow } from '../import-report.js';
import { rejectReason } from '../reject-reasons.js';
import { nearestStates, stateCode } from './state-names.js';

export type TieKind = 'alliance' | 'rivalry';

export interface GroupRow {
  line: number;
  node: string;
  name: string;
  shortName: string | null;
  state: string;
  stateName: string;
}

export interface TieRow {
  line: number;
  edge: string;
  source: string;
  target: string;
  weight: number;
}

/** The text of `file`, decompressed when it is gzip, bzip2 or a zip of one CSV. */
export async function networkText(file: string): Promise<string> {
  const compression = await sniff(file);
  let bytes: Buffer;
  if (compression === 'bzip2' || compression === 'zip') {
    const out = await decompressToTemp(file, compression);
    try {
      bytes = await readFile(out.path);
    } finally {
      await rm(path.dirname(out.path), { recursive: true, force: true });
    }
  } else {
    bytes = await readFile(file);
    if (compression === 'gzip') {
      try {
        bytes = gunzipSync(bytes);
      } catch (error) {
        throw new DataError({
          key: 'imports.gzipDamaged',
          values: { file, reason: (error as Error).message },
        });
      }
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  return text.replace(/^\uFEFF/, '');
}

/** The data rows of `text` as lists of trimmed cells, each with its line (the header is line 1). */
export function networkRows(text: string, file: string, layout: string): { line: number; cells: string[] }[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      from_line: 2,
    }) as unknown as typeof parsed;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new DataError({
      key: 'imports.cannotRead',
      values: { file: `${file}:${e.lines ?? 1}`, layout, reason: e.message },
    });
  }
  return parsed.map((p) => ({ line: p.info.lines, cells: p.record.map((c) => c.trim()) }));
}

/** The kind of a ties file: as `--param ties` says, or by its name when that is `auto`. */
export function tieKindOf(file: string, param: string | undefined): TieKind {
  if (param === 'alliance' || param === 'rivalry') return param;
  const name = path.basename(file).toLowerCase();
  if (/allian|alianz/.test(name)) return 'alliance';
  if (/rival/.test(name)) return 'rivalry';
  throw new DataError({ key: 'imports.network.tiesKind', values: { file } });
}

/** The groups of a groups file, and its wrong rows. */
export function checkGroups(
  rows: { line: number; cells: string[] }[],
  file: string,
): { groups: GroupRow[]; rejects: RejectedRow[] } {
  const groups: GroupRow[] = [];
  const rejects: RejectedRow[] = [];
  const seen = new Map<string, number>();
  const reject = (line: number, column: string, value: string | null, reason: string) =>
    rejects.push({ file, line, column, value, reason });
  for (const { line, cells } of rows) {
    const [node = '', name = '', stateName = '', shortName = ''] = cells;
    if (node === '') {
      reject(line, 'Node', node, rejectReason('emptyNodeId'));
      continue;
    }
    if (seen.has(node)) {
      reject(line, 'Node', node, `${rejectReason('duplicateNode')} ${seen.get(node)}`);
      continue;
    }
    seen.set(node, line);
    if (name === '') {
      reject(line, 'Group', name, rejectReason('emptyGroupName'));
      continue;
    }
    const state = stateCode(stateName);
    if (state === undefined) {
      reject(
        line,
        'State',
        stateName,
        `${rejectReason('unknownState')}: ${nearestStates(stateName).join(', ')}`,
      );
      continue;
    }
    groups.push({ line, node, name, shortName: shortName === '' ? null : shortName, state, stateName });
  }
  return { groups, rejects };
}

/** The ties of a ties file between `groups` (node id to name), and its wrong rows. */
export function checkTies(
  rows: { line: number; cells: string[] }[],
  file: string,
  groups: ReadonlyMap<string, string>,
): { ties: TieRow[]; rejects: RejectedRow[] } {
  const ties: TieRow[] = [];
  const rejects: RejectedRow[] = [];
  const edges = new Map<string, number>();
  const pairs = new Map<string, number>();
  const reject = (line: number, column: string, value: string | null, reason: string) =>
    rejects.push({ file, line, column, value, reason });
  for (const { line, cells } of rows) {
    const [edge = '', source = '', sourceName = '', target = '', targetName = '', weightText = ''] = cells;
    if (edge === '') {
      reject(line, 'Edge', edge, rejectReason('emptyEdgeId'));
      continue;
    }
    if (edges.has(edge)) {
      reject(line, 'Edge', edge, `${rejectReason('duplicateEdge')} ${edges.get(edge)}`);
      continue;
    }
    edges.set(edge, line);
    const ends: [string, string, string, string][] = [
      ['Node', source, 'Group', sourceName],
      ['RNode', target, 'RGroup', targetName],
    ];
    let bad = false;
    for (const [column, id, nameColumn, name] of ends) {
      const known = groups.get(id);
      if (known === undefined) {
        reject(line, column, id, rejectReason('unknownNode'));
        bad = true;
      } else if (name !== '' && name !== known) {
        reject(line, nameColumn, name, `${rejectReason('groupNameMismatch')} ${JSON.stringify(known)}`);
        bad = true;
      }
    }
    if (bad) continue;
    if (source === target) {
      reject(line, 'RNode', target, rejectReason('selfTie'));
      continue;
    }
    const weight = /^\d+(\.\d+)?$/.test(weightText) ? Number(weightText) : Number.NaN;
    if (!Number.isFinite(weight)) {
      const negative = /^-\s*\d/.test(weightText);
      reject(line, 'weight', weightText, rejectReason(negative ? 'negativeWeight' : 'notAWeight'));
      continue;
    }
    const pair = `${source}\u0000${target}`;
    if (pairs.has(pair)) {
      reject(line, 'RNode', target, `${rejectReason('duplicatePair')} ${pairs.get(pair)}`);
      continue;
    }
    pairs.set(pair, line);
    ties.push({ line, edge, source, target, weight });
  }
  return { ties, rejects };
}
