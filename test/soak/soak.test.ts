/**
 * The soak of `npm run soak`, for 30 seconds: three server processes on one PostgreSQL database serve
 * series, pages and result writes while an import publishes a new statistics generation half-way. No
 * request fails, no answer mixes two generations, the new generation is served, and the writes go on
 * through the publication. (The 10-minute run, with its memory figures, is `npm run soak`.)
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak/soak-run.js';
import { SERVER_URL } from '../generations/postgres-database.js';

(SERVER_URL ? describe : describe.skip)('a 30-second soak of three processes', () => {
  it('serves every request, each from one generation, through a publication', async () => {
    const report = await runSoak({ seconds: 30, processes: 3, clients: 6, serverUrl: SERVER_URL });
    expect(report.errors).toEqual([]);
    for (const kind of ['series', 'page', 'write'] as const) {
      expect(report.kinds[kind].errors, kind).toBe(0);
      expect(report.kinds[kind].requests, kind).toBeGreaterThan(20);
    }
    expect(report.mixed).toBe(0);
    expect(report.generations.after).toBe(report.generations.before + 1);
    expect(report.generations.servedAfter).toBeGreaterThan(10);
    expect(report.memory).toHaveLength(3);
    for (const m of report.memory) expect(m.endMb).toBeGreaterThan(20);
  }, 180_000);
});
