/**
 * The first start, timed: `npm start` on an empty data directory shows real Mexican and U.S. headline
 * numbers in Chromium within 10 s, the same the server's API gives. It runs in the `timing` project, after every other test file
 * and alone (vitest.config.ts), so the clock measures Marco rather than the other test files sharing the
 * machine's cores.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package.js';
import { CHROMIUM, haveChromium } from '../web/chromium.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

(haveChromium ? describe : describe.skip)('the first start in a browser', () => {
  it('shows real Mexican and U.S. headline numbers on an empty data directory within 10 s', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-first-'));
    const port = await freePort();
    // The browser is ready first: the clock measures Marco, from its start to the page.
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    const started = performance.now();
    // `npm start`, as the README's Quick start runs it (its prestart rebuilds what is stale), in a
    // process group of its own so that npm and the server it starts stop together.
    const child = spawn('npm', ['start', '--', '--port', String(port), '--data-dir', dir], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: '' },
      detached: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => c.toString().includes('serving on') && resolve());
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      const seconds = (performance.now() - started) / 1000;
      const headlines = await page.locator('strong.headline').allInnerTexts();
      // Mexico's homicide rate per 100,000 in 2022 and the U.S. synthetic-opioid deaths of 2025: the last
      // whole year of each, as the server's own API gives it.
      const latest = async (query: string, field: 'rate' | 'value') => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/series?${query}`);
        const { series } = (await res.json()) as {
          series: { points: { period: string; partial: boolean; rate: number; value: number }[] }[];
        };
        const point = series[0]!.points.filter((p) => !p.partial).at(-1)!;
        const shown = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(point[field]);
        return [point.period, shown];
      };
      const mx = await latest('measure=homicides&geo=MX&by=year&from=2000&per=100000', 'rate');
      const us = await latest('measure=synthetic_opioid_deaths_12m&geo=US&by=year&from=2015', 'value');
      expect([mx[0], us[0]]).toEqual(['2022', '2025']);
      expect(headlines).toEqual([mx[1], us[1]]);
      expect(Number(headlines[0]!.replace(/,/g, ''))).toBeGreaterThan(10);
      expect(Number(headlines[1]!.replace(/,/g, ''))).toBeGreaterThan(10_000);
      const text = await page.locator('body').innerText();
      expect(text).toContain('2022');
      // It says these are starter data, and how to get the rest.
      expect(text).toContain("These are Marco's starter data");
      expect(text).toContain('npx marco import-dir FOLDER');
      expect(seconds).toBeLessThan(10);
    } finally {
      await browser.close();
      const closed = new Promise((resolve) => child.once('close', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await closed;
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
