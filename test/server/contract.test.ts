/**
 * The API keeps its published contract: the OpenAPI document passes a maintained validator (Redocly's
 * `recommended-strict` rules), and a walk through the whole monitoring cycle calls every operation on
 * real records and real statistics (the starter snapshot, the built-in documented figures, SESNSP
 * victims uploaded through the API) and checks each answer, success or problem, against the schema the
 * document gives for its operation and status. A status the document does not declare fails too.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/job-worker.js';
import { jobHandlers } from '../../src/server/job-handlers.js';
import { openApiDocument } from '../../src/server/openapi.js';
import { committedOperationsTable, operationsTable } from '../../src/server/openapi-markdown.js';
import { createApp } from '../../src/server/app.js';
import { ensureFigures } from '../../src/stats/claims.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { importBacrim } from '../networks/bacrim.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { STORE_KINDS } from '../records/stores.js';
import { sharedFile } from '../stats/shared-data.js';
import { startSharedMirror, type SharedMirror } from '../stats/shared-mirror.js';
import { CHIHUAHUA_RATE_RESULT, JOINT_OPERATIONS_SPEC } from '../fixtures/api-bodies.js';
import { clock, exampleRecords, tokenFor } from './example-app.js';

const VICTIMS = sharedFile('sesnsp/db_victimas_delitos_ent_long.csv.bz2');
const TOPOLOGY = sharedFile('geo/estatal.topojson');
if (process.env.CI === 'true' && !(VICTIMS && TOPOLOGY))
  throw new Error('CI=true but the shared SESNSP victims file or the state TopoJSON is missing');

/** The user names of this test's officials, as they would appear in a JSON answer. */
const OFFICIALS = /"(mateo|ines|alma|abe|loader|lucia|rosa)"/;

type Doc = {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
};
const doc = openApiDocument() as Doc;

describe('the OpenAPI document', () => {
  it('passes Redocly’s recommended-strict rules with no error or warning', async () => {
    const config = await createConfig({ extends: ['recommended-strict'] });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'file:///openapi.json',
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('names every operation, declares its security and says what each status returns', () => {
    const ops = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(ops.length).toBeGreaterThanOrEqual(50);
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) {
      expect(op, op.operationId).toHaveProperty('security');
      const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect(
        Object.keys(op.responses).every((s) => /^[2345]\d\d$/.test(s)),
        op.operationId,
      ).toBe(true);
      expect(success, op.operationId).toHaveLength(1);
      const body = (op.responses[success[0]!] as { content: Record<string, { schema: object }> }).content;
      // A real schema, not a bare object: a type, a reference or a composition.
      const first = body['application/json'] ?? Object.values(body)[0];
      expect(Object.keys(first!.schema).length, op.operationId).toBeGreaterThan(0);
    }
  });

  it('is the one docs/api.md tabulates (run `npm run docs:openapi` after changing the API)', async () => {
    const md = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    // Cells compared without Prettier's padding.
    const cells = (table: string | undefined) =>
      (table ?? '')
        .split('\n')
        .filter((line) => !/^\|[\s|:-]+\|$/.test(line))
        .map((line) =>
          line
            .split('|')
            .map((c) => c.trim())
            .join('|'),
        );
    expect(cells(committedOperationsTable(md))).toEqual(
      cells(operationsTable(doc as Parameters<typeof operationsTable>[0])),
    );
  });
});

(VICTIMS && TOPOLOGY ? describe : describe.skip)(
  `every operation answers as documented (on ${STORE_KINDS[0]})`,
  () => {
    let store: Awaited<ReturnType<typeof exampleRecords>>;
    let stats: StatsStore;
    let app: ReturnType<typeof createApp>;
    let jobsDir: string | undefined;
    let mirror: SharedMirror | undefined;
    let worker: Worker;
    const tokens = { mx: '', us: '', mxAdmin: '', usAdmin: '' };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(doc, 'openapi');
    const covered = new Set<string>();
    const seen: string[] = [];

    /** The documented operation a request reaches, by method and path pattern. */
    const operation = (method: string, path: string) => {
      const bare = path.split('?')[0]!;
      for (const [template, methods] of Object.entries(doc.paths)) {
        const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
        const op = methods[method.toLowerCase()];
        if (pattern.test(bare) && op) return { template, op };
      }
      throw new Error(`no documented operation for ${method} ${bare}`);
    };

    /** One request; its answer checked against the document. Returns the status and the parsed body. */
    async function call(
      method: string,
      path: string,
      token?: string,
      body?: unknown,
      type = 'application/json',
      extra: Record<string, string> = {},
      // The answer was validated against its documented schema just above: tests read it freely.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ): Promise<{ status: number; body: any }> {
      const res = await app.request(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': type }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...extra,
        },
        ...(body === undefined
          ? {}
          : { body: body instanceof Uint8Array || typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const { template, op } = operation(method, path);
      const status = String(res.status);
      seen.push(`${op.operationId} ${status}`);
      expect.soft(Object.keys(op.responses), `${method} ${path} answered ${status}`).toContain(status);
      const answered = res.headers.get('content-type') ?? '';
      const mediaType = status.startsWith('2')
        ? ([
            'text/csv',
            'application/vnd.apache.parquet',
            'application/geo+json',
            'application/xml',
            'application/json',
            'text/html',
            'application/pdf',
          ].find((m) => answered.startsWith(m)) ?? answered)
        : 'application/problem+json';
      expect(answered, `${method} ${path}`).toContain(mediaType);
      const documented = (op.responses[status] as { content?: Record<string, unknown> } | undefined)?.content;
      expect
        .soft(Object.keys(documented ?? {}), `${method} ${path} → ${status} as ${mediaType}`)
        .toContain(mediaType);
      if (mediaType === 'application/vnd.apache.parquet') {
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (status.startsWith('2')) covered.add(op.operationId);
        return { status: res.status, body: bytes };
      }
      const text = await res.text();
      // A job's output is a file of its own type (documented as binary): read as it is.
      if (mediaType === 'text/csv' || mediaType === 'application/xml' || op.operationId === 'getJobOutput') {
        if (status.startsWith('2')) covered.add(op.operationId);
        return { status: res.status, body: text };
      }
      // Anonymous readers never learn which officials wrote, reviewed or approved anything.
      if (!token && res.ok) expect.soft(text, `${method} ${path}`).not.toMatch(OFFICIALS);
      const parsed = JSON.parse(text);
      const pointer = `openapi#/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}/responses/${status}/content/${mediaType.replace('/', '~1')}/schema`;
      const validate = ajv.getSchema(pointer);
      expect(validate, pointer).toBeDefined();
      const valid = validate!(parsed);
      expect
        .soft(
          valid
            ? []
            : validate!
                .errors!.slice(0, 5)
                .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`),
          `${method} ${path} → ${status}`,
        )
        .toEqual([]);
      if (status.startsWith('2')) covered.add(op.operationId);
      return { status: res.status, body: parsed };
    }

    beforeAll(async () => {
      store = await exampleRecords(STORE_KINDS[0]!);
      stats = await openStats({ memory: true });
      await ensureStarter(stats, 'test');
      await ensureFigures(stats, 'test');
      await importFile(stats, sourceById('inegi-boundaries')!, TOPOLOGY!, { version: 'test' });
      await importBacrim(stats);
      tokens.mx = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' });
      tokens.us = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' });
      tokens.mxAdmin = await tokenFor(store, { user: 'alma', country: 'MX', agency: 'SSPC' }, ['admin']);
      tokens.usAdmin = await tokenFor(store, { user: 'abe', country: 'US', agency: 'INL' }, ['admin']);
      jobsDir = await mkdtemp(path.join(os.tmpdir(), 'marco-contract-jobs-'));
      mirror = await startSharedMirror();
      const fetch = { downloadsDir: path.join(jobsDir, 'downloads'), mirror: mirror.url };
      app = createApp({ store, stats, now: clock, version: 'test', limits: false, jobsDir, fetch });
      worker = await startWorker(
        store,
        { dir: jobsDir, handlers: jobHandlers(store, stats, 'test', fetch) },
        false,
      );
    }, 120_000);
    afterAll(async () => {
      stats?.close();
      await store?.dispose();
      if (jobsDir) await rm(jobsDir, { recursive: true, force: true });
      await mirror?.close();
    });

    it('answers the network operations as documented: counts for all, group detail for officials', async () => {
      const open = (await call('GET', '/api/v1/networks')).body;
      expect([open.groups, open.alliances, open.rivalries, open.detail]).toEqual([150, 91, 92, false]);
      expect(open.states.find((s: { state: string }) => s.state === '09').groups).toBe(47);
      expect((await call('GET', '/api/v1/networks/groups')).status).toBe(401);
      expect((await call('GET', '/api/v1/networks/groups/N10025')).status).toBe(401);
      expect((await call('GET', '/api/v1/networks', tokens.us)).body.detail).toBe(true);
      const detail = (await call('GET', '/api/v1/networks/groups', tokens.us)).body;
      expect(detail.components[0].nodes).toHaveLength(109);
      const cjng = (await call('GET', '/api/v1/networks/groups/N10025', tokens.mx)).body;
      expect([cjng.group.degree.all, cjng.allies.length, cjng.rivals.length]).toEqual([52, 28, 27]);
      const missing = await call('GET', '/api/v1/networks/groups/N10999', tokens.mx);
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toContain('N10099');
    });

    it('answers the incident operations as documented: saved by a reporter, read as classified', async () => {
      const incident = {
        code: 'INC-CONTRACT',
        date: '2023-01-05',
        kind: 'capture',
        places: ['25'],
        title: { en: 'A capture in Sinaloa', es: 'Una captura en Sinaloa' },
        summary: { en: 'For the contract test.', es: 'Para la prueba del contrato.' },
        sources: ['SEDENA, 5 January 2023'],
      };
      const saved = await call('POST', '/api/v1/incidents', tokens.mx, { incidents: [incident] });
      expect(saved.body.saved).toEqual([{ code: 'INC-CONTRACT', id: expect.any(Number), action: 'create' }]);
      const open = (await call('GET', '/api/v1/incidents')).body.map((i: { code: string }) => i.code);
      expect(open).toContain('INC-2023-01-05-CULIACAN');
      expect(open).not.toContain('INC-CONTRACT');
      const seen = (await call('GET', '/api/v1/incidents?kind=capture&place=25', tokens.us)).body;
      expect(seen.map((i: { code: string }) => i.code)).toEqual(['INC-2023-01-05-CULIACAN', 'INC-CONTRACT']);
      const one = (await call('GET', '/api/v1/incidents/INC-CONTRACT', tokens.us)).body;
      expect(one.classification).toBe('official_use');
      const unknown = await call('POST', '/api/v1/incidents', tokens.mx, {
        incidents: [{ ...incident, code: 'INC-X', places: ['33'] }],
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.details.issues[0].path).toBe('incidents[0].places[0]');
    });

    it('answers the statistics operations as documented', async () => {
      const { mx } = tokens;
      const imported = await call(
        'POST',
        '/api/v1/imports?source=sesnsp-victims&file_name=victimas.csv.bz2',
        mx,
        await readFile(VICTIMS!),
        'application/octet-stream',
      );
      expect(imported.status).toBe(200);
      expect(imported.body.rowsLoaded).toBeGreaterThan(1000);
      expect((await call('GET', '/api/v1/sources')).body.length).toBeGreaterThan(5);
      expect((await call('GET', '/api/v1/measures')).body.length).toBeGreaterThan(5);
      const rows = (await call('GET', '/api/v1/reconciliation?from=2015&to=2020')).body;
      expect(rows.some((r: { gap: number | null }) => r.gap !== null)).toBe(true);
      expect((await call('GET', '/api/v1/claims')).body.checks.length).toBeGreaterThan(3);
      const series = await call(
        'GET',
        '/api/v1/series?measure=homicides&geo=08,09&by=year&from=2018&to=2021&per=100000',
      );
      expect(series.body.series[0].points[0].rate).toBeGreaterThan(0);
      expect(
        (await call('GET', '/api/v1/anomalies?measure=homicides&level=state')).body.anomalies.length,
      ).toBeGreaterThan(0);
      expect((await call('GET', '/api/v1/boundaries?level=state')).body.type).toBe('Topology');
      expect((await call('GET', '/api/v1/boundaries?level=state&format=geojson')).body.type).toBe(
        'FeatureCollection',
      );
      expect(
        (await call('GET', '/api/v1/series/datapackage.json?measure=homicides&level=state')).body.resources,
      ).toHaveLength(1);
      expect((await call('GET', '/api/v1/datapackage.json')).body.resources.length).toBeGreaterThan(2);
      expect((await call('GET', '/api/v1/catalog')).body['dcat:dataset'].length).toBeGreaterThan(2);
      // Accept chooses the form as the format parameter or the suffix does.
      const geo = await call('GET', '/api/v1/boundaries?level=state', undefined, undefined, undefined, {
        accept: 'application/geo+json',
      });
      expect(geo.body.type).toBe('FeatureCollection');
      const parquet = await call(
        'GET',
        '/api/v1/series.parquet?measure=homicides&geo=08&by=year&from=2018&to=2019',
      );
      expect(new TextDecoder().decode((parquet.body as Uint8Array).slice(0, 4))).toBe('PAR1');
      const csv = await call('GET', '/api/v1/series.csv?measure=homicides&geo=08&by=year&from=2018&to=2019');
      expect(csv.body.split('\n')[0]).toMatch(/^measure,unit,rate_per,geo,/);
      await call(
        'GET',
        '/api/v1/series?measure=homicides&geo=08&by=year&from=2018&to=2019&excel=true',
        undefined,
        undefined,
        undefined,
        { accept: 'text/csv' },
      );
      expect(
        (await call('GET', '/api/v1/sources', undefined, undefined, undefined, { accept: 'application/xml' }))
          .status,
      ).toBe(406);
      // Refusals are problems of documented statuses.
      expect((await call('GET', '/api/v1/series?measure=nonsense')).status).toBe(400);
      expect((await call('GET', '/api/v1/series?measure=homicides&bogus=1')).status).toBe(400);
      expect(
        (
          await call(
            'POST',
            '/api/v1/imports?source=sesnsp-victims',
            undefined,
            new Uint8Array(3),
            'application/octet-stream',
          )
        ).status,
      ).toBe(401);
      const rolled = await call('POST', `/api/v1/vintages/${imported.body.vintage}/rollback`, mx);
      expect(rolled.body.rowsWithdrawn).toBe(imported.body.rowsLoaded);
      expect((await call('POST', '/api/v1/vintages/999999/rollback', mx)).status).toBe(404);
    }, 120_000);

    it('answers the frameworks, programs, indicators and evaluation operations as documented', async () => {
      const { mx, us } = tokens;
      const frameworks = (await call('GET', '/api/v1/frameworks')).body;
      const code = frameworks[0].code;
      expect((await call('GET', `/api/v1/frameworks/${code}`)).body.nodes.length).toBeGreaterThan(0);
      expect((await call('GET', '/api/v1/frameworks/NOPE')).status).toBe(404);
      const nodes = (await call('GET', `/api/v1/nodes?framework=${code}`)).body;
      await call('GET', '/api/v1/crosswalk');
      const node = nodes.find((n: { parent: string | null }) => n.parent !== null).ref;
      const saved = await call('POST', '/api/v1/benchmarks', mx, {
        benchmarks: [
          {
            code: 'BF-CONTRACT',
            node,
            name: { en: 'Homicide rate, Chihuahua', es: 'Tasa de homicidios, Chihuahua' },
            definition: { en: 'INEGI homicides per 100,000', es: 'Homicidios INEGI por 100 000' },
            unit: { en: 'per 100,000', es: 'por 100 000' },
            direction: 'decrease',
            series: { measure: 'homicides', geo: '08', per: 100000 },
            targets: [{ period: '2020', value: 50 }],
          },
        ],
      });
      expect(saved.body.saved[0].code).toBe('BF-CONTRACT');
      await call('POST', '/api/v1/benchmarks/BF-CONTRACT/targets/2020/approve', mx);
      await call('POST', '/api/v1/benchmarks/BF-CONTRACT/targets/2020/approve', us);
      const benchmarks = (await call('GET', '/api/v1/benchmarks')).body;
      const approvals = benchmarks.find((b: { code: string }) => b.code === 'BF-CONTRACT').targets[0]
        .approvals;
      expect([approvals.US?.at, approvals.MX?.at].every(Boolean)).toBe(true);

      const programs = (await call('GET', '/api/v1/programs')).body;
      expect(programs.length).toBeGreaterThan(0);
      const program = (await call('GET', '/api/v1/programs/EX-CORRECTIONS', mx)).body;
      await call('GET', '/api/v1/programs/EX-CORRECTIONS');
      await call('GET', '/api/v1/programs/EX-CORRECTIONS/practices');
      const owner = program.country === 'US' ? us : mx;
      const patched = await call('PATCH', '/api/v1/programs/EX-CORRECTIONS', owner, {
        version: program.version,
        status: program.status,
        description: { en: 'Prison reform in three states', es: 'Reforma penitenciaria en tres estados' },
      });
      expect(patched.status).toBe(200);
      expect(
        (
          await call('PATCH', '/api/v1/programs/EX-CORRECTIONS', owner, {
            version: program.version,
            status: 'closed',
          })
        ).status,
      ).toBe(409);
      const indicators = (await call('GET', '/api/v1/indicators')).body;
      const indicator = indicators[0].code;
      expect((await call('GET', `/api/v1/indicators/${indicator}`)).body.code).toBe(indicator);
      expect((await call('GET', `/api/v1/targets?indicator=${indicator}`)).body.indicator).toBe(indicator);
      expect((await call('GET', '/api/v1/targets')).status).toBe(400);

      const added = await call('POST', '/api/v1/interventions', mx, {
        id: 'contract-op',
        type: 'military_operation',
        name: 'Contract test operation',
        date: '2009-03-01',
        level: 'state',
        places: ['05'],
        source: 'test',
      });
      expect(added.body.added).toEqual(['contract-op']);
      expect((await call('GET', '/api/v1/interventions')).body.length).toBeGreaterThan(1);
      // An evaluation is a job: queued at once, run by the worker, its output the saved run.
      const job = await call('POST', '/api/v1/evaluations', mx, JOINT_OPERATIONS_SPEC);
      expect(job.status, JSON.stringify(job.body)).toBe(202);
      expect(await worker.runOnce()).toBe(true);
      const done = await call('GET', `/api/v1/jobs/${job.body.id}`, mx);
      expect(done.body.status, JSON.stringify(done.body.error)).toBe('succeeded');
      const run = { body: JSON.parse((await call('GET', done.body.output.url, mx)).body as string) };
      expect((await call('GET', '/api/v1/evaluations')).body[0].id).toBe(run.body.id);
      expect((await call('GET', `/api/v1/evaluations/${run.body.id}`)).body.hash).toBe(run.body.hash);
      expect((await call('POST', '/api/v1/evaluations', mx, { marco: 'evaluation/1' })).status).toBe(422);
      expect((await call('GET', `/api/v1/jobs/${job.body.id}`, tokens.us)).status).toBe(404);
    }, 120_000);

    it('answers the results cycle as documented', async () => {
      const { mx, us, mxAdmin } = tokens;
      const entered = await call('POST', '/api/v1/results', mx, CHIHUAHUA_RATE_RESULT);
      expect(entered.status).toBe(201);
      const id = entered.body.id as number;
      expect((await call('POST', '/api/v1/results', mx, { ...entered.body, id: undefined })).status).toBe(
        422,
      );
      expect((await call('GET', `/api/v1/results/${id}`, mx)).body.id).toBe(id);
      expect((await call('GET', `/api/v1/results/${id}`)).status).toBe(404);
      const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      const attached = await call(
        'POST',
        `/api/v1/results/${id}/attachments?filename=acta.pdf`,
        mx,
        pdf,
        'application/octet-stream',
      );
      const sha = attached.body.attachments[0].sha256;
      const kept = new TextEncoder().encode('%PDF-1.4\n% the signed minutes\n%%EOF\n');
      await call(
        'POST',
        `/api/v1/results/${id}/attachments?filename=minuta.pdf`,
        mx,
        kept,
        'application/octet-stream',
      );
      expect((await call('GET', `/api/v1/results/${id}/attachments`, mx)).body).toHaveLength(2);
      await call('DELETE', `/api/v1/results/${id}/attachments/${sha}`, mx, { reason: 'the wrong file' });
      const current = (await call('GET', `/api/v1/results/${id}`, mx)).body;
      const submitted = await call('PATCH', `/api/v1/results/${id}`, mx, {
        version: current.version,
        status: 'submitted',
      });
      expect(submitted.body.status).toBe('submitted');
      const approved = await call('POST', '/api/v1/approvals', us, {
        results: [{ id, version: submitted.body.version }],
      });
      expect(approved.status).toBe(200);
      // Now public: anyone reads it and its evidence, without the names of those who handled them.
      expect((await call('GET', `/api/v1/results/${id}/attachments`)).body).toHaveLength(1);
      await call('GET', `/api/v1/indicators/EX-HOM-RATE-08`);
      await call('GET', '/api/v1/benchmarks');
      await call('GET', '/api/v1/interventions');
      expect((await call('GET', '/api/v1/results?limit=1')).body).toHaveLength(1);
      const table = (await call('GET', '/api/v1/results.csv', mx)).body as string;
      expect(table.split('\n')[0]).toBe(
        'indicator,period,place,disaggregation,value,numerator,denominator,comment,evidence',
      );
      expect(table).toContain(`EX-HOM-RATE-08,2019,08,sex:female,`);
      const header = table.split('\n')[0];
      const dry = await call(
        'POST',
        '/api/v1/results/imports?dry_run=true',
        mx,
        `${header}\nEX-HOM-RATE-08,2020,08,sex:male,31,,,,\n`,
        'text/csv',
      );
      expect(dry.body).toMatchObject({ dryRun: true, imported: 1 });
      const refused = await call(
        'POST',
        '/api/v1/results/imports',
        mx,
        `${header}\nEX-HOM-RATE-08,2031,08,sex:male,31,,,,\n`,
        'text/csv',
      );
      expect(refused.status).toBe(409);
      const cards = (await call('GET', '/api/v1/scorecards.csv')).body as string;
      expect(
        (await call('GET', '/api/v1/scorecards', undefined, undefined, undefined, { accept: 'text/csv' }))
          .body,
      ).toBe(cards);
      expect(
        (
          await call('GET', '/api/v1/results', mx, undefined, undefined, {
            accept: 'text/csv;q=0.9, application/json;q=0.5',
          })
        ).body,
      ).toBe(table);
      expect(cards.split('\n').length).toBeGreaterThan(3);
      expect((await call('GET', '/api/v1/results?limit=0')).status).toBe(400);
      const card = (await call('GET', '/api/v1/scorecards', mx)).body;
      expect(card.programs.length).toBeGreaterThan(0);
      await call('GET', '/api/v1/scorecards');
      const document = (await call('GET', '/api/v1/workspace', mx)).body;
      expect((await call('POST', '/api/v1/workspace?dry_run=true', mx, document)).status).toBe(200);
      expect((await call('POST', '/api/v1/workspace', mx, { marco: 'nope' })).status).toBe(422);
      const locked = await call('POST', '/api/v1/periods/2019/lock', mxAdmin, {
        override_reason: 'closing the year for the contract test',
      });
      expect(locked.status).toBe(200);
      expect((await call('POST', '/api/v1/periods/2019/lock', mx)).status).toBe(403);
      await call('GET', '/api/v1/audit/head');
    }, 120_000);

    it('answers the administration operations as documented', async () => {
      const { mx, mxAdmin } = tokens;
      const token = await call('POST', '/api/v1/tokens', mxAdmin, {
        user: 'lucia',
        country: 'MX',
        agency: 'SSPC',
        roles: ['reporter'],
        expires_in_days: 30,
      });
      expect(token.body.token).toMatch(/^marco_/);
      expect((await call('GET', '/api/v1/tokens', mxAdmin)).body.length).toBeGreaterThan(0);
      await call('POST', `/api/v1/tokens/${token.body.id}/revoke`, mxAdmin);
      expect((await call('GET', '/api/v1/tokens', mx)).status).toBe(403);
      await call('POST', '/api/v1/organisations', mxAdmin, {
        code: 'CONTRACT-ORG',
        name: { en: 'Contract organisation', es: 'Organización de contrato' },
        kind: 'implementer',
        country: 'MX',
      });
      expect((await call('GET', '/api/v1/organisations')).body.length).toBeGreaterThan(0);
      const user = await call('POST', '/api/v1/users', mxAdmin, {
        user: 'rosa',
        name: 'Rosa Contrato',
        country: 'MX',
        agency: 'SSPC',
        roles: ['reporter'],
        password: 'a long enough passphrase',
      });
      expect(user.body.user).toBe('rosa');
      await call('GET', '/api/v1/users', mxAdmin);
      await call('POST', `/api/v1/users/${user.body.id}/password`, mxAdmin, {
        password: 'another long passphrase',
      });
      await call('POST', `/api/v1/users/${user.body.id}/disable`, mxAdmin);
      await call('GET', '/api/v1/notifications', tokens.us);
      await call('POST', '/api/v1/notifications/read', tokens.us, { all: true });
      expect((await call('GET', '/api/v1/notifications')).status).toBe(401);
    }, 120_000);

    it('answers the funding operations as documented', async () => {
      const { us, mx } = tokens;
      const line = {
        fiscal_year: 'FY2021',
        account: 'INCLE',
        stage: 'obligation',
        program: 'EX-CORRECTIONS',
        amount: 1_250_000,
        source: 'Contract test',
      };
      const saved = await call('POST', '/api/v1/funding', us, { lines: [line] });
      expect(saved.status).toBe(200);
      const id = saved.body.saved[0].id as number;
      expect(
        (await call('POST', '/api/v1/funding', us, { lines: [{ ...line, account: 'INCL' }] })).status,
      ).toBe(422);
      // Anonymous readers see the example's approved lines only; the new draft is its owners'.
      const published = (await call('GET', '/api/v1/funding')).body as {
        status: string;
        fiscal_year: string;
      }[];
      expect(published.length).toBeGreaterThan(0);
      expect(published.filter((l) => l.status !== 'approved' || l.fiscal_year === 'FY2021')).toEqual([]);
      expect(
        (await call('GET', '/api/v1/funding?stage=obligation&fiscal_year=FY2021', us)).body,
      ).toHaveLength(1);
      expect((await call('GET', '/api/v1/funding?stage=spent')).status).toBe(400);
      const submitted = await call('POST', `/api/v1/funding/${id}/submit`, us);
      expect(submitted.body).toMatchObject({ status: 'submitted' });
      const returned = await call('POST', `/api/v1/funding/${id}/return`, mx, { comment: 'Wrong FY' });
      expect(returned.body.status).toBe('draft');
      await call('POST', `/api/v1/funding/${id}/submit`, us);
      const approved = await call('POST', `/api/v1/funding/${id}/approve`, mx, {});
      expect(approved.body.status).toBe('approved');
      expect(
        (await call('GET', '/api/v1/funding?program=EX-CORRECTIONS&fiscal_year=FY2021')).body,
      ).toHaveLength(1);
      expect((await call('POST', `/api/v1/funding/${id}/approve`, us)).status).toBe(403);
      const accounts = (await call('GET', '/api/v1/funding/accounts')).body as { code: string }[];
      expect(accounts.map((a) => a.code)).toContain('DOD-1004');
      // The starter snapshot holds the USAID file: the actuals and the deflator they imply.
      const actuals = (await call('GET', '/api/v1/funding/actuals')).body;
      expect(actuals).toMatchObject({ available: true, deflator: { base: 'FY2021' } });
      expect(accounts.map((a) => a.code)).toContain('FORTASEG');
      const deflator = (await call('GET', '/api/v1/funding/deflator')).body;
      expect(deflator).toMatchObject({ origin: 'usaid-fae', base: 'FY2021' });
      // The summary counts approved lines only: the new FY2021 obligation, once approved, is in it.
      const summary = (await call('GET', '/api/v1/funding/summary?program=EX-CORRECTIONS')).body;
      expect(summary.fiscalYears).toContain('FY2021');
      expect(
        summary.flow.find((f: { fiscal_year: string }) => f.fiscal_year === 'FY2021').stages.obligation,
      ).toBe(1_250_000);
      const constant = await call(
        'GET',
        '/api/v1/funding/summary?node=merida:1&dollars=constant&base=FY2010',
      );
      expect(constant.body).toMatchObject({ dollars: { kind: 'constant', base: 'FY2010' } });
      expect((await call('GET', '/api/v1/funding/summary?program=A&node=merida:1')).status).toBe(400);
      expect((await call('GET', '/api/v1/funding/summary?dollars=constant&base=FY1800')).status).toBe(400);
      expect((await call('GET', '/api/v1/funding/summary?program=NO-SUCH')).status).toBe(404);
      // The IATI export: its JSON form lists the activities, its XML form holds them.
      const listed = (await call('GET', '/api/v1/iati/activities?prefix=US-GOV-11')).body;
      expect(listed.activities.map((a: { identifier: string }) => a.identifier)).toContain(
        'US-GOV-11-EX-CORRECTIONS',
      );
      const xml = (await call('GET', '/api/v1/iati/activities.xml')).body as string;
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<iati-activities version="2.03"/);
      expect(xml).toContain('<iati-identifier>XX-MARCO-EX-CORRECTIONS</iati-identifier>');
      expect((await call('GET', '/api/v1/iati/activities.xml?prefix=bad%20prefix')).status).toBe(400);
    });

    it('answers the reports and jobs operations as documented', async () => {
      const { us } = tokens;
      const report = { template: 'framework-performance', period: 'FY2017', format: 'html' };
      const queued = await call('POST', '/api/v1/reports', us, report);
      expect(queued.status).toBe(202);
      expect((await call('POST', '/api/v1/reports', us, { ...report, template: 'none-such' })).status).toBe(
        404,
      );
      expect((await call('POST', '/api/v1/reports', us, { ...report, period: 'someday' })).status).toBe(422);
      expect((await call('GET', `/api/v1/jobs/${queued.body.id}/output`, us)).status).toBe(404);
      expect(await worker.runOnce()).toBe(true);
      const listed = await call('GET', '/api/v1/jobs', us);
      expect(listed.body[0]).toMatchObject({ id: queued.body.id, status: 'succeeded' });
      const html = (await call('GET', listed.body[0].output.url, us)).body as string;
      expect(html).toMatch(/^<!doctype html>/i);
      expect((await call('POST', `/api/v1/jobs/${queued.body.id}/retry`, us)).status).toBe(409);
      const second = await call('POST', '/api/v1/reports', us, report);
      expect((await call('POST', `/api/v1/jobs/${second.body.id}/cancel`, us)).body.status).toBe('cancelled');
      expect((await call('POST', `/api/v1/jobs/${second.body.id}/retry`, us)).body.status).toBe('queued');
      expect((await call('GET', '/api/v1/jobs/0', us)).status).toBe(400);
      expect((await call('GET', '/api/v1/jobs', undefined)).status).toBe(401);
      // A statistics export: the series query of GET /series, made in the background.
      const exported = await call('POST', '/api/v1/exports', us, {
        query: { measure: 'homicides', geo: '08', by: 'year' },
      });
      expect(exported.status).toBe(202);
      expect(
        (await call('POST', '/api/v1/exports', us, { query: { measure: 'homicides', by: 'week' } })).status,
      ).toBe(422);
      // The retried report is ahead of it in the queue.
      while (await worker.runOnce());
      // A fetch followed by an import, from the loopback mirror of the catalogue.
      const fetched = await call('POST', '/api/v1/fetches', us, { source: 'inegi-geo-catalog' });
      expect(fetched.status).toBe(202);
      expect((await call('POST', '/api/v1/fetches', us, { source: 'nothing' })).status).toBe(422);
      while (await worker.runOnce());
      expect((await call('GET', `/api/v1/jobs/${fetched.body.id}`, us)).body).toMatchObject({
        status: 'succeeded',
      });
      const csv = await call('GET', `/api/v1/jobs/${exported.body.id}`, us);
      expect(csv.body).toMatchObject({
        status: 'succeeded',
        output: { type: 'text/csv; charset=utf-8; header=present' },
      });
    });

    it('has called every documented operation with a success', () => {
      const all = Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
      expect(all.filter((id) => !covered.has(id))).toEqual([]);
      expect(seen.length).toBeGreaterThan(all.length);
    });
  },
);
