/**
 * The bulk results exchange through the API, on each store: a Mexican reporter exports the results as
 * CSV, edits a comment and adds a result, and a dry run reports what the import would do and writes
 * nothing; the import does it, in one audited transaction; and the export that follows is the edited
 * file, byte for byte. JSON imports the same way. Each bad input is refused with a problem and changes
 * nothing: a wrong header (422, at line 1), a row for an indicator the importer does not report (409), a
 * duplicate row, an unknown period, a row in a locked period, a body of another type (415).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../src/server/app.js';
import { exchangeCsv, exchangeJson } from '../../src/monitoring/results-exchange/export.js';
import { readExchangeCsv, type ExchangeRow } from '../../src/monitoring/results-exchange/format.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { exampleApp, tokenFor } from '../server/example-app.js';

describe.each(STORE_KINDS)('bulk results exchange on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let mx = '';
  let mxAdmin = '';
  beforeAll(async () => {
    ({ store, app, mx } = await exampleApp(kind));
    mxAdmin = await tokenFor(store, { user: 'alma', country: 'MX', agency: 'SSPC' }, ['admin']);
  });
  afterAll(() => store?.dispose());

  const exported = async () => {
    const res = await app.request('/api/v1/results.csv', { headers: { authorization: `Bearer ${mx}` } });
    expect(res.status).toBe(200);
    return res.text();
  };
  const post = (body: string, query = '', type = 'text/csv') =>
    app.request(`/api/v1/results/imports${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mx}`, 'content-type': type },
      body,
    });
  type Summary = { dryRun: boolean; rows: number; imported: number; updated: number; ignored: number };
  type Problem = {
    code: string;
    detail: string;
    error: { details: { summary: { conflicts: { reason: string; where: string }[] } } };
  };

  it('round-trips: export, edit, dry run, import, and the export is the edited file', async () => {
    const before = await exported();
    const rows = readExchangeCsv(before, 'export.csv');
    expect(rows.length).toBeGreaterThan(3);
    // One Mexican result whose period is open: its comment changes.
    const listed = (await (
      await app.request('/api/v1/results?status=draft', { headers: { authorization: `Bearer ${mx}` } })
    ).json()) as { indicator: string; period: string; place: string; country: string; agency: string }[];
    const mine = listed.find((r) => r.country === 'MX' && r.agency === 'SSPC')!;
    expect(mine).toBeDefined();
    const sheet = (await (await app.request('/api/v1/indicators/EX-HOM-RATE-08')).json()) as {
      factor: number;
    };
    const added: ExchangeRow = {
      indicator: 'EX-HOM-RATE-08',
      period: '2019',
      place: '08',
      disaggregation: { sex: 'female' },
      value: (250 / 1_900_000) * sheet.factor,
      numerator: 250,
      denominator: 1_900_000,
      comment: 'INEGI, deaths by place of occurrence',
      evidence: null,
      where: '',
    };
    const edited = exchangeCsv([
      ...rows.map((r) =>
        r.indicator === mine.indicator && r.period === mine.period && r.place === mine.place
          ? { ...r, comment: 'checked against the state registry, 3 June' }
          : r,
      ),
      added,
    ]);
    expect(edited).not.toBe(before);

    const counts = await countRows(store);
    const dry = await post(edited, '?dry_run=true');
    expect(dry.status).toBe(200);
    const planned = (await dry.json()) as Summary;
    expect(planned).toMatchObject({ dryRun: true, rows: rows.length + 1, imported: 1, updated: 1 });
    expect(planned.ignored).toBe(rows.length - 1);
    expect(await countRows(store)).toEqual(counts);
    expect(await exported()).toBe(before);

    const done = await post(edited);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ ...planned, dryRun: false });
    const after = await countRows(store);
    expect(after.results).toBe(counts.results! + 1);
    expect(after.audit_log).toBe(counts.audit_log! + 2);
    expect(await exported()).toBe(edited);

    // The same file again changes nothing; as JSON too.
    expect(await (await post(edited)).json()).toMatchObject({
      imported: 0,
      updated: 0,
      ignored: rows.length + 1,
    });
    const again = await post(
      JSON.stringify(exchangeJson(readExchangeCsv(edited, 'e.csv'))),
      '',
      'application/json',
    );
    expect(await again.json()).toMatchObject({ imported: 0, updated: 0, ignored: rows.length + 1 });
    expect(await countRows(store)).toEqual(after);
  });

  it('refuses each bad file with a problem, and writes nothing', async () => {
    const counts = await countRows(store);
    const header = 'indicator,period,place,disaggregation,value,numerator,denominator,comment,evidence';

    const wrong = await post('indicator,periodo,place,value\nEX-HOM-RATE-08,2020,08,1\n', '?lang=es');
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await wrong.json()) as Problem;
    expect(problem.detail).toContain('body:1');
    expect(problem.detail).toContain('columnas desconocidas periodo');

    // EX-ACA-ACCREDITED is an indicator of the United States: a Mexican reporter does not report it.
    const refusals: [string, string][] = [
      [`${header}\nEX-ACA-ACCREDITED,2018-01,MX,,99,,,,\n`, 'not_allowed'],
      [
        `${header}\nEX-HOM-RATE-08,2020,08,sex:male,10,,,,\nEX-HOM-RATE-08,2020,08,sex:male,11,,,,\n`,
        'duplicate',
      ],
      [`${header}\nEX-HOM-RATE-08,2031,08,sex:male,10,,,,\n`, 'unknown_period'],
    ];
    for (const [body, reason] of refusals) {
      const res = await post(body);
      expect(res.status, reason).toBe(409);
      const p = (await res.json()) as Problem;
      expect(p.code).toBe('import_refused');
      expect(p.error.details.summary.conflicts.map((c) => c.reason)).toContain(reason);
      expect(p.error.details.summary.conflicts[0]!.where).toMatch(/^body:\d$/);
    }
    expect((await post(`${header}\n`, '', 'application/xml')).status).toBe(415);
    expect(await countRows(store)).toEqual(counts);

    // A locked period's results no longer change through a bulk file either.
    const lock = await app.request('/api/v1/periods/2018/lock', {
      method: 'POST',
      headers: { authorization: `Bearer ${mxAdmin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ override_reason: 'closing 2018 for the bulk exchange test' }),
    });
    expect(lock.status).toBe(200);
    const locked = await countRows(store);
    const late = await post(`${header}\nEX-HOM-RATE-08,2018,08,sex:male,12,,,,\n`);
    expect(late.status).toBe(409);
    expect(((await late.json()) as Problem).error.details.summary.conflicts[0]!.reason).toBe('period_locked');
    expect(await countRows(store)).toEqual(locked);
  });
});
