/**
 * Progress of a long command, as clig.dev asks: a bar with its percentage redrawn in place when
 * standard error is a terminal (`cli-progress`), nothing in a pipe or a log unless `--progress` asks,
 * and then a line at every tenth of the way; never with `--quiet`, nor with `--json` unless `--progress`
 * asks. Shown on stderr, so
 * stdout keeps only the command's answer. A step may carry a note (the file and stage of an import),
 * and a total may be unknown (a download without a length): the bar then shows the count alone.
 * @module
 */
import cliProgress from 'cli-progress';
import { formatNumber, type Locale } from '../i18n/index.js';

/** Where progress goes: stderr, with whether it is a terminal and whether `--quiet` silences it. */
export interface Terminal {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
  quiet?: boolean;
}

export interface ProgressOptions {
  stream: Terminal;
  locale: Locale;
  /** What is counted: files, rows, bytes. */
  label: string;
  /** `--progress` (lines even off a terminal), `--json` or `--quiet` (none). */
  progress?: boolean | undefined;
  quiet?: boolean | undefined;
  /** How a count prints: a number (the default) or megabytes. */
  unit?: 'count' | 'bytes';
  /**
   * Off a terminal, the line written at each update, if any (the default: one at every tenth of the
   * way).
   */
  line?: (done: number, total: number, note?: string) => string | undefined;
}

export interface Progress {
  /** `total` null or 0: not known yet. `note`: what is being done now. */
  update(done: number, total: number | null, note?: string): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** Off a terminal with an unknown total: a line at every this many units. */
const UNKNOWN_STEP = { count: 10_000, bytes: 10e6 };

/** A progress display on `o.stream`; see the module documentation. */
export function progressOf(o: ProgressOptions): Progress {
  // --quiet silences everything; --json only the bar nobody asked for (an explicit --progress stays).
  if (o.stream.quiet || (o.quiet && o.progress !== true)) return NONE;
  const unit = o.unit ?? 'count';
  const n = (x: number) =>
    unit === 'bytes'
      ? `${formatNumber(o.locale, x / 1e6, { maximumFractionDigits: 1 })} MB`
      : formatNumber(o.locale, x);
  const tty = o.stream.isTTY === true;
  if (tty && o.progress !== false) return terminalBar(o, n);
  if (o.progress !== true) return NONE;
  const { line } = o;
  if (line)
    return {
      update(done, total, note) {
        const text = line(done, total ?? 0, note);
        if (text !== undefined) o.stream.write(`${text}\n`);
      },
      stop: () => undefined,
    };
  let lastStep = -1;
  return {
    update(done, total, note) {
      const known = total !== null && total > 0;
      const step = known ? Math.floor((10 * done) / total) : Math.floor(done / UNKNOWN_STEP[unit]);
      if (step <= lastStep) return;
      lastStep = step;
      const tail = note ? ` ${note}` : '';
      o.stream.write(
        known
          ? `${o.label} ${Math.round((100 * done) / total)}% (${n(done)}/${n(total)})${tail}\n`
          : `${o.label} ${n(done)}${tail}\n`,
      );
    },
    stop: () => undefined,
  };
}

/** The bar redrawn in place, at most ten times a second: a bar is for a person, not a log. */
function terminalBar(o: ProgressOptions, n: (x: number) => string): Progress {
  const withTotal = cliProgress.Format.Formatter;
  const bar = new cliProgress.SingleBar({
    stream: o.stream as unknown as NodeJS.WritableStream,
    format: (options, params, payload: { done: string; all: string; note: string; known: boolean }) =>
      payload.known
        ? withTotal(
            { ...options, format: `${o.label} [{bar}] {percentage}% | {done}/{all}{note}` },
            params,
            payload,
          )
        : `${o.label} ${payload.done}${payload.note}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    clearOnComplete: false,
    fps: 10,
  });
  let started = false;
  return {
    update(done, total, note) {
      const known = total !== null && total > 0;
      const payload = { done: n(done), all: known ? n(total) : '', note: note ? ` ${note}` : '', known };
      // An unknown total: the bar's own total follows the count, so that cli-progress never divides by 0.
      const size = known ? total : Math.max(done, 1);
      if (!started) {
        bar.start(size, done, payload);
        started = true;
      } else {
        if (bar.getTotal() !== size) bar.setTotal(size);
        bar.update(done, payload);
      }
    },
    stop: () => started && bar.stop(),
  };
}
