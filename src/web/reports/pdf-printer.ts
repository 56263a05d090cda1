/**
 * PDFs printed in a thread of their own by a Chromium kept open: Debian's Chromium through
 * playwright-core (never a downloaded browser), each page in a fresh, offline context with scripts off
 * and every network request refused, then its metadata written by pdf-lib (pure JavaScript: Chromium
 * writes only a title).
 *
 * Why a thread: a server makes reports in the same process as it answers requests. Driving Chromium
 * and rewriting the PDF took 50 to 100 ms of the event loop per report, in pieces long enough to
 * double the p95 of the requests waiting behind them; in a worker thread they wait for nobody.
 *
 * Why one Chromium kept open: starting and stopping it costs about as much as printing a report, so a
 * worker making a queue of reports reuses it; after `idleMs` without a print the thread closes the
 * browser and ends, so a server that made one report an hour ago holds no browser in memory. A
 * browser or thread that died is started again at the next print.
 * @module
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { HttpError } from '../../error.js';

/** Debian's Chromium, or the one `MARCO_CHROMIUM` names. */
export const chromiumPath = () => process.env.MARCO_CHROMIUM ?? '/usr/bin/chromium';

/** What a PDF's document information says (the report's title, its run hash and vintages). */
export interface PdfMetadata {
  title: string;
  subject: string;
  keywords: string[];
  language: string;
  creator: string;
  producer: string;
}

/** How a page is printed: its running header and footer, and the metadata written after. */
export interface PrintOptions {
  headerTemplate: string;
  footerTemplate: string;
  metadata: PdfMetadata;
}

export interface PdfPrinter {
  /** The self-contained HTML `page` printed to PDF bytes. */
  print(page: string, options: PrintOptions): Promise<Uint8Array>;
  /** Closes the browser and its thread, if open; a later print opens them again. */
  close(): Promise<void>;
}

/** How many reports one Chromium prints before the thread starts a fresh one. */
const PAGES_PER_BROWSER = 200;

/**
 * The thread (CommonJS, evaluated): launches Chromium at its first page with one offline tab, scripts
 * off and every request refused, and prints in that tab each page it is sent, one at a time (Letter,
 * margins for the running header and footer, tagged, with an outline of the headings). A tab reused
 * costs a fifth of the CPU of a tab per report (a renderer process started each time). It writes the
 * metadata and answers with the bytes (transferred, not copied). After `pagesPerTab` pages, or when the
 * browser died, it starts a fresh browser; on `close` it closes the browser and lets the thread end.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { chromium } = require(workerData.playwright);
const { PDFDocument } = require(workerData.pdfLib);
let tab;
let printed = 0;
async function open() {
  if (tab && !tab.isClosed() && printed < workerData.pagesPerTab) return tab;
  if (tab) await tab.context().browser().close().catch(() => undefined);
  const browser = await chromium.launch({ executablePath: workerData.executable });
  const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
  await context.route('**/*', (route) => route.abort());
  tab = await context.newPage();
  printed = 0;
  return tab;
}
async function print({ page, headerTemplate, footerTemplate, metadata: m }) {
  const t = await open();
  printed++;
  try {
    await t.setContent(page, { waitUntil: 'load' });
  } catch (error) {
    await t.context().browser().close().catch(() => undefined);
    tab = undefined;
    throw error;
  }
  const pdf = await t.pdf({
    format: 'Letter', printBackground: true, displayHeaderFooter: true, headerTemplate, footerTemplate,
    margin: { top: '22mm', bottom: '16mm', left: '15mm', right: '15mm' }, tagged: true, outline: true,
  });
  // The next page replaces this one whole: nothing of one report stays in the tab for the next.
  await t.setContent('', { waitUntil: 'load' }).catch(() => undefined);
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(m.title, { showInWindowTitleBar: true });
  doc.setSubject(m.subject);
  doc.setKeywords(m.keywords);
  doc.setLanguage(m.language);
  doc.setCreator(m.creator);
  doc.setProducer(m.producer);
  return doc.save();
}
let queue = Promise.resolve();
parentPort.on('message', (message) => {
  queue = queue.then(async () => {
    if (message.close) {
      if (tab) await tab.context().browser().close().catch(() => undefined);
      tab = undefined;
      parentPort.close();
      return;
    }
    try {
      const bytes = await print(message);
      parentPort.postMessage({ id: message.id, bytes }, [bytes.buffer]);
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
    }
  });
});`;

/** Fails with the message that says how to install Chromium when it is not at its path. */
async function executable(): Promise<string> {
  const file = chromiumPath();
  try {
    await access(file);
  } catch {
    throw new HttpError(503, 'chromium_missing', { key: 'reports.noChromium', values: { path: file } });
  }
  return file;
}

/** A print sent to the thread, not yet answered. */
interface Waiting {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

/** A thread printing pages, and the prints it owes. */
interface Thread {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

/** A printer whose thread and browser stay open between prints, until `idleMs` pass without one. */
export function openPdfPrinter({ idleMs = 15_000 }: { idleMs?: number } = {}): PdfPrinter {
  const require = createRequire(import.meta.url);
  let thread: Thread | undefined;
  let next = 0;
  let idle: NodeJS.Timeout | undefined;

  const start = (file: string): Thread => {
    const worker = new Worker(THREAD, {
      eval: true,
      workerData: {
        executable: file,
        playwright: require.resolve('playwright-core'),
        pdfLib: require.resolve('pdf-lib'),
        pagesPerTab: PAGES_PER_BROWSER,
      },
    });
    const started: Thread = { worker, waiting: new Map() };
    const fail = (error: Error) => {
      for (const w of started.waiting.values()) w.reject(error);
      started.waiting.clear();
    };
    worker.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
      const w = started.waiting.get(m.id);
      started.waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.bytes!);
      if (started.waiting.size === 0 && thread === started) {
        // Idle, the thread keeps no process alive; a process that ends closes Chromium's pipe, and
        // Chromium with it.
        worker.unref();
        idle = setTimeout(() => void close(), idleMs);
        idle.unref();
      }
    });
    worker.on('error', fail);
    worker.on('exit', () => {
      if (thread === started) thread = undefined;
      fail(new HttpError(503, 'pdf_printer_stopped', { key: 'reports.printerStopped', values: {} }));
    });
    return started;
  };

  const close = async () => {
    if (idle) clearTimeout(idle);
    idle = undefined;
    const open = thread;
    thread = undefined;
    if (!open) return;
    const ended = new Promise<void>((resolve) => open.worker.once('exit', () => resolve()));
    open.worker.postMessage({ close: true });
    // A browser that does not close in time ends with its thread.
    const late = setTimeout(() => void open.worker.terminate(), 10_000);
    await ended;
    clearTimeout(late);
  };

  return {
    async print(page, options) {
      if (idle) clearTimeout(idle);
      idle = undefined;
      const file = thread ? undefined : await executable();
      const current = (thread ??= start(file!));
      const id = next++;
      current.worker.ref();
      return new Promise<Uint8Array>((resolve, reject) => {
        current.waiting.set(id, { resolve, reject });
        current.worker.postMessage({ id, page, ...options });
      });
    },
    close,
  };
}
