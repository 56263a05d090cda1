/**
 * Approved-only publishing, as DHIS2's data approval has it. A value of 99,999 in a draft, then in a
 * submitted result, is looked for in every anonymous view: every GET route of the API and every page
 * of the route table, in both languages. Editing an approved result returns it to `submitted`; a
 * returned result carries the approver's comment; a lock is refused while results are unapproved,
 * unless an admin overrides with a reason; and an approver sees and approves the counterpart's
 * restricted result that awaits it. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/server/routes/index.js';
import { PAGES } from '../../src/web/routes.js';
import type { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { caller, exampleApp, tokenFor } from './example-app.js';

type Result = {
  id: number;
  version: number;
  status: string;
  value: number;
  unapproved: boolean;
  review: { comment: string | null; by: string } | null;
};

/** 99,999 as any view could write it: raw, or formatted for en-US or es-MX. */
const SECRET = /99[,  .]?999/;

describe.each(STORE_KINDS)('approved-only publishing on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let us: string;
  let mx: string;
  let mxAdmin: string;

  beforeAll(async () => {
    ({ store, app, us, mx } = await exampleApp(kind));
    mxAdmin = await tokenFor(store, { user: 'adan', country: 'MX', agency: 'SSPC' }, ['admin']);
  });
  afterAll(() => store?.dispose());

  const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(app)(...args);
  const resultOf = async (query: string, token: string) =>
    ((await call('GET', `/api/v1/results?${query}`, token)).body as unknown as Result[])[0]!;

  /** Every anonymous view: each GET route of the API and each page, with example parameters. */
  const anonymousViews = () => {
    const example = (path: string) =>
      path
        .replace('{code}', 'EX-CHIHUAHUA-PREVENTION')
        .replace(':code', 'EX-CHIHUAHUA-PREVENTION')
        .replace(':ref', 'bicentennial:1')
        .replace(/\{id\}|:id/, '1');
    const api = API_ROUTES.filter((r) => r.method === 'get').map((r) => `/api/v1${example(r.path)}`);
    const extra = [
      '/api/v1/indicators/EX-HOM-RATE-08',
      '/api/v1/results?indicator=EX-HOM-RATE-08',
      '/api/v1/scorecards?program=EX-CHIHUAHUA-PREVENTION',
      '/indicators/EX-HOM-RATE-08',
      '/nodes/bicentennial:1.1',
    ];
    const pages = PAGES.map((p) => example(p.path)).filter((p) => !p.includes('.svg') && !p.includes('.css'));
    return [...api, ...extra, ...pages.flatMap((p) => [`${p}?lang=en`, `${p}?lang=es`])];
  };
  const leaks = async () => {
    const found: string[] = [];
    for (const url of anonymousViews()) {
      const text = await (await app.request(url)).text();
      if (SECRET.test(text)) found.push(url);
    }
    return found;
  };

  it('never shows a draft or submitted value in any anonymous view, and shows it to its owners, marked', async () => {
    const draft = await resultOf('indicator=EX-HOM-RATE-08&period=2020', mx);
    expect(draft).toMatchObject({ status: 'draft', unapproved: true });
    const edited = await call('PATCH', `/api/v1/results/${draft.id}`, mx, {
      version: draft.version,
      numerator: null,
      denominator: null,
      value: 99_999,
    });
    expect([edited.status, edited.body.status]).toEqual([200, 'draft']);
    expect(anonymousViews().length).toBeGreaterThan(30);
    expect(await leaks()).toEqual([]);
    // Submitted, it is still unpublished; the counterpart's approver now sees it, to review it.
    const submitted = await call('PATCH', `/api/v1/results/${draft.id}`, mx, {
      version: draft.version + 1,
      status: 'submitted',
    });
    expect(submitted.body.status).toBe('submitted');
    expect(await leaks()).toEqual([]);
    expect(await resultOf('indicator=EX-HOM-RATE-08&period=2020', us)).toMatchObject({
      value: 99_999,
      status: 'submitted',
    });
    // The owners' scorecard counts it, marked provisional; the public's does not.
    const owners = (await call('GET', '/api/v1/scorecards?program=EX-CHIHUAHUA-PREVENTION', mx)).body;
    expect(JSON.stringify(owners)).toMatch(/"actual":99999,[^}]*"provisional":true/);
  });

  it('returns a submitted result with the approver’s comment, which is required', async () => {
    const r = await resultOf('indicator=EX-HOM-RATE-08&period=2020', us);
    const bare = await call('PATCH', `/api/v1/results/${r.id}`, us, { version: r.version, status: 'draft' });
    expect([bare.status, bare.body.error?.message]).toEqual([
      422,
      expect.stringContaining('a returned result carries the approver'),
    ]);
    // An approver cannot slip a change into a return.
    const sneaky = await call('PATCH', `/api/v1/results/${r.id}`, us, {
      version: r.version,
      status: 'draft',
      review_comment: 'fix',
      value: 1,
    });
    expect(sneaky.status).toBe(422);
    const returned = await call('PATCH', `/api/v1/results/${r.id}?lang=es`, us, {
      version: r.version,
      status: 'draft',
      review_comment: '99,999 is not a rate: use INEGI’s 3,363 deaths over CONAPO’s population',
    });
    expect([returned.status, returned.body.status]).toEqual([200, 'draft']);
    const seen = await resultOf('indicator=EX-HOM-RATE-08&period=2020', mx);
    expect(seen.review).toMatchObject({ by: 'ines', comment: expect.stringContaining('not a rate') });
    expect(await leaks()).toEqual([]);
  });

  it('sends an approved result back to submitted when its value or its evidence changes', async () => {
    const r = await resultOf('indicator=EX-HOM-RATE-08&period=2020', mx);
    await call('PATCH', `/api/v1/results/${r.id}`, mx, {
      version: r.version,
      numerator: 3363,
      denominator: 3408134,
      value: null,
      status: 'submitted',
    });
    const approved = await call('PATCH', `/api/v1/results/${r.id}`, us, {
      version: r.version + 1,
      status: 'approved',
    });
    expect(approved.body.status).toBe('approved');
    const rate = ((3363 / 3408134) * 100_000).toFixed(2);
    expect(await (await app.request('/programs/EX-CHIHUAHUA-PREVENTION?lang=en')).text()).toContain(rate);

    const evidence = await call('PATCH', `/api/v1/results/${r.id}`, mx, {
      version: r.version + 2,
      evidence: 'INEGI, revised',
    });
    expect(evidence.body.status).toBe('submitted');
    expect(await (await app.request('/programs/EX-CHIHUAHUA-PREVENTION?lang=en')).text()).not.toContain(rate);
    await call('PATCH', `/api/v1/results/${r.id}`, us, { version: r.version + 3, status: 'approved' });
    const value = await call('PATCH', `/api/v1/results/${r.id}`, mx, {
      version: r.version + 4,
      numerator: 3364,
    });
    expect(value.body.status).toBe('submitted');
  });

  it('refuses a lock while results are unapproved, and records an admin’s override', async () => {
    const before = await countRows(store);
    const refused = await call('POST', '/api/v1/periods/2020/lock', mxAdmin);
    expect([
      refused.status,
      refused.body.error?.code,
      (refused.body.error?.details as { reason: string }).reason,
    ]).toEqual([409, 'refused', 'unapproved_results']);
    expect(refused.body.error?.message).toContain('EX-HOM-RATE-08|2020|08|');
    expect(await countRows(store)).toEqual(before);
    const short = await call('POST', '/api/v1/periods/2020/lock', mxAdmin, { override_reason: 'because' });
    expect(short.status).toBe(422);
    const overridden = await call('POST', '/api/v1/periods/2020/lock', mxAdmin, {
      override_reason: 'Binational committee closed 2020 on 1 Dec 2026 with this result disputed',
    });
    expect(overridden.status).toBe(200);
    const period = await store.db
      .selectFrom('periods')
      .select(['locked_by', 'lock_reason'])
      .where('code', '=', '2020')
      .executeTakeFirstOrThrow();
    expect(period).toEqual({
      locked_by: 'adan',
      lock_reason: 'Binational committee closed 2020 on 1 Dec 2026 with this result disputed',
    });
    // The unapproved result is frozen, and stays unpublished.
    const r = await resultOf('indicator=EX-HOM-RATE-08&period=2020', mx);
    expect(r.status).toBe('submitted');
    const edit = await call('PATCH', `/api/v1/results/${r.id}`, mx, { version: r.version, value: 1 });
    expect([edit.status, edit.body.error?.code]).toEqual([409, 'refused']);
  });

  it('lets the counterpart’s approver see and approve a restricted result awaiting it', async () => {
    const mine = await resultOf('indicator=EX-HOM-RATE-08&period=2019', mx);
    // Restricted to Mexico and back to draft (an operator's edit, as a workspace load would).
    await store.db
      .updateTable('results')
      .set({ classification: 'restricted', status: 'draft' })
      .where('id', '=', mine.id)
      .execute();
    expect((await call('GET', `/api/v1/results?indicator=EX-HOM-RATE-08&period=2019`, us)).body).toEqual([]);
    const fresh = await resultOf('indicator=EX-HOM-RATE-08&period=2019', mx);
    await call('PATCH', `/api/v1/results/${fresh.id}`, mx, { version: fresh.version, status: 'submitted' });
    const awaiting = await resultOf('indicator=EX-HOM-RATE-08&period=2019', us);
    expect(awaiting).toMatchObject({ id: fresh.id, status: 'submitted' });
    const approved = await call('PATCH', `/api/v1/results/${fresh.id}`, us, {
      version: awaiting.version,
      status: 'approved',
    });
    expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
    // Approved and restricted: the U.S. no longer sees it; the public never did.
    expect((await call('GET', `/api/v1/results?indicator=EX-HOM-RATE-08&period=2019`, us)).body).toEqual([]);
    expect((await call('GET', `/api/v1/results?indicator=EX-HOM-RATE-08&period=2019`)).body).toEqual([]);
  });
});
