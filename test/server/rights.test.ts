import { exportWorkspace } from '../../src/records/workspace-export.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { clock, exampleApp, tokenFor } from './example-app.js';
import { indicator, workspace } from '../fixtures/workspace.js';
type Body = Record<string, unknown> & { error?: { code: string; message: string; details?: unknown } };

describe.each(STORE_KINDS)('API rights and edge cases on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let us: string;
  let mx: string;
  // Period locks are an admin's: each country has one.
  let usAdmin: string;
  let mxAdmin: string;

  beforeAll(async () => {
    ({ store, app, us, mx } = await exampleApp(kind));
    usAdmin = await tokenFor(store, { user: 'ada', country: 'US', agency: 'INL' }, ['admin']);
    mxAdmin = await tokenFor(store, { user: 'adan', country: 'MX', agency: 'SSPC' }, ['admin']);
  });
  afterAll(() => store?.dispose());

  const call = async (method: string, path: string, body?: unknown, token?: string, raw?: string) => {
    const res = await app.request(path, {
      method,
      headers: {
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Body };
  };
  const ws = (defaults: Parameters<typeof workspace>[1], rest: Record<string, unknown>) =>
    workspace(rest, defaults);

  it('refuses workspace loads that touch the other country’s records, changing nothing', async () => {
    const before = await countRows(store);
    const takeover = await call(
      'POST',
      '/api/v1/workspace',
      ws(
        { country: 'US', agency: 'INL', classification: 'restricted' },
        {
          programs: [
            {
              code: 'EX-CHIHUAHUA-PREVENTION',
              title: { en: 'Mine now', es: 'Ahora es mío' },
              status: 'active',
            },
          ],
        },
      ),
      us,
    );
    expect(takeover.status).toBe(403);
    expect(takeover.body.error?.message).toContain('belongs to MX');
    const foreign = await call(
      'POST',
      '/api/v1/workspace',
      ws({ country: 'MX', agency: 'SSPC' }, { periods: [{ code: '2031' }] }),
      us,
    );
    expect(foreign.status).toBe(403);
    expect(await countRows(store)).toEqual(before);
  });

  it('refuses self-approval through a workspace load', async () => {
    const before = await countRows(store);
    const res = await call(
      'POST',
      '/api/v1/workspace',
      ws(
        { country: 'US', agency: 'INL' },
        {
          results: [
            {
              indicator: 'EX-ACA-ACCREDITED',
              period: '2018-01',
              place: 'MX',
              value: 81,
              evidence:
                'U.S. Embassy Mexico City, news release of 8 January 2018 (ACA Winter Conference, Orlando)',
              status: 'approved',
            },
          ],
        },
      ),
      us,
    );
    expect(res.status).toBe(403);
    expect(res.body.error?.message).toContain('counterpart');
    expect(await countRows(store)).toEqual(before);
  });

  it('lets only the owner’s admin lock a period', async () => {
    expect((await call('POST', '/api/v1/periods/FY2018/lock', undefined, mxAdmin)).status).toBe(403);
    expect((await call('POST', '/api/v1/periods/bad%00code/lock', undefined, usAdmin)).status).toBe(400);
    // A reporter or approver of the owning country is no admin.
    const reporter = await call('POST', '/api/v1/periods/FY2018/lock', undefined, us);
    expect([reporter.status, reporter.body.error?.message]).toEqual([
      403,
      'this request needs one of the roles admin (lock:periods); ask an admin of your country to grant it',
    ]);
  });

  type Result = {
    id: number;
    version: number;
    status: string;
    period: string;
    country: string;
    value: number;
  };
  const resultsOf = async (query: string) =>
    (await call('GET', `/api/v1/results?${query}`, undefined, mx)).body as unknown as Result[];

  it('lets owners submit and the counterpart approve, answering each step with the record it wrote', async () => {
    const [draft] = await resultsOf('indicator=EX-HOM-RATE-08&period=2020');
    expect(draft).toMatchObject({ status: 'draft', country: 'MX' });
    const submitted = await call(
      'PATCH',
      `/api/v1/results/${draft!.id}`,
      { version: draft!.version, status: 'submitted' },
      mx,
    );
    expect([submitted.status, submitted.body.status, submitted.body.version]).toEqual([
      200,
      'submitted',
      draft!.version + 1,
    ]);
    // The U.S. may neither edit nor submit a Mexican result; Mexico may not approve its own.
    const edit = await call(
      'PATCH',
      `/api/v1/results/${draft!.id}`,
      { version: draft!.version + 1, comment: 'x' },
      us,
    );
    expect([edit.status, edit.body.error?.code]).toEqual([403, 'forbidden']);
    const own = await call(
      'PATCH',
      `/api/v1/results/${draft!.id}`,
      { version: draft!.version + 1, status: 'approved' },
      mx,
    );
    expect([own.status, own.body.error?.code]).toEqual([403, 'forbidden']);
    const approved = await call(
      'PATCH',
      `/api/v1/results/${draft!.id}`,
      { version: draft!.version + 1, status: 'approved' },
      us,
    );
    expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
    expect((await resultsOf('indicator=EX-HOM-RATE-08&period=2020'))[0]!.status).toBe('approved');
  });

  it('lets the owner lock a period, which locks every result inside it, and refuses edits afterwards', async () => {
    const inside = (await resultsOf('')).filter(
      (r) => /^2017(-\d\d)?$/.test(r.period) && r.status !== 'locked',
    );
    expect(inside.length).toBeGreaterThan(1);
    const lock = await call('POST', '/api/v1/periods/2017/lock', undefined, mxAdmin);
    expect([lock.status, lock.body]).toEqual([200, { period: '2017', resultsLocked: inside.length }]);
    const after = (await resultsOf('')).filter((r) => inside.some((i) => i.id === r.id));
    expect(after.map((r) => r.status)).toEqual(inside.map(() => 'locked'));
    const us2017 = after.find((r) => r.country === 'US')!;
    const edit = await call(
      'PATCH',
      `/api/v1/results/${us2017.id}`,
      { version: us2017.version, value: 1 },
      us,
    );
    expect([edit.status, edit.body.error?.code]).toEqual([409, 'refused']);
    // Locking it again locks nothing more.
    expect((await call('POST', '/api/v1/periods/2017/lock', undefined, mxAdmin)).body).toEqual({
      period: '2017',
      resultsLocked: 0,
    });
  });

  it('refuses a result written as locked through a workspace load (locks come from periods), changing nothing', async () => {
    const [mx2019] = await resultsOf('indicator=EX-HOM-RATE-08&period=2019');
    const before = await countRows(store);
    const res = await call(
      'POST',
      '/api/v1/workspace',
      ws(
        { country: 'MX', agency: 'SSPC' },
        {
          results: [
            {
              indicator: 'EX-HOM-RATE-08',
              period: '2019',
              place: '08',
              value: 1,
              status: 'locked',
              version: mx2019!.version,
            },
          ],
        },
      ),
      us,
    );
    expect([res.status, res.body.error?.code]).toEqual([422, 'invalid_input']);
    expect(JSON.stringify(res.body.error?.details)).toContain('results[0].status');
    expect(await countRows(store)).toEqual(before);
    expect((await resultsOf('indicator=EX-HOM-RATE-08&period=2019'))[0]).toEqual(mx2019);
  });

  it('refuses an approval that also changes the value', async () => {
    const [r] = (await call('GET', '/api/v1/results?indicator=EX-HOM-RATE-08&period=2020'))
      .body as unknown as {
      id: number;
      version: number;
    }[];
    const res = await call(
      'PATCH',
      `/api/v1/results/${r!.id}`,
      { version: r!.version, status: 'approved', numerator: 1, denominator: 1 },
      us,
    );
    expect(res.status).toBe(422);
  });

  it('derives a value from its components and refuses a value that contradicts them', async () => {
    const [r] = (await call('GET', '/api/v1/results?indicator=EX-HOM-RATE-08&period=2019'))
      .body as unknown as {
      id: number;
      version: number;
      value: number;
    }[];
    const wrong = await call('PATCH', `/api/v1/results/${r!.id}`, { version: r!.version, value: 1 }, mx);
    expect(wrong.status).toBe(422);
    const cleared = await call(
      'PATCH',
      `/api/v1/results/${r!.id}`,
      { version: r!.version, value: null, comment: 'checked' },
      mx,
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body.value).toBeCloseTo((2623 / 3775295) * 100000, 9);
    // The store still reloads its own export as a no-op.
    const exported = await exportWorkspace(store);
    const summary = await loadWorkspace(store, exported, { actor: 'loader', now: clock });
    expect(Object.values(summary).every((c) => c.create + c.update + c.deleted === 0)).toBe(true);
  });

  it('hides results under a restricted program, and restricted organisations and periods in exports', async () => {
    await loadWorkspace(
      store,
      ws(
        { country: 'MX', agency: 'SSPC' },
        {
          organisations: [
            {
              code: 'MX-UNIT',
              name: { en: 'Unit', es: 'Unidad' },
              kind: 'government',
              classification: 'restricted',
            },
          ],
          periods: [{ code: '2032', classification: 'restricted' }],
          programs: [
            {
              code: 'MX-RESTRICTED',
              title: { en: 'Restricted', es: 'Restringido' },
              status: 'active',
              classification: 'restricted',
              indicators: [
                indicator('MX-RESTRICTED-1', {
                  level: 'output',
                  unit: { en: 'items', es: 'elementos' },
                  direction: 'increase',
                }),
              ],
            },
          ],
          results: [
            { indicator: 'MX-RESTRICTED-1', period: '2018', place: '09', value: 7, comment: 'sensitive' },
          ],
        },
      ),
      { actor: 'loader', now: clock },
    );
    const anonymous = await call('GET', '/api/v1/results?indicator=MX-RESTRICTED-1');
    expect(anonymous.body).toEqual([]);
    const exported = (await call('GET', '/api/v1/workspace', undefined, us)).body as unknown as {
      organisations: { code: string }[];
      periods: { code: string }[];
    };
    expect(exported.organisations.map((o) => o.code)).not.toContain('MX-UNIT');
    expect(exported.periods.map((p) => p.code)).not.toContain('2032');
    const own = (await call('GET', '/api/v1/workspace', undefined, mx)).body as unknown as {
      periods: { code: string }[];
    };
    expect(own.periods.map((p) => p.code)).toContain('2032');
  });

  it('answers nasty input with the exact 4xx that names the problem, never 500', async () => {
    // Each with the exact status and code: the schema's 422, a query or path parameter's 400, no route 404.
    const cases: [string, string, unknown, string | undefined, string | undefined, number, string][] = [
      [
        'POST',
        '/api/v1/workspace',
        ws({ country: 'US', agency: 'INL' }, { periods: [{ code: '0000' }] }),
        us,
        undefined,
        422,
        'invalid_input',
      ],
      [
        'POST',
        '/api/v1/workspace',
        ws({ country: 'US', agency: 'INL' }, { periods: [{ code: ' 2017 ' }] }),
        us,
        undefined,
        422,
        'invalid_input',
      ],
      [
        'PATCH',
        '/api/v1/programs/EX-CORRECTIONS',
        { version: 1, start: '0000-01-01' },
        us,
        undefined,
        422,
        'invalid_input',
      ],
      [
        'PATCH',
        '/api/v1/programs/EX-CORRECTIONS',
        { version: 1, title: { en: 'a\u0000b', es: 'x' } },
        us,
        undefined,
        422,
        'invalid_input',
      ],
      [
        'PATCH',
        '/api/v1/programs/EX-CORRECTIONS',
        { version: 1, title: { en: 'a\ud800b', es: 'x' } },
        us,
        undefined,
        422,
        'invalid_input',
      ],
      [
        'PATCH',
        '/api/v1/programs/EX-CORRECTIONS',
        undefined,
        us,
        '{"version":1,"version":2}',
        422,
        'invalid_input',
      ],
      [
        'GET',
        `/api/v1/scorecards?green=${'9'.repeat(320)}`,
        undefined,
        undefined,
        undefined,
        400,
        'invalid_input',
      ],
      ['GET', '/api/v1/results/abc', undefined, undefined, undefined, 400, 'invalid_input'],
      ['PATCH', '/api/v1/results/0', { version: 1 }, us, undefined, 400, 'invalid_input'],
    ];
    const answers = [];
    for (const [method, path, body, token, raw] of cases) {
      const res = await call(method, path, body, token, raw);
      answers.push([res.status, res.body.error?.code]);
    }
    expect(answers).toEqual(cases.map((c) => [c[5], c[6]]));
  });

  it('accepts ?lang on every route', async () => {
    expect((await call('GET', '/api/v1/workspace?lang=es', undefined, us)).status).toBe(200);
    expect((await call('GET', '/api/v1/frameworks?lang=es')).status).toBe(200);
  });

  it('clears a program date with null', async () => {
    const program = (await call('GET', '/api/v1/programs/EX-CHIHUAHUA-PREVENTION')).body as {
      version: number;
    };
    const res = await call(
      'PATCH',
      '/api/v1/programs/EX-CHIHUAHUA-PREVENTION',
      { version: program.version, start: null, end: '2000-01-01' },
      mx,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ start: null, end: '2000-01-01' });
  });

  it('turns simultaneous creates of one record into conflicts, not errors', async () => {
    const create = (title: string) =>
      call(
        'POST',
        '/api/v1/workspace',
        ws(
          { country: 'US', agency: 'INL' },
          { programs: [{ code: 'NEW-1', title: { en: title, es: title }, status: 'planned' }] },
        ),
        us,
      );
    const results = await Promise.all(['a', 'b', 'c', 'd'].map(create));
    const statuses = results.map((r) => r.status);
    expect(
      statuses.every((s) => s === 200 || s === 409),
      JSON.stringify(statuses),
    ).toBe(true);
    expect(statuses).toContain(200);
  });
});
