/**
 * Web sign-in on both record stores: a user signs in at /login and then sees on the pages exactly what
 * the API shows a token of the same roles (official-use and own-country restricted records, own drafts
 * marked provisional); the forms refuse a missing or foreign CSRF token; wrong passwords lock the
 * account; sessions end on sign-out, after an idle spell and at their absolute end; every session event
 * is audited, and `audit verify` still finds every record in its audited state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_POLICY } from '../../src/accounts/sessions.js';
import { createAccount } from '../../src/accounts/users.js';
import type { RecordsStore } from '../../src/records/database.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { exampleApp, tokenFor } from '../server/example-app.js';
import { loadSecretProgram, PASSWORD, USER_FIELDS } from './fixtures.js';
import { csrfOf, WebClient } from './web-client.js';

describe.each(STORE_KINDS)('web sessions on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let time = Date.parse('2026-11-23T12:00:00Z');
  const now = () => new Date(time);
  const later = (ms: number) => (time += ms);
  let mxToken: string;

  const account = (
    user: string,
    country: 'US' | 'MX',
    agency: string,
    roles = ['viewer', 'reporter'] as const,
  ) =>
    createAccount(
      store,
      { user, name: `Name of ${user}`, country, agency, roles: [...roles] },
      PASSWORD,
      'test',
      USER_FIELDS,
      now,
    );
  const auditOf = (entity: string) =>
    store.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'after', 'actor'])
      .where('entity', '=', entity)
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    ({ store } = await exampleApp(kind));
    app = createApp({ store, now, limits: false });
    await loadSecretProgram(store, now);
    await account('mateo.web', 'MX', 'SSPC');
    await account('ines.web', 'US', 'INL');
    mxToken = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' }, ['viewer', 'reporter']);
  });
  afterAll(() => store?.dispose());

  it('serves the sign-in form with a form token in an HttpOnly cookie, and a sign-in link on every page', async () => {
    const web = new WebClient(app);
    const home = await web.get('/?lang=es');
    expect(home.text).toContain('href="/login?next=%2F%3Flang%3Des"');
    expect(home.text).toContain('Iniciar sesión');
    const form = await web.get('/login');
    expect(form.status).toBe(200);
    expect(form.headers.get('content-security-policy')).toContain("form-action 'self'");
    const cookie = form.headers.getSetCookie().find((c) => c.startsWith('marco_form='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    expect(csrfOf(form.text)).toBe(web.cookies.get('marco_form')!.value);
  });

  it('refuses a sign-in form without its token, with a foreign token or from another site, and writes nothing', async () => {
    const before = await countRows(store);
    const sessions = (await store.db.selectFrom('sessions').select('id').execute()).length;
    const web = new WebClient(app);
    await web.get('/login');
    const missing = await web.post('/login', { user: 'mateo.web', password: PASSWORD });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('This form has expired or did not come from Marco');
    const foreign = await web.post('/login', {
      _csrf: 'x'.repeat(43),
      user: 'mateo.web',
      password: PASSWORD,
    });
    expect(foreign.status).toBe(403);
    const es = await web.post('/login?lang=es', { user: 'mateo.web', password: PASSWORD });
    expect(es.text).toContain('Este formulario caducó');
    // Another site's page posting the form: refused by the origin check before the handler runs.
    const token = csrfOf((await web.get('/login')).text);
    const crossSite = await web.post(
      '/login',
      { _csrf: token, user: 'mateo.web', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    expect(web.cookies.has('marco_session')).toBe(false);
    expect(await countRows(store)).toEqual(before);
    expect((await store.db.selectFrom('sessions').select('id').execute()).length).toBe(sessions);
  });

  it('refuses a sign-in that is not a form, or larger than any form, writing nothing', async () => {
    const before = await countRows(store);
    const web = new WebClient(app);
    await web.get('/login');
    const json = await app.request('http://localhost/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ user: 'mateo.web', password: PASSWORD }),
    });
    expect(json.status).toBe(415);
    expect(await json.text()).toContain('This address takes a form sent from Marco');
    const huge = await web.post('/login?lang=es', { user: 'mateo.web', password: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('Formulario rechazado');
    expect(web.cookies.has('marco_session')).toBe(false);
    expect(await countRows(store)).toEqual(before);
  });

  it('signs in, shows the session menu and exactly the records the API shows the same official', async () => {
    const anonymous = new WebClient(app);
    expect((await anonymous.get('/programs/MX-SECRET')).status).toBe(404);
    const web = new WebClient(app);
    const done = await web.signIn('mateo.web', PASSWORD, '/programs/MX-SECRET');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/programs/MX-SECRET');
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith('marco_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(web.cookies.has('marco_form')).toBe(false);
    const secret = await web.get('/programs/MX-SECRET');
    expect(secret.status).toBe(200);
    expect(secret.text).toContain('Program MX-SECRET');
    expect(secret.text).toContain('Signed in as mateo.web');
    expect(secret.text).toContain('<form method="post" action="/logout">');
    // Every program page answers as the API does for a token of the same country, agency and roles.
    const api = await app.request('/api/v1/programs', { headers: { authorization: `Bearer ${mxToken}` } });
    const visible = ((await api.json()) as { code: string }[]).map((p) => p.code);
    expect(visible).toContain('MX-SECRET');
    for (const code of visible) expect((await web.get(`/programs/${code}`)).status, code).toBe(200);
    // A U.S. official does not see Mexico's restricted program, on the API or the pages.
    const us = new WebClient(app);
    await us.signIn('ines.web', PASSWORD);
    expect((await us.get('/programs/MX-SECRET')).status).toBe(404);
    const sessions = await auditOf('session');
    expect(sessions.filter((e) => e.action === 'create').length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(sessions)).not.toMatch(/token_hash|csrf_secret/);
  });

  it('shows the owners their own draft, marked provisional, and nobody else', async () => {
    const page = '/programs/EX-CHIHUAHUA-PREVENTION';
    const anonymous = await new WebClient(app).get(page);
    expect(anonymous.text).not.toContain('provisional: counts results not yet approved');
    const owner = new WebClient(app);
    await owner.signIn('mateo.web', PASSWORD);
    const mine = await owner.get(page);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('provisional: counts results not yet approved');
    expect((await owner.get(`${page}?lang=es`)).text).toContain(
      'provisional: incluye resultados aún sin aprobar',
    );
  });

  it('locks an account after repeated wrong passwords, refuses it while locked, and audits the lockout', async () => {
    await account('locked.web', 'MX', 'SSPC');
    const web = new WebClient(app);
    for (let i = 1; i < SESSION_POLICY.lockAfter; i++) {
      const wrong = await web.signIn('locked.web', `wrong password ${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('The user name or the password is wrong');
      expect(wrong.text).toContain('value="locked.web"');
      expect(wrong.text).not.toContain(`wrong password ${i}`);
    }
    const locking = await web.signIn('locked.web', 'wrong again');
    expect(locking.status).toBe(429);
    expect(Number(locking.headers.get('retry-after'))).toBe(SESSION_POLICY.lockMs / 1000);
    expect(locking.text).toContain('This account is locked');
    // While locked, even the right password is refused, in Spanish too.
    const right = await web.signIn('locked.web', PASSWORD, '/?lang=es');
    expect(right.status).toBe(429);
    const es = await web.post('/login?lang=es', {
      _csrf: csrfOf((await web.get('/login?lang=es')).text),
      user: 'locked.web',
      password: PASSWORD,
    });
    expect(es.text).toContain('Esta cuenta está bloqueada');
    expect(web.cookies.has('marco_session')).toBe(false);
    // An unknown user is refused like a wrong password, with the same status.
    expect((await web.signIn('nobody.at.all', PASSWORD)).status).toBe(401);
    const audited = (await auditOf('user')).filter(
      (e) => (e.after as { user_name?: string }).user_name === 'locked.web',
    );
    expect(audited.at(-1)!.after).toMatchObject({ failed_sign_ins: 0, locked_until: expect.any(String) });
    expect(JSON.stringify(audited)).not.toContain('argon2');
    // After the lockout, the right password works and clears the count.
    later(SESSION_POLICY.lockMs + 1000);
    expect((await web.signIn('locked.web', PASSWORD)).status).toBe(303);
  });

  it('signs out only with the session’s CSRF token, and the old cookie is then worthless', async () => {
    const web = new WebClient(app);
    await web.signIn('mateo.web', PASSWORD);
    const cookie = web.cookies.get('marco_session')!.value;
    const page = await web.get('/');
    const forged = await web.post('/logout', { _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect((await web.get('/programs/MX-SECRET')).status).toBe(200);
    const out = await web.post('/logout', { _csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?ended=signed-out');
    expect(web.cookies.has('marco_session')).toBe(false);
    expect((await web.get('/login?ended=signed-out')).text).toContain('You have signed out.');
    const replay = new WebClient(app);
    replay.cookies.set('marco_session', { value: cookie, path: '/' });
    expect((await replay.get('/programs/MX-SECRET')).status).toBe(404);
    const ended = (await auditOf('session')).at(-1)!.after as { ended_reason: string };
    expect(ended.ended_reason).toBe('signed out');
  });

  it('ends a session after the idle spell and at its absolute end, saying so', async () => {
    const idle = new WebClient(app);
    await idle.signIn('mateo.web', PASSWORD);
    later(SESSION_POLICY.idleMs - 60_000);
    expect((await idle.get('/programs/MX-SECRET')).status).toBe(200);
    later(SESSION_POLICY.idleMs + 1000);
    const gone = await idle.get('/programs/MX-SECRET');
    expect(gone.status).toBe(404);
    expect(gone.text).toContain('Your session ended after 30 minutes without activity');
    expect(idle.cookies.has('marco_session')).toBe(false);

    const busy = new WebClient(app);
    await busy.signIn('mateo.web', PASSWORD);
    const steps = Math.floor(SESSION_POLICY.absoluteMs / (SESSION_POLICY.idleMs / 2));
    for (let i = 1; i < steps; i++) {
      later(SESSION_POLICY.idleMs / 2);
      expect((await busy.get('/programs/MX-SECRET')).status, `step ${i}`).toBe(200);
    }
    later(SESSION_POLICY.idleMs / 2);
    const expired = await busy.get('/programs/MX-SECRET?lang=es');
    expect(expired.status).toBe(404);
    expect(expired.text).toContain('Su sesión alcanzó su límite de 12 horas');
    const reasons = (await auditOf('session')).map(
      (e) => (e.after as { ended_reason: string | null }).ended_reason,
    );
    expect(reasons).toEqual(expect.arrayContaining(['idle', 'expired']));
  });

  it('marks the session cookie Secure when served over TLS', async () => {
    const form = await app.request('https://marco.example/login');
    const token = csrfOf(await form.text());
    const formCookie = form.headers.getSetCookie().find((c) => c.startsWith('marco_form='))!;
    expect(formCookie).toMatch(/Secure/);
    const done = await app.request('https://marco.example/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://marco.example',
        cookie: formCookie.split(';')[0]!,
      },
      body: new URLSearchParams({ _csrf: token, user: 'mateo.web', password: PASSWORD }).toString(),
    });
    expect(done.status).toBe(303);
    expect(done.headers.getSetCookie().find((c) => c.startsWith('marco_session='))).toMatch(/Secure/);
  });

  it('leaves every user and session in its audited state', async () => {
    const report = await verifyAudit(store as RecordsStore);
    expect(report.mismatches).toEqual([]);
    expect(report.tampered).toBe(false);
    // A password hash or a lockout edited in SQL is found.
    await store.db
      .updateTable('users')
      .set({ failed_sign_ins: 0, locked_until: null, roles: ['admin'] })
      .where('user_name', '=', 'mateo.web')
      .execute();
    const tampered = await verifyAudit(store as RecordsStore);
    expect(tampered.mismatches).toEqual([
      expect.objectContaining({ entity: 'user', problem: 'changed', columns: ['roles'] }),
    ]);
    await store.db
      .updateTable('users')
      .set({ roles: ['viewer', 'reporter'] })
      .where('user_name', '=', 'mateo.web')
      .execute();
  });
});
