/**
 * The PDF printer a worker keeps open between reports (`src/web/reports/pdf-printer.ts`), on Debian's
 * Chromium started through a wrapper that records each launch's process id: one browser prints a queue
 * of pages, each PDF holding its own page's text and none of the page before; prints asked at once come
 * back each with its own page; an idle printer closes its browser, and a browser killed with SIGKILL is
 * replaced at the next print; without Chromium the printer says how to install it.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/error.js';
import { openPdfPrinter, type PrintOptions } from '../../src/web/reports/pdf-printer.js';
import { CHROMIUM, haveChromium } from '../web/chromium.js';
import { havePoppler, run } from './poppler.js';

const options = (title: string): PrintOptions => ({
  headerTemplate: '<span></span>',
  footerTemplate: '<span></span>',
  metadata: {
    title,
    subject: `subject of ${title}`,
    keywords: [`marco-run-hash:${title}`],
    language: 'en',
    creator: 'Marco',
    producer: 'Marco (test)',
  },
});

/** Whether the process `pid` is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe.runIf(haveChromium && havePoppler)('the PDF printer kept open between reports', () => {
  let dir: string;
  let pids: string;
  const before = process.env.MARCO_CHROMIUM;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-pdf-printer-'));
    pids = path.join(dir, 'launches');
    const wrapper = path.join(dir, 'chromium');
    await writeFile(wrapper, `#!/bin/sh\necho $$ >> '${pids}'\nexec '${CHROMIUM}' "$@"\n`);
    await chmod(wrapper, 0o755);
    process.env.MARCO_CHROMIUM = wrapper;
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.MARCO_CHROMIUM;
    else process.env.MARCO_CHROMIUM = before;
    await rm(dir, { recursive: true, force: true });
  });

  const launches = async () =>
    (await readFile(pids, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);

  async function text(pdf: Uint8Array, name: string): Promise<string> {
    const file = path.join(dir, `${name}.pdf`);
    await writeFile(file, pdf);
    return (await run('pdftotext', [file, '-'])).stdout;
  }

  async function info(pdf: Uint8Array, name: string): Promise<string> {
    const file = path.join(dir, `${name}.pdf`);
    await writeFile(file, pdf);
    return (await run('pdfinfo', [file])).stdout;
  }

  it('prints a queue of pages with one browser, each PDF with its own text only', async () => {
    await rm(pids, { force: true });
    const printer = openPdfPrinter();
    try {
      const pages = ['Ciudad Juárez 118.4', 'Culiacán 61.2', 'Tijuana 105.3'];
      const texts: string[] = [];
      for (const [i, body] of pages.entries()) {
        const pdf = await printer.print(`<h1>${body}</h1>`, options(`report ${i}`));
        expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
        texts.push(await text(pdf, `queue-${i}`));
        const meta = await info(pdf, `queue-${i}`);
        expect(meta).toMatch(new RegExp(`Title:\\s+report ${i}`));
        expect(meta).toMatch(new RegExp(`Keywords:\\s+marco-run-hash:report ${i}`));
      }
      texts.forEach((t, i) => {
        expect(t).toContain(pages[i]);
        for (const [j, other] of pages.entries()) if (j !== i) expect(t).not.toContain(other);
      });
      expect(await launches()).toHaveLength(1);
    } finally {
      await printer.close();
    }
    const [pid] = await launches();
    expect(await until(() => !alive(pid!), 5_000)).toBe(true);
  }, 60_000);

  it('answers prints asked at once each with its own page', async () => {
    const printer = openPdfPrinter();
    try {
      const bodies = Array.from({ length: 4 }, (_, i) => `Municipio ${i + 1}: ${(i + 1) * 11} homicidios`);
      const pdfs = await Promise.all(
        bodies.map((b, i) => printer.print(`<p>${b}</p>`, options(`at once ${i}`))),
      );
      for (const [i, pdf] of pdfs.entries()) {
        const t = await text(pdf, `once-${i}`);
        expect(t).toContain(bodies[i]);
        for (const [j, other] of bodies.entries()) if (j !== i) expect(t).not.toContain(other);
      }
    } finally {
      await printer.close();
    }
  }, 60_000);

  it('closes an idle browser, and replaces one killed with SIGKILL at the next print', async () => {
    await rm(pids, { force: true });
    const printer = openPdfPrinter({ idleMs: 300 });
    try {
      await printer.print('<p>first</p>', options('first'));
      const [first] = await launches();
      expect(alive(first!)).toBe(true);
      // Idle past its limit: the browser is closed.
      expect(await until(() => !alive(first!), 5_000)).toBe(true);

      expect(await text(await printer.print('<p>second</p>', options('second')), 'second')).toContain(
        'second',
      );
      const second = (await launches())[1]!;
      expect(second).not.toBe(first);
      process.kill(second, 'SIGKILL');
      expect(await until(() => !alive(second), 5_000)).toBe(true);

      expect(await text(await printer.print('<p>third</p>', options('third')), 'third')).toContain('third');
      expect(await launches()).toHaveLength(3);
    } finally {
      await printer.close();
    }
  }, 60_000);

  it('says how to install Chromium when it is missing', async () => {
    process.env.MARCO_CHROMIUM = path.join(dir, 'no-chromium-here');
    const printer = openPdfPrinter();
    try {
      const error = await printer.print('<p>x</p>', options('x')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(503);
      expect((error as HttpError).code).toBe('chromium_missing');
    } finally {
      process.env.MARCO_CHROMIUM = path.join(dir, 'chromium');
      await printer.close();
    }
  });
});
