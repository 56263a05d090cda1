/**
 * Progress of a long command, as clig.dev asks: a bar with its percentage redrawn in place when
 * standard error is a terminal (`cli-progress`), nothing in a pipe or a log unless `--progress` asks,
 * and then a line at every tenth of the way; never with `--json` or `--quiet`. Shown on stderr, so
 * stdout keeps only the command's answer.
 * @module
 */
import cliProgress from 'cli-progress';
import { formatNumber, type Locale } from '../i18n/index.js';

/** Where progress goes: stderr, with whether it is a terminal. */
export interface Terminal {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  stream: Terminal;
  locale: Locale;
  /** What is counted: files, rows, bytes. */
  label: string;
  /** `--progress` (lines even off a terminal), `--json` or `--quiet` (none). */
  progress?: boolean | undefined;
  quiet?: boolean | undefined;
  /** Off a terminal, the line written at each update (the default: one at every tenth of the way). */
  line?: (done: number, total: number) => string;
}

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** A progress display on `o.stream`; see the module documentation. */
export function progressOf(o: ProgressOptions): Progress {
  if (o.quiet) return NONE;
  const tty = o.stream.isTTY === true;
  if (tty && o.progress !== false) {
    const bar = new cliProgress.SingleBar(
      {
        stream: o.stream as unknown as NodeJS.WritableStream,
        format: `${o.label} [{bar}] {percentage}% | {done}/{all}`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        // A redraw at most every 100 ms: a bar is for a person, not a log.
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const n = (x: number) => formatNumber(o.locale, x);
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, done, { done: n(done), all: n(total) });
          started = true;
        } else bar.update(done, { done: n(done), all: n(total) });
        if (bar.getTotal() !== total) bar.setTotal(total);
      },
      stop: () => started && bar.stop(),
    };
  }
  if (o.progress !== true) return NONE;
  let lastTenth = -1;
  const { line } = o;
  if (line)
    return { update: (done, total) => void o.stream.write(`${line(done, total)}\n`), stop: () => undefined };
  return {
    update(done, total) {
      const tenth = total > 0 ? Math.floor((10 * done) / total) : 0;
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      const percent = total > 0 ? Math.round((100 * done) / total) : 0;
      o.stream.write(
        `${o.label} ${percent}% (${formatNumber(o.locale, done)}/${formatNumber(o.locale, total)})\n`,
      );
    },
    stop: () => undefined,
  };
}
