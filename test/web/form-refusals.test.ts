/**
 * Bad input on the monitoring cycle's forms, posted as a browser would post them (form-encoded, with the
 * session cookie) on each store: a form without its CSRF token or with an ended session, a value of the
 * wrong type or out of range, a result in a locked period, another country's indicator, approving one's
 * own country's result, a stale version and a result that does not exist. Each answer is a page in the
 * reader's language with the API's status, and none changes a row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/viewer.js';
import { signIn } from '../../src/accounts/sessions.js';
import { createAccount } from '../../src/accounts/users.js';
import type { createApp } from '../../src/server/app.js';
import { SESSION_COOKIE } from '../../src/web/session/cookies.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { exampleApp } from '../server/example-app.js';

describe.each(STORE_KINDS)('refused forms on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    ({ store, app } = await exampleApp(kind));
    const people: [string, 'US' | 'MX', string, Role[]][] = [
      ['rita', 'US', 'INL', ['reporter']],
      ['abe', 'US', 'INL', ['approver']],
      ['mateo', 'MX', 'SSPC', ['approver', 'reporter']],
      ['ada', 'US', 'INL', ['admin']],
    ];
    for (const [user, country, agency, roles] of people) {
      await createAccount(store, { user, name: user, country, agency, roles }, PASSWORD, 'test', USER_FIELDS);
      const signed = await signIn(store, { user, password: PASSWORD, client: null });
      if (!signed.ok) throw new Error(`${user} could not sign in`);
      cookies[user] = `${SESSION_COOKIE}=${signed.cookie}`;
    }
  }, 60_000);
  afterAll(() => store?.dispose());

  /** The page at `path` as `user` sees it, and the CSRF token of its forms. */
  async function form(user: string, path: string) {
    const res = await app.request(path, { headers: { cookie: cookies[user]! } });
    const body = await res.text();
    return { status: res.status, body, csrf: /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '' };
  }

  async function post(user: string | undefined, path: string, fields: Record<string, string>) {
    const res = await app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost',
        ...(user ? { cookie: cookies[user]! } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  }

  async function postFiles(user: string, path: string, fields: Record<string, string>, files: File[]) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    for (const f of files) body.append('attachments', f);
    const res = await app.request(path, {
      method: 'POST',
      headers: { origin: 'http://localhost', cookie: cookies[user]! },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  const entry = {
    indicator: 'EX-ACA-ACCREDITED',
    period: '2017-08',
    place: '08',
    value: '3',
    decision: 'draft',
  };

  it('refuses entries without their token, session or right, and wrong values, changing nothing', async () => {
    const before = await countRows(store);
    const { csrf } = await form('rita', '/results/new?indicator=EX-ACA-ACCREDITED');
    expect(csrf).not.toBe('');

    const noToken = await post('rita', '/results', entry);
    expect([noToken.status, noToken.type]).toEqual([403, 'text/html; charset=UTF-8']);
    const otherToken = await post('rita', '/results', { ...entry, _csrf: `${csrf.slice(0, -2)}xx` });
    expect(otherToken.status).toBe(403);
    const ended = await post(undefined, '/results', { ...entry, _csrf: csrf });
    expect(ended.status).toBe(403);

    const word = await post('rita', '/results?lang=es', { ...entry, _csrf: csrf, value: 'tres' });
    expect(word.status).toBe(422);
    expect(word.body).toContain('se esperaba un número como 12.5, no «tres»');
    expect(word.body).toContain('aria-invalid="true"');

    const huge = await post('rita', '/results', { ...entry, _csrf: csrf, value: '1e16' });
    expect(huge.status).toBe(422);
    expect(huge.body).toMatch(/id="value-error">[^<]*1,000,000,000,000,000/);

    const locked = await post('rita', '/results', { ...entry, _csrf: csrf, period: '2016-08' });
    expect(locked.status).toBe(409);
    expect(locked.body).toContain('period FY2016 is locked');

    const fiscal = await post('rita', '/results', { ...entry, _csrf: csrf, period: 'FY2017' });
    expect(fiscal.status).toBe(422);
    expect(fiscal.body).toMatch(/id="period-error">[^<]*is reported in periods such as 2024-H1/);

    const page = { ...entry, _csrf: csrf };
    const html = await postFiles('rita', '/results?lang=es', page, [
      new File(['<html><script>alert(1)</script></html>'], 'informe.html', { type: 'text/html' }),
    ]);
    expect(html.status).toBe(422);
    expect(html.body).toMatch(
      /id="attachments-error">informe\.html tiene la extensión \.html pero su contenido es CSV/,
    );
    const big = await postFiles('rita', '/results', page, [
      new File([new Uint8Array(11 * 1024 * 1024).fill(0x25)], 'scan.pdf', { type: 'application/pdf' }),
    ]);
    expect(big.status).toBe(422);
    expect(big.body).toContain('scan.pdf is 11,534,336 bytes; a file may hold at most 10,485,760 bytes');
    const filesNoToken = await postFiles('rita', '/results', entry, [new File(['%PDF-1.4'], 'a.pdf')]);
    expect(filesNoToken.status).toBe(403);

    const mexican = await form('rita', '/results/new?indicator=EX-HOM-RATE-08');
    expect(mexican.status).toBe(403);
    const theirs = await post('rita', '/results', {
      ...entry,
      _csrf: csrf,
      indicator: 'EX-HOM-RATE-08',
      period: '2019',
    });
    expect(theirs.status).toBe(403);
    expect(await countRows(store)).toEqual(before);
  });

  it('refuses decisions without their token, on one’s own country, stale or on nothing, changing nothing', async () => {
    const before = await countRows(store);
    const page = await form('mateo', '/review');
    const version = /action="\/review\/4"[\s\S]*?name="version" value="(\d+)"/.exec(page.body)?.[1];
    expect(version).toBeDefined();
    const decision = { version: version!, decision: 'approve' };

    expect((await post('mateo', '/review/4', decision)).status).toBe(403);
    const own = await form('abe', '/review');
    const self = await post('abe', '/review/4?lang=es', { ...decision, _csrf: own.csrf });
    expect(self.status).toBe(403);
    expect(self.body).toContain('4');
    const stale = await post('mateo', '/review/4', {
      ...decision,
      version: String(Number(version) + 1),
      _csrf: page.csrf,
    });
    expect(stale.status).toBe(409);
    expect((await post('mateo', '/review/999999', { ...decision, _csrf: page.csrf })).status).toBe(404);
    expect((await post('mateo', '/review/abc', { ...decision, _csrf: page.csrf })).status).toBe(404);
    const noDecision = await post('mateo', '/review/4', { version: version!, _csrf: page.csrf });
    expect(noDecision.status).toBe(400);
    const long = await post('mateo', '/review/4', {
      ...decision,
      _csrf: page.csrf,
      comment: 'x'.repeat(20_000),
    });
    expect(long.status).toBe(413);
    expect(await countRows(store)).toEqual(before);
  });

  it('refuses locks without their token, of the other country, or with results unapproved and no reason', async () => {
    const before = await countRows(store);
    const page = await form('ada', '/admin/periods');
    expect(page.status).toBe(200);
    expect((await post('ada', '/admin/periods/2018-01/lock', {})).status).toBe(403);
    const unapproved = await post('ada', '/admin/periods/2018-01/lock?lang=es', { _csrf: page.csrf });
    expect(unapproved.status).toBe(409);
    expect(unapproved.body).toContain('el periodo 2018-01 aún tiene 1 resultado sin aprobar');
    const mexican = await post('ada', '/admin/periods/2019/lock', { _csrf: page.csrf });
    expect(mexican.status).toBe(403);
    const nonsense = await post('ada', '/admin/periods/2019-13/lock', { _csrf: page.csrf });
    expect(nonsense.status).toBe(404);
    expect((await form('rita', '/admin/periods')).status).toBe(403);
    expect(await countRows(store)).toEqual(before);
    // With a reason, it is locked and the reason recorded.
    const locked = await post('ada', '/admin/periods/2018-01/lock', {
      _csrf: page.csrf,
      override_reason: 'The national count awaits SSPC; January closes for the annual report.',
    });
    expect(locked.status).toBe(303);
    const period = await store.db
      .selectFrom('periods')
      .select(['locked_by', 'lock_reason'])
      .where('code', '=', '2018-01')
      .executeTakeFirstOrThrow();
    expect(period).toEqual({
      locked_by: 'ada',
      lock_reason: 'The national count awaits SSPC; January closes for the annual report.',
    });
  });
});
