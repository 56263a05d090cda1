/**
 * Incidents through the API and workspace YAML, on both records stores: saved all or none and audited;
 * read as their classification allows; a batch with an incident without a source, dated after today,
 * in an unknown agency or naming a code twice is refused with its path in English and Spanish and
 * changes nothing; and the same incidents round-trip API → workspace YAML → another store → API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readInputDocument } from '../../src/domain/input-document.js';
import { todayUtc } from '../../src/domain/incidents/incident-schema.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { exportWorkspace } from '../../src/records/workspace-export.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { caller, clock, exampleRecords, tokenFor } from '../server/example-app.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';

const CAPTURE = {
  code: 'T-CULIACAN',
  date: '2023-01-05',
  kind: 'capture',
  places: ['25', '25006'],
  title: {
    en: 'Capture of Ovidio Guzmán López in Culiacán',
    es: 'Captura de Ovidio Guzmán López en Culiacán',
  },
  summary: {
    en: 'Mexican forces capture Ovidio Guzmán López; violence follows in Culiacán.',
    es: 'Fuerzas mexicanas capturan a Ovidio Guzmán López; sigue la violencia en Culiacán.',
  },
  sources: ['SEDENA press conference, 5 January 2023'],
  classification: 'public',
};
const TRANSFER = {
  code: 'T-TRANSFER',
  date: '2025-02-27',
  kind: 'extradition',
  places: ['MX', 'US'],
  title: {
    en: 'Mexico sends 29 detainees to the United States',
    es: 'México envía a 29 detenidos a Estados Unidos',
  },
  summary: { en: 'A transfer of 29 detainees at once.', es: 'Un traslado de 29 detenidos a la vez.' },
  sources: ['FGR statement, 27 February 2025', 'U.S. Department of Justice press release, 27 February 2025'],
  classification: 'restricted',
};

describe.each(STORE_KINDS)('incidents on %s', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let call: ReturnType<typeof caller>;
  let mx: string;
  let us: string;
  beforeAll(async () => {
    store = await exampleRecords(kind);
    mx = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' });
    us = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' });
    call = caller(createApp({ store, now: clock }));
  });
  afterAll(() => store?.dispose());

  const audited = () =>
    store.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'entity_key'])
      .where('entity', '=', 'incident')
      // The example workspace's load is not these tests'.
      .where('actor', '!=', 'loader')
      .execute();

  it('saves a batch, audited, owned by the caller, official use when no classification is given', async () => {
    const { code: _c, classification: _k, ...rest } = CAPTURE;
    const quiet = { ...rest, code: 'T-QUIET', title: { en: 'Quiet', es: 'Tranquilo' } };
    const r = await call('POST', '/api/v1/incidents', mx, { incidents: [CAPTURE, TRANSFER, quiet] });
    expect(r.status).toBe(200);
    expect((r.body.saved as { action: string }[]).map((s) => s.action)).toEqual([
      'create',
      'create',
      'create',
    ]);
    const entries = await audited();
    expect(entries.map((e) => [e.actor, e.action, e.entity_key]).sort()).toEqual([
      ['mateo', 'create', 'T-CULIACAN'],
      ['mateo', 'create', 'T-QUIET'],
      ['mateo', 'create', 'T-TRANSFER'],
    ]);
    const one = await call('GET', '/api/v1/incidents/T-QUIET', mx);
    expect(one.body).toMatchObject({
      country: 'MX',
      agency: 'SSPC',
      classification: 'official_use',
      version: 1,
    });
  });

  it('shows each incident as its classification allows', async () => {
    const codes = async (token?: string, query = '') =>
      ((await call('GET', `/api/v1/incidents${query}`, token)).body as unknown as { code: string }[])
        .map((i) => i.code)
        // The example workspace's own incidents are public: these tests look at their own.
        .filter((c) => c.startsWith('T-'));
    expect(await codes()).toEqual(['T-CULIACAN']);
    expect(await codes(us)).toEqual(['T-CULIACAN', 'T-QUIET']);
    expect(await codes(mx)).toEqual(['T-TRANSFER', 'T-CULIACAN', 'T-QUIET']);
    expect(await codes(mx, '?kind=extradition')).toEqual(['T-TRANSFER']);
    expect(await codes(mx, '?place=25006&from=2023-01-01&to=2023-12-31')).toEqual(['T-CULIACAN', 'T-QUIET']);
    expect(await codes(mx, '?place=US')).toEqual(['T-TRANSFER']);
    expect(await codes(mx, '?from=2024-01-01')).toEqual(['T-TRANSFER']);
    expect((await call('GET', '/api/v1/incidents/INC-2025-02-27-TRANSFER')).status).toBe(404);
    expect((await call('GET', '/api/v1/incidents/INC-2025-02-27-TRANSFER', us)).status).toBe(404);
    expect((await call('GET', '/api/v1/incidents?kind=riot')).status).toBe(400);
  });

  it('refuses a batch with a bad incident whole, saying where and why in both languages', async () => {
    const before = await audited();
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const bad = [
      { ...CAPTURE, code: 'INC-NO-SOURCE', sources: [] },
      { ...CAPTURE, code: 'INC-FUTURE', date: tomorrow },
    ];
    for (const lang of ['en', 'es'] as const) {
      const r = await call('POST', `/api/v1/incidents?lang=${lang}`, mx, { incidents: bad });
      expect(r.status).toBe(422);
      const issues = (r.body.error!.details as { issues: { path: string; message: string }[] }).issues;
      const at = (path: string) => issues.find((i) => i.path === path)?.message;
      if (lang === 'en') {
        expect(at('incidents[0].sources')).toMatch(/at least one source/);
        expect(at('incidents[1].date')).toBe(
          `the incident is dated ${tomorrow}, after today (${todayUtc()}): record an incident once it has happened`,
        );
      } else {
        expect(r.body.error!.message).toContain(
          'incidents[0].sources: un incidente necesita al menos una fuente (una cita o un enlace)',
        );
        expect(r.body.error!.message).toContain(
          `incidents[1].date: el incidente tiene fecha ${tomorrow}, posterior a hoy`,
        );
      }
    }
    const twice = await call('POST', '/api/v1/incidents', mx, {
      incidents: [
        { ...CAPTURE, code: 'INC-NEW' },
        { ...CAPTURE, code: 'INC-NEW' },
      ],
    });
    expect(twice.status).toBe(422);
    expect(JSON.stringify(twice.body)).toContain('incidents[1].code');
    const stranger = await call('POST', '/api/v1/incidents', mx, {
      incidents: [{ ...CAPTURE, code: 'INC-NEW', agency: 'NOPE' }],
    });
    expect([403, 422]).toContain(stranger.status);
    expect(await audited()).toEqual(before);
    expect((await call('GET', '/api/v1/incidents/INC-NEW', mx)).status).toBe(404);
  });

  it('lets only the owners change an incident, and refuses a stale version', async () => {
    const r = await call('POST', '/api/v1/incidents', us, {
      incidents: [{ ...CAPTURE, summary: { en: 'Changed by another country', es: 'Cambiado' } }],
    });
    expect(r.status).toBe(403);
    const changed = { ...CAPTURE, sources: [...CAPTURE.sources, 'Reuters, 5 January 2023'], version: 1 };
    expect((await call('POST', '/api/v1/incidents', mx, { incidents: [changed] })).status).toBe(200);
    const stale = await call('POST', '/api/v1/incidents', mx, {
      incidents: [{ ...changed, title: { en: 'Another title', es: 'Otro título' } }],
    });
    expect(stale.status).toBe(409);
    const now = await call('GET', `/api/v1/incidents/${CAPTURE.code}`);
    expect(now.body).toMatchObject({ version: 2, sources: changed.sources });
  });

  it('keeps a classification a change leaves out, and tells a writer who may not see an incident only that its code is taken', async () => {
    const { classification: _k, ...unclassified } = TRANSFER;
    const changed = { ...unclassified, summary: { en: 'Changed.', es: 'Cambiado.' } };
    expect((await call('POST', '/api/v1/incidents', mx, { incidents: [changed] })).status).toBe(200);
    const now = await call('GET', '/api/v1/incidents/T-TRANSFER', mx);
    expect(now.body).toMatchObject({ classification: 'restricted', summary: changed.summary });
    const before = await audited();
    const blind = await call('POST', '/api/v1/incidents', us, {
      incidents: [{ ...TRANSFER, country: 'US', agency: 'INL' }],
    });
    expect(blind.status).toBe(422);
    expect(blind.body.error!.details).toMatchObject({
      issues: [{ path: 'incidents[0].code', message: 'the code T-TRANSFER is taken; choose another code' }],
    });
    expect(JSON.stringify(blind.body)).not.toContain('MX');
    expect(await audited()).toEqual(before);
    // A place filter keeps the incidents in the place or within it: Mexico holds Sinaloa's.
    const inMexico = (
      (await call('GET', '/api/v1/incidents?place=MX', mx)).body as unknown as { code: string }[]
    )
      .map((i) => i.code)
      .filter((c) => c.startsWith('T-'));
    expect(inMexico).toEqual(['T-TRANSFER', 'T-CULIACAN', 'T-QUIET']);
  });

  it('round-trips through workspace YAML into another store and out of its API unchanged', async () => {
    const exported = await exportWorkspace(store);
    expect(exported.incidents?.map((i) => i.code).filter((c) => c.startsWith('T-'))).toEqual([
      'T-CULIACAN',
      'T-QUIET',
      'T-TRANSFER',
    ]);
    expect(exported.incidents).toHaveLength(8);
    const text = stringify(exported);
    const other = await freshStore(kind);
    try {
      await loadBuiltins(other, 'test');
      const summary = await loadWorkspace(other, readInputDocument(text, 'export.yaml').data, {
        actor: 'loader',
        now: clock,
      });
      expect(summary.incidents).toEqual({ create: 8, update: 0, unchanged: 0, deleted: 0 });
      const strip = (list: Record<string, unknown>[]) =>
        list.map(({ id: _i, updated_at: _u, updated_by: _b, version: _v, ...rest }) => rest);
      const otherMx = await tokenFor(other, { user: 'mateo', country: 'MX', agency: 'SSPC' });
      const there = await caller(createApp({ store: other, now: clock }))(
        'GET',
        '/api/v1/incidents',
        otherMx,
      );
      const here = await call('GET', '/api/v1/incidents', mx);
      expect(strip(there.body as never)).toEqual(strip(here.body as never));
      // Reloading the same file changes nothing.
      const again = await loadWorkspace(other, readInputDocument(text, 'export.yaml').data, {
        actor: 'loader',
        now: clock,
      });
      expect(again.incidents).toEqual({ create: 0, update: 0, unchanged: 8, deleted: 0 });
    } finally {
      await other.dispose();
    }
  });

  it('refuses a workspace incident without a source, dated after today or given twice', async () => {
    const doc = {
      marco: 'workspace/1',
      defaults: { country: 'MX', agency: 'SSPC' },
      incidents: [
        { ...CAPTURE, code: 'W1', sources: [] },
        { ...CAPTURE, code: 'W2', date: '2999-01-01' },
        { ...CAPTURE, code: 'W3' },
        { ...CAPTURE, code: 'W3' },
      ],
    };
    const error = await loadWorkspace(store, doc, { actor: 'loader', now: clock }).catch((e: unknown) => e);
    const paths = (error as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toContain('incidents[0].sources');
    expect(paths).toContain('incidents[1].date');
    const dup = await loadWorkspace(
      store,
      { ...doc, incidents: doc.incidents.slice(2) },
      { actor: 'loader', now: clock },
    ).catch((e: unknown) => e);
    expect((dup as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['incidents[1]']);
    // An incident the file classifies nowhere (neither it nor the defaults) is for official use.
    const { classification: _k, ...unclassified } = CAPTURE;
    await loadWorkspace(
      store,
      { ...doc, incidents: [{ ...unclassified, code: 'W4' }] },
      { actor: 'loader', now: clock },
    );
    expect((await call('GET', '/api/v1/incidents/W4', mx)).body).toMatchObject({
      classification: 'official_use',
    });
    expect((await call('GET', '/api/v1/incidents/W4')).status).toBe(404);
  });
});
