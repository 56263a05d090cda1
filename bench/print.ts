/**
 * How `npm run bench` writes its figures: the number formats and the plain-text table every section
 * uses. They live apart from the benchmarks so that every section rounds and aligns the same way, and a
 * figure printed today can be compared character for character with one printed before.
 * @module
 */

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
/** Seconds: three decimals below 10 s, two above, so short runs keep their milliseconds. */
export const fmtS = (s: number) => `${s.toFixed(s < 10 ? 3 : 2)} s`;
export const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
export const fmtMB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** A ratio against a reference measured in the same run. */
export const fmtX = (ratio: number) => `${ratio.toFixed(2)}×`;

/** The word every "goal: …" line and the Goals table end with. */
export const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');

/** A plain-text table; columns whose header starts with a space are right-aligned. */
export function table(head: string[], rows: string[][]): string[] {
  const right = head.map((h) => h.startsWith(' '));
  const cells = [head.map((h) => h.trim()), ...rows];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].map(
    (l) => `  ${l}`,
  );
}

/**
 * Writes a block of lines and a blank line to stdout, or nothing at all with `--json`: stdout then
 * carries the JSON document alone, and progress stays on stderr either way.
 */
export function emitter(json: boolean): (lines: string[]) => void {
  return (lines) => {
    if (!json) process.stdout.write(`${lines.join('\n')}\n\n`);
  };
}
