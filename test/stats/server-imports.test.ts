/**
 * Imports through a running server: `marco import --server` uploads to `POST /api/v1/imports`, which
 * imports on a second connection while reads go on, and refuses what it must, changing nothing.
 */
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMarco } from '../fixtures/run-marco.js';
import { EXIT } from '../../src/error.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { tokenFor } from '../server/example-app.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const MUNICIPAL = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');

(STATE && MUNICIPAL ? describe : describe.skip)('imports through a running server', () => {
  let dir: string;
  /** The CLI in process, on a data directory of its own: with --server it uploads and opens no store. */
  const marco = (...args: string[]) => runMarco(path.join(dir, 'client'), ...args);
  let records: RecordsStore;
  let stats: StatsStore;
  let server: ServerType;
  let url: string;
  let token: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-server-import-'));
    records = await openRecords({ memory: true });
    await loadBuiltins(records, 'test');
    stats = await openStats({ dataDir: dir });
    token = await tokenFor(records, { user: 'ana', country: 'MX', agency: 'SSPC' });
    const app = createApp({ store: records, stats, version: 'test', maxImportBytes: 5_000_000 });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    stats?.close();
    await records?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const counts = async () =>
    (
      await stats.all<{ vintages: number; rejects: number; obs: number }>(
        `select (select count(*) from vintages) as vintages, (select count(*) from rejects) as rejects, (select count(*) from observations) as obs`,
      )
    )[0]!;

  it('imports a file sent by `marco import --server`, recording its own name in the vintage', async () => {
    const r = await marco(
      'import',
      'inegi-homicides-state',
      STATE!,
      '--server',
      url,
      '--token',
      token,
      '--json',
    );
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const [report] = JSON.parse(r.stdout) as { status: string; rowsLoaded: number; file: string }[];
    expect(report).toMatchObject({
      status: 'imported',
      rowsLoaded: (await sharedLines(STATE!)).length - 1,
      file: path.basename(STATE!),
    });
    const [vintage] = await stats.all<{ file_name: string; marco_version: string }>(
      `select file_name, marco_version from vintages`,
    );
    expect(vintage).toEqual({ file_name: path.basename(STATE!), marco_version: 'test' });
    // The same file again is a no-op.
    const again = await marco('import', 'inegi-homicides-state', STATE!, '--server', url, '--token', token);
    expect(again.stdout).toMatch(/already imported as vintage 1/);
  });

  it('keeps answering reads, from committed data only, while an import runs', async () => {
    const series = () => fetch(`${url}/api/v1/series?measure=homicides&geo=08&from=2019&to=2019`);
    const before = (await (await series()).json()) as {
      series: { source: string; points: { value: number }[] }[];
    };
    const importing = marco(
      'import',
      'inegi-homicides-municipal',
      MUNICIPAL!,
      '--server',
      url,
      '--token',
      token,
    );
    const answers = await Promise.all(Array.from({ length: 10 }, () => series().then((r) => r.json())));
    expect(answers).toHaveLength(10);
    for (const a of answers as (typeof before)[])
      // Chihuahua 2019 is published by the state file whether or not the municipal import has committed.
      expect(a.series[0]!.points[0]!.value).toBe(before.series[0]!.points[0]!.value);
    expect((await importing).code).toBe(EXIT.ok);
    const after = (await (
      await fetch(`${url}/api/v1/series?measure=homicides&geo=08001&from=2019&to=2019`)
    ).json()) as {
      series: { points: unknown[] }[];
    };
    expect(after.series[0]!.points).toHaveLength(1);
  }, 60_000);

  it('refuses a missing token, a wrong file, an oversized file and a wrong content type, changing nothing', async () => {
    const before = await counts();
    const noToken = await marco('import', 'inegi-homicides-state', STATE!, '--server', url);
    expect(noToken.code).toBe(EXIT.invalid);
    expect(noToken.stderr).toMatch(/needs an API token/);
    const badToken = await marco(
      'import',
      'inegi-homicides-state',
      STATE!,
      '--server',
      url,
      '--token',
      'nope',
    );
    expect(badToken.code).toBe(EXIT.conflict);

    const wrong = await marco('import', 'cdc-vsrr-overdose', STATE!, '--server', url, '--token', token);
    expect(wrong.code).toBe(EXIT.invalid);
    // The message names the file as the client knows it, not the server's temporary copy.
    expect(wrong.stderr).toContain(
      `${path.basename(STATE!)}:1: the header does not match any layout of cdc-vsrr-overdose`,
    );
    expect(wrong.stderr).not.toMatch(/marco-upload-/);

    const big = path.join(dir, 'big.csv');
    await writeFile(
      big,
      `cve_ent|year|month|homicides|pop_est|homicide_rate\n${'01|2020|1|5|1|1\n'.repeat(400_000)}`,
    );
    const tooBig = await marco('import', 'inegi-homicides-state', big, '--server', url, '--token', token);
    expect(tooBig.code).toBe(EXIT.invalid);
    expect(tooBig.stderr).toMatch(/above this server's limit of 5,000,000/);

    const json = await fetch(`${url}/api/v1/imports?source=inegi-homicides-state`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    // A parameter the source does not take is the API's 400, not the CLI's error code.
    const param = await fetch(`${url}/api/v1/imports?source=inegi-homicides-state&param=nope:1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(param.status).toBe(400);
    expect(((await param.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    const unknown = await marco(
      'import',
      'inegi-homicides-state',
      STATE!,
      '--server',
      'not a url',
      '--token',
      token,
    );
    expect(unknown.code).toBe(EXIT.invalid);
    expect(await counts()).toEqual(before);
  });
  it('removes the temporary file of an upload the client aborts, importing nothing', async () => {
    const before = await counts();
    const uploads = async () => (await readdir(os.tmpdir())).filter((n) => n.startsWith('marco-upload-'));
    const existing = new Set(await uploads());
    const controller = new AbortController();
    let sent = 0;
    const chunk = new TextEncoder().encode('01|2020|1|5|1|1\n'.repeat(4096));
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent === 0)
          c.enqueue(new TextEncoder().encode('cve_ent|year|month|homicides|pop_est|homicide_rate\n'));
        sent += chunk.length;
        c.enqueue(chunk);
        // Abort once the server has started writing the upload to its temporary file.
        if (sent > 1_000_000) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          controller.abort();
        }
      },
    });
    await fetch(`${url}/api/v1/imports?source=inegi-homicides-state&file_name=aborted.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit).catch((error: Error) => expect(error.name).toBe('AbortError'));
    // The server notices the closed connection, and cleans up.
    for (let i = 0; i < 50 && (await uploads()).some((n) => !existing.has(n)); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await uploads()).filter((n) => !existing.has(n))).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});
