/**
 * axe-core in a Playwright page: the ids of the serious and critical accessibility violations it finds.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

let source: Promise<string> | undefined;

export async function seriousViolations(page: Page): Promise<string[]> {
  source ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await source);
  return page.evaluate(async () => {
    const a = (
      globalThis as unknown as {
        axe: { run: (d: unknown) => Promise<{ violations: { id: string; impact: string }[] }> };
      }
    ).axe;
    const r = await a.run((globalThis as unknown as { document: unknown }).document);
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}
