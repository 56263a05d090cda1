import { loadWorkspace } from '../../src/records/workspace-load.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { clock, exampleApp } from './example-app.js';

describe.each(STORE_KINDS)('HTTP API on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let usToken: string;
  let mxToken: string;

  beforeAll(async () => {
    ({ store, app, us: usToken, mx: mxToken } = await exampleApp(kind));
  });
  afterAll(() => store?.dispose());

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await app.request(path, { headers });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & {
        error?: { code: string; message: string; details?: unknown };
      },
    };
  };
  const send = async (
    method: string,
    path: string,
    body: unknown,
    token?: string,
    type = 'application/json',
  ) => {
    const res = await app.request(path, {
      method,
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & {
        error?: { code: string; message: string; details?: unknown };
      },
    };
  };

  it('lists frameworks, nodes and the analytical crosswalk', async () => {
    const frameworks = (await get('/api/v1/frameworks')).body as unknown as { code: string; nodes: number }[];
    expect(frameworks.map((f) => [f.code, f.nodes])).toEqual([
      ['bicentennial', 6],
      ['merida', 4],
    ]);
    const one = await get('/api/v1/frameworks/merida');
    expect((one.body.nodes as unknown[]).length).toBe(4);
    const crosswalk = (await get('/api/v1/crosswalk')).body as unknown as { basis: string }[];
    expect(crosswalk.every((l) => l.basis === 'analytical')).toBe(true);
  });

  it('scores a reduction target and an increase target correctly', async () => {
    type Card = {
      code: string;
      hasOutcomeIndicator: boolean;
      indicators: {
        code: string;
        status: string;
        periods: { period: string; percentMet: number | null; status: string; actual: number | null }[];
      }[];
    }[];
    const scorecard = async () => (await get('/api/v1/scorecards')).body;
    const hom2020 = (body: Record<string, unknown>) =>
      (body.programs as Card)
        .find((p) => p.code === 'EX-CHIHUAHUA-PREVENTION')!
        .indicators[0]!.periods.find((p) => p.period === '2020')!;
    // The 2020 result is a draft: no scorecard counts it, for anyone.
    expect(hom2020(await scorecard()).actual).toBeNull();
    // Its owners submit it, and the counterpart approves it: now it is published.
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const [draft] = (await get('/api/v1/results?indicator=EX-HOM-RATE-08&period=2020', auth(mxToken)))
      .body as unknown as { id: number; version: number; status: string; unapproved: boolean }[];
    expect(draft).toMatchObject({ status: 'draft', unapproved: true });
    const submitted = await send(
      'PATCH',
      `/api/v1/results/${draft!.id}`,
      { version: draft!.version, status: 'submitted' },
      mxToken,
    );
    expect(submitted.status).toBe(200);
    expect(hom2020(await scorecard()).actual).toBeNull();
    const approved = await send(
      'PATCH',
      `/api/v1/results/${draft!.id}`,
      { version: draft!.version + 1, status: 'approved', review_comment: 'Matches INEGI' },
      usToken,
    );
    expect([approved.status, approved.body.review]).toEqual([200, { comment: 'Matches INEGI', by: 'ines' }]);

    const { status, body } = await get('/api/v1/scorecards');
    expect(status).toBe(200);
    const programs = body.programs as Card;
    const aca = programs.find((p) => p.code === 'EX-CORRECTIONS')!;
    expect(aca.hasOutcomeIndicator).toBe(false);
    // FY2018's only result (January 2018) is submitted, not approved: not counted yet.
    const fy2018 = aca.indicators[0]!.periods.find((p) => p.period === 'FY2018')!;
    expect([fy2018.actual, fy2018.status]).toEqual([null, 'no_data']);
    const hom = programs.find((p) => p.code === 'EX-CHIHUAHUA-PREVENTION')!.indicators[0]!;
    const y2020 = hom.periods.find((p) => p.period === '2020')!;
    const rate = (3363 / 3812627) * 100000;
    expect(y2020.actual).toBeCloseTo(rate, 9);
    expect(y2020.percentMet).toBeCloseTo((rate - 48.66) / (35 - 48.66), 9);
    expect(hom.status).toBe('red');
    // The Chihuahua program's homicide rate and the firearms program's share are outcomes.
    expect((body.coverage as { withOutcome: number; programs: number }).withOutcome).toBe(2);
    const node = (body.nodes as { ref: string; programs: number }[]).find((n) => n.ref === 'bicentennial:1')!;
    expect(node.programs).toBe(1);
  });

  it('answers unknown records and routes with 404 in the error format', async () => {
    const missing = await get('/api/v1/programs/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('not_found');
    expect((await get('/api/v1/nothing-here')).status).toBe(404);
  });

  it('rejects bad query parameters with 400 and the parameter path', async () => {
    const res = await get('/api/v1/results?period=2016-13');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error?.details)).toContain('query.period');
    const unknown = await get('/api/v1/programs?colour=blue');
    expect(unknown.status).toBe(400);
    const thresholds = await get('/api/v1/scorecards?green=0.5&amber=0.8');
    expect(thresholds.status).toBe(400);
  });

  it('refuses writes without a valid token', async () => {
    expect((await send('PATCH', '/api/v1/programs/EX-CORRECTIONS', { version: 1 })).status).toBe(401);
    expect(
      (await send('PATCH', '/api/v1/programs/EX-CORRECTIONS', { version: 1 }, 'marco_forged')).status,
    ).toBe(401);
    expect((await get('/api/v1/workspace')).status).toBe(401);
  });

  it('validates bodies: malformed JSON 400, wrong media type 415, wrong types 422 with JSON paths', async () => {
    expect((await send('PATCH', '/api/v1/programs/EX-CORRECTIONS', '{"version":', usToken)).status).toBe(400);
    expect(
      (await send('PATCH', '/api/v1/programs/EX-CORRECTIONS', 'version=1', usToken, 'text/plain')).status,
    ).toBe(415);
    const wrong = await send(
      'PATCH',
      '/api/v1/programs/EX-CORRECTIONS',
      { version: 'one', status: 'paused' },
      usToken,
    );
    expect(wrong.status).toBe(422);
    const paths = (wrong.body.error?.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['version', 'status']));
  });

  it('refuses a concurrent stale update with 409 and audits only the accepted one', async () => {
    const title = (en: string) => ({ en, es: `${en} (es)` });
    const [a, b] = await Promise.all([
      send(
        'PATCH',
        '/api/v1/programs/EX-CORRECTIONS',
        { version: 1, title: title('Corrections A') },
        usToken,
      ),
      send(
        'PATCH',
        '/api/v1/programs/EX-CORRECTIONS',
        { version: 1, title: title('Corrections B') },
        usToken,
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 'Corrections A' : 'Corrections B';
    const loser = a.status === 200 ? b : a;
    expect(loser.body.error?.code).toBe('conflict');
    const audits = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'program')
      .where('entity_key', '=', 'EX-CORRECTIONS')
      .where('action', '=', 'update')
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor).toBe('ines');
    expect((audits[0]!.after as { title_en: string }).title_en).toBe(winner);
  });

  it('lets only the owning country edit, and only the counterpart approve', async () => {
    expect(
      (await send('PATCH', '/api/v1/programs/EX-CORRECTIONS', { version: 2, status: 'closed' }, mxToken))
        .status,
    ).toBe(403);
    // A submitted result is not published: the public does not see it, its owners and approvers do.
    expect((await get('/api/v1/results?indicator=EX-ACA-ACCREDITED&period=2018-01')).body).toEqual([]);
    const results = (
      await get('/api/v1/results?indicator=EX-ACA-ACCREDITED&period=2018-01', {
        authorization: `Bearer ${mxToken}`,
      })
    ).body as unknown as { id: number; version: number; status: string }[];
    const jan2018 = results[0]!;
    expect(jan2018.status).toBe('submitted');
    const self = await send(
      'PATCH',
      `/api/v1/results/${jan2018.id}`,
      { version: jan2018.version, status: 'approved' },
      usToken,
    );
    expect(self.status).toBe(403);
    const counterpart = await send(
      'PATCH',
      `/api/v1/results/${jan2018.id}`,
      { version: jan2018.version, status: 'approved' },
      mxToken,
    );
    expect(counterpart.status).toBe(200);
    expect(counterpart.body.status).toBe('approved');
    // Approved, it is published: FY2018 now scores 81 against a target of 90 from a baseline of 23.
    const aca = (
      (await get('/api/v1/scorecards')).body.programs as {
        code: string;
        indicators: {
          periods: { period: string; actual: number | null; percentMet: number | null; status: string }[];
        }[];
      }[]
    ).find((p) => p.code === 'EX-CORRECTIONS')!;
    const fy2018 = aca.indicators[0]!.periods.find((p) => p.period === 'FY2018')!;
    expect(fy2018.actual).toBe(81);
    expect(fy2018.percentMet).toBeCloseTo((81 - 23) / (90 - 23), 12);
    expect(fy2018.status).toBe('amber');
    expect((await get('/api/v1/results?indicator=EX-ACA-ACCREDITED&period=2018-01')).body).toHaveLength(1);
  });

  it('refuses edits of results in a locked period with 409', async () => {
    const [aug] = (await get('/api/v1/results?period=2016-08')).body as unknown as {
      id: number;
      version: number;
    }[];
    const res = await send(
      'PATCH',
      `/api/v1/results/${aug!.id}`,
      { version: aug!.version, value: 43 },
      usToken,
    );
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('refused');
  });

  it('loads workspaces atomically: an invalid one is refused with 422 and changes nothing', async () => {
    const before = await countRows(store);
    const res = await send(
      'POST',
      '/api/v1/workspace',
      {
        marco: 'workspace/1',
        defaults: { country: 'US', agency: 'INL' },
        results: [{ indicator: 'NOPE', period: '2017', place: 'MX', value: 1 }],
      },
      usToken,
    );
    expect(res.status).toBe(422);
    expect((res.body.error?.details as { issues: { path: string }[] }).issues[0]!.path).toBe(
      'results[0].indicator',
    );
    expect(await countRows(store)).toEqual(before);
    const dry = await send(
      'POST',
      '/api/v1/workspace?dry_run=true',
      { marco: 'workspace/1', defaults: { country: 'US', agency: 'INL' }, periods: [{ code: '2030' }] },
      usToken,
    );
    expect(dry.status).toBe(200);
    expect((dry.body as { periods: { create: number } }).periods.create).toBe(1);
    expect(await countRows(store)).toEqual(before);
  });

  it('hides restricted records from the public and from the other country', async () => {
    await loadWorkspace(
      store,
      {
        marco: 'workspace/1',
        defaults: { country: 'MX', agency: 'SSPC', classification: 'restricted' },
        programs: [{ code: 'MX-SECRET', title: { en: 'Restricted', es: 'Restringido' }, status: 'active' }],
      },
      { actor: 'loader', now: clock },
    );
    const codes = async (token?: string) =>
      (
        (await get('/api/v1/programs', token ? { authorization: `Bearer ${token}` } : {}))
          .body as unknown as { code: string }[]
      ).map((p) => p.code);
    expect(await codes()).not.toContain('MX-SECRET');
    expect(await codes(usToken)).not.toContain('MX-SECRET');
    expect(await codes(mxToken)).toContain('MX-SECRET');
    expect((await get('/api/v1/programs/MX-SECRET')).status).toBe(404);
    const exported = async (token: string) =>
      (
        (await get('/api/v1/workspace', { authorization: `Bearer ${token}` })).body as {
          programs: { code: string }[];
        }
      ).programs.map((p) => p.code);
    expect(await exported(usToken)).not.toContain('MX-SECRET');
    expect(await exported(mxToken)).toContain('MX-SECRET');
  });

  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const { body } = await get('/api/v1/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    const paths = body.paths as Record<string, Record<string, { requestBody?: unknown }>>;
    for (const path of [
      '/api/v1/frameworks',
      '/api/v1/programs/{code}',
      '/api/v1/indicators',
      '/api/v1/results',
      '/api/v1/scorecards',
      '/api/v1/crosswalk',
      '/api/v1/targets',
      '/api/v1/programs/{code}/practices',
    ])
      expect(paths, path).toHaveProperty([path]);
    expect(JSON.stringify(paths['/api/v1/results/{id}']!.patch!.requestBody)).toContain('"version"');
    const workspace = (
      body.components as { schemas: Record<string, { properties: Record<string, unknown> }> }
    ).schemas.Workspace!;
    expect(Object.keys(workspace.properties)).toEqual(
      expect.arrayContaining(['marco', 'defaults', 'programs', 'results']),
    );
  });

  it('serves the home page in English and Spanish', async () => {
    const en = await (await app.request('/')).text();
    expect(en).toContain('<html lang="en-US">');
    expect(en).toContain('Program scorecards');
    expect(en).toContain('Protect Our People');
    expect(en).toContain('No outcome indicator');
    const es = await app.request('/?lang=es');
    expect(es.headers.get('set-cookie')).toContain('marco_lang=es');
    const esText = await es.text();
    expect(esText).toContain('<html lang="es-MX">');
    expect(esText).toContain('Tableros por programa');
    expect(esText).toContain('Proteger a nuestra gente');
    const header = await (
      await app.request('/', { headers: { 'accept-language': 'es-MX,es;q=0.9' } })
    ).text();
    expect(header).toContain('<html lang="es-MX">');
    expect(en).not.toContain('MX-SECRET');
  });
});
