/**
 * What each caller may read through every read route of records: the public sees public records; any
 * official sees "official use" records; restricted records are seen by their own country only; and a
 * record is hidden when its parent is. Each route is asked by an anonymous reader, a U.S. official and a
 * Mexican official, and the answer is compared with the records each may see, exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import type { createApp } from '../../src/server/app.js';
import { indicator, practices, program, workspace } from '../fixtures/workspace.js';
import { STORE_KINDS, type freshStore } from '../records/stores.js';
import { clock, exampleApp } from './example-app.js';

type Caller = 'anonymous' | 'US' | 'MX';

describe.each(STORE_KINDS)('visibility on every read route, on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    let us: string;
    let mx: string;
    ({ store, app, us, mx } = await exampleApp(kind));
    tokens.US = us;
    tokens.MX = mx;
    const targets = [
      { period: '2018', value: 5 },
      { period: '2019', value: 4, classification: 'restricted' },
    ];
    // A restricted Mexican program; a U.S. program for official use with a restricted indicator; and a
    // public Mexican program with a restricted indicator.
    await loadWorkspace(
      store,
      workspace(
        {
          periods: [{ code: '2018' }, { code: '2019' }],
          programs: [
            program('MX-SECRET', {
              classification: 'restricted',
              indicators: [indicator('MX-SECRET-1', { classification: 'restricted', targets })],
              practices: practices('restricted'),
            }),
            program('MX-OPEN', {
              indicators: [
                indicator('MX-OPEN-1', { targets }),
                indicator('MX-OPEN-HIDDEN', { classification: 'restricted', targets }),
              ],
              practices: practices('public'),
            }),
          ],
        },
        { country: 'MX', agency: 'SSPC' },
      ),
      { actor: 'loader', now: clock },
    );
    await loadWorkspace(
      store,
      workspace(
        {
          periods: [{ code: '2018', country: 'MX', agency: 'SSPC' }],
          programs: [
            program('US-INTERNAL', {
              classification: 'official_use',
              indicators: [
                indicator('US-INTERNAL-1', { classification: 'official_use', targets }),
                indicator('US-INTERNAL-HIDDEN', { classification: 'restricted', targets }),
              ],
              practices: practices('official_use'),
            }),
          ],
        },
        { country: 'US', agency: 'INL' },
      ),
      { actor: 'loader', now: clock },
    );
  });
  afterAll(() => store?.dispose());

  const get = async (path: string, caller: Caller) => {
    const token = tokens[caller];
    const res = await app.request(`/api/v1${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const codes = (body: unknown) => (body as { code: string }[]).map((x) => x.code).sort();
  const ours = (list: string[]) => list.filter((c) => /^(MX|US)-/.test(c));

  /** Which of the test's indicators each caller may see. */
  const visibleIndicators: Record<Caller, string[]> = {
    anonymous: ['MX-OPEN-1'],
    US: ['MX-OPEN-1', 'US-INTERNAL-1', 'US-INTERNAL-HIDDEN'],
    MX: ['MX-OPEN-1', 'MX-OPEN-HIDDEN', 'MX-SECRET-1', 'US-INTERNAL-1'],
  };

  it.each(['anonymous', 'US', 'MX'] as const)('GET /indicators shows %s what it may see', async (caller) => {
    const { status, body } = await get('/indicators', caller);
    expect(status).toBe(200);
    expect(ours(codes(body))).toEqual(visibleIndicators[caller]);
  });

  it('GET /indicators?program= lists one program’s visible indicators, and hides an invisible program’s', async () => {
    expect(codes((await get('/indicators?program=MX-OPEN', 'anonymous')).body)).toEqual(['MX-OPEN-1']);
    expect(codes((await get('/indicators?program=MX-OPEN', 'MX')).body)).toEqual([
      'MX-OPEN-1',
      'MX-OPEN-HIDDEN',
    ]);
    expect((await get('/indicators?program=MX-SECRET', 'US')).body).toEqual([]);
    expect(codes((await get('/indicators?program=MX-SECRET', 'MX')).body)).toEqual(['MX-SECRET-1']);
  });

  it('GET /indicators/{code} answers 404 for an indicator the caller may not see, and its visible targets', async () => {
    const cases: [string, Caller, number][] = [
      ['MX-SECRET-1', 'anonymous', 404],
      ['MX-SECRET-1', 'US', 404],
      ['MX-SECRET-1', 'MX', 200],
      ['US-INTERNAL-1', 'anonymous', 404],
      ['US-INTERNAL-1', 'MX', 200],
      ['MX-OPEN-HIDDEN', 'US', 404],
      ['MX-OPEN-1', 'anonymous', 200],
    ];
    for (const [code, caller, status] of cases)
      expect((await get(`/indicators/${code}`, caller)).status, `${code} by ${caller}`).toBe(status);
    const periods = async (caller: Caller) =>
      ((await get('/indicators/MX-OPEN-1', caller)).body as { targets: { period: string }[] }).targets.map(
        (t) => t.period,
      );
    // The 2019 target is restricted: the public and the other country see 2018 only.
    expect(await periods('anonymous')).toEqual(['2018']);
    expect(await periods('US')).toEqual(['2018']);
    expect(await periods('MX')).toEqual(['2018', '2019']);
  });

  it('GET /targets gives the visible targets of a visible indicator, and 404 otherwise', async () => {
    const targets = async (code: string, caller: Caller) => get(`/targets?indicator=${code}`, caller);
    expect(((await targets('MX-OPEN-1', 'anonymous')).body as { targets: unknown[] }).targets).toHaveLength(
      1,
    );
    expect(((await targets('MX-OPEN-1', 'MX')).body as { targets: unknown[] }).targets).toHaveLength(2);
    expect((await targets('MX-SECRET-1', 'US')).status).toBe(404);
    expect((await targets('US-INTERNAL-1', 'anonymous')).status).toBe(404);
    const own = await targets('US-INTERNAL-1', 'US');
    expect(own.status).toBe(200);
    const periods = (body: unknown) =>
      (body as { targets: { period: string }[] }).targets.map((t) => t.period);
    // Its restricted 2019 target: seen by the U.S., its owner, and not by Mexico.
    expect(periods(own.body)).toEqual(['2018', '2019']);
    expect(periods((await targets('US-INTERNAL-1', 'MX')).body)).toEqual(['2018']);
  });

  it('GET /programs/{code}/practices gives the practices of a visible program only', async () => {
    const practicesOf = async (code: string, caller: Caller) => get(`/programs/${code}/practices`, caller);
    const open = await practicesOf('MX-OPEN', 'anonymous');
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ program: 'MX-OPEN', compliance: { met: 2, notMet: 1 } });
    expect((await practicesOf('MX-SECRET', 'anonymous')).status).toBe(404);
    expect((await practicesOf('MX-SECRET', 'US')).status).toBe(404);
    expect((await practicesOf('MX-SECRET', 'MX')).body).toMatchObject({ program: 'MX-SECRET' });
    expect((await practicesOf('US-INTERNAL', 'anonymous')).status).toBe(404);
    expect(
      ((await practicesOf('US-INTERNAL', 'MX')).body as { practices: unknown[] }).practices,
    ).toHaveLength(3);
  });

  it('GET /programs lists the programs each caller may see', async () => {
    expect(ours(codes((await get('/programs', 'anonymous')).body))).toEqual(['MX-OPEN']);
    expect(ours(codes((await get('/programs', 'US')).body))).toEqual(['MX-OPEN', 'US-INTERNAL']);
    expect(ours(codes((await get('/programs', 'MX')).body))).toEqual(['MX-OPEN', 'MX-SECRET', 'US-INTERNAL']);
  });

  it('GET /nodes lists every framework node with its parent, and one framework’s with ?framework=', async () => {
    const all = (await get('/nodes', 'anonymous')).body as { ref: string; parent: string | null }[];
    const merida = (await get('/nodes?framework=merida', 'anonymous')).body as { ref: string }[];
    expect(merida.map((n) => n.ref)).toEqual(['merida:1', 'merida:2', 'merida:3', 'merida:4']);
    expect(all.filter((n) => n.ref.startsWith('bicentennial:'))).toContainEqual(
      expect.objectContaining({ ref: 'bicentennial:1.1', parent: 'bicentennial:1' }),
    );
    expect(all).toHaveLength(merida.length + 6);
    expect((await get('/nodes?framework=nothing', 'anonymous')).status).toBe(404);
  });
});
