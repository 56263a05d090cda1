import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXIT } from '../../src/error.js';
import { openRecords } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { openStats } from '../../src/stats/stats-store.js';
import { runMarco } from '../fixtures/run-marco.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const marco = runMarco;

describe('marco CLI (embedded stores)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints its version and bilingual help without opening a store', async () => {
    const version = await marco(dir, '--version');
    expect(version.code).toBe(EXIT.ok);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const es = await marco(dir, '--lang', 'es', 'scorecard', '--help');
    expect(es.code).toBe(EXIT.ok);
    expect(es.stdout).toContain('Uso: marco scorecard');
    expect(es.stdout).toContain('solo este programa');
  });

  it('has an `npm start` script that names a real command', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const [, ...args] = pkg.scripts.start.replace(/^node\s+/, '').split(/\s+/);
    const help = await marco(dir, ...args, '--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain('Usage: marco serve');
  });

  it('refuses unknown commands and options with a usage exit code', async () => {
    expect((await marco(dir, 'frobnicate')).code).toBe(EXIT.invalid);
    expect((await marco(dir, 'scorecard', '--colour', 'blue')).code).toBe(EXIT.invalid);
    const lang = await marco(dir, '--lang', 'fr', 'framework', 'list');
    expect(lang.code).toBe(EXIT.invalid);
    expect(lang.stderr).toContain('--lang "fr": expected en or es');
  });

  it('initialises the stores with the built-in frameworks and the example', async () => {
    const init = await marco(dir, 'init', '--example', '--json');
    expect(init.code).toBe(EXIT.ok);
    const report = JSON.parse(init.stdout) as {
      records: { kind: string };
      loaded: Record<string, Record<string, { create: number }>>;
    };
    expect(report.records.kind).toBe('pglite');
    expect(report.loaded['examples/workspace.yaml']!.programs!.create).toBe(3);
    const list = await marco(dir, 'framework', 'list');
    expect(list.stdout).toContain('bicentennial');
    expect(list.stdout).toContain('6 nodes');
    const show = await marco(dir, 'framework', 'show', 'merida');
    expect(show.stdout).toContain('Create a 21st-century border');
    expect(show.stdout).toContain('related to bicentennial:2 (analytical, not official)');
    expect((await marco(dir, 'framework', 'show', 'nope')).code).toBe(EXIT.notFound);
  });

  it('prints a scorecard as text and JSON, filtered by program and node', async () => {
    const text = await marco(dir, 'scorecard');
    expect(text.stdout).toContain('warning: no outcome or impact indicator');
    expect(text.stdout).toContain('Outcome coverage: 2 of 3 programs (67%)');
    const json = JSON.parse((await marco(dir, 'scorecard', '--node', 'merida:2', '--json')).stdout) as {
      programs: { code: string }[];
    };
    expect(json.programs.map((p) => p.code)).toEqual(['EX-CORRECTIONS']);
    const strict = JSON.parse(
      (await marco(dir, 'scorecard', '--program', 'EX-CORRECTIONS', '--green', '0.8', '--json')).stdout,
    ) as {
      programs: { indicators: { status: string }[] }[];
    };
    expect(strict.programs[0]!.indicators[0]!.status).toBe('green'); // 86.6% of target met
    expect((await marco(dir, 'scorecard', '--program', 'NOPE')).code).toBe(EXIT.notFound);
    expect((await marco(dir, 'scorecard', '--green', 'lots')).code).toBe(EXIT.invalid);
  });

  it('rejects an invalid workspace with its path and file position, writing nothing', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(
      bad,
      `marco: workspace/1
defaults: { country: US, agency: INL }
results:
  - { indicator: EX-ACA-ACCREDITED, period: '2017-08', place: MX, value: seventy }
`,
    );
    const before = await marco(dir, 'export', '--format', 'json');
    const res = await marco(dir, 'load', bad);
    expect(res.code).toBe(EXIT.invalid);
    expect(res.stderr).toContain('results[0].value');
    expect(res.stderr).toMatch(/bad\.yaml:4:\d+\): expected a number/);
    expect((await marco(dir, 'export', '--format', 'json')).stdout).toBe(before.stdout);
    expect((await marco(dir, 'load', path.join(dir, 'missing.yaml'))).code).toBe(EXIT.invalid);
  });

  it('round-trips export → load, and refuses a stale edit with the conflict exit code', async () => {
    const file = path.join(dir, 'export.yaml');
    expect((await marco(dir, 'export', '-o', file)).code).toBe(EXIT.ok);
    const same = await marco(dir, 'load', file, '--json');
    const summary = (
      JSON.parse(same.stdout) as { summary: Record<string, { create: number; update: number }> }
    ).summary;
    expect(Object.values(summary).every((c) => c.create === 0 && c.update === 0)).toBe(true);

    // Two people edit the same export; the second load is based on a stale version.
    const doc = parse(await readFile(file, 'utf8')) as {
      programs: { code: string; title: { en: string } }[];
    };
    const edit = async (title: string) => {
      const copy = structuredClone(doc);
      copy.programs.find((p) => p.code === 'EX-CORRECTIONS')!.title.en = title;
      const out = path.join(dir, `${title}.json`);
      await writeFile(out, JSON.stringify(copy));
      return out;
    };
    const first = await marco(dir, 'load', await edit('First edit'));
    expect(first.code).toBe(EXIT.ok);
    const second = await marco(dir, 'load', await edit('Second edit'));
    expect(second.code).toBe(EXIT.conflict);
    expect(second.stderr).toContain('program EX-CORRECTIONS was changed by someone else');
    const now = parse((await marco(dir, 'export')).stdout) as typeof doc;
    expect(now.programs.find((p) => p.code === 'EX-CORRECTIONS')!.title.en).toBe('First edit');
  });

  it('dry-runs a load without writing', async () => {
    const file = path.join(dir, 'period.yaml');
    await writeFile(
      file,
      'marco: workspace/1\ndefaults: { country: MX, agency: SSPC }\nperiods: [{ code: "2021" }]\n',
    );
    const dry = await marco(dir, 'load', file, '--dry-run');
    expect(dry.code).toBe(EXIT.ok);
    expect(dry.stdout).toContain('nothing was written');
    const exported = parse((await marco(dir, 'export')).stdout) as { periods: { code: string }[] };
    expect(exported.periods.map((p) => p.code)).not.toContain('2021');
  });

  it('locks a period and verifies the audit chain', async () => {
    const lock = await marco(dir, 'period', 'lock', '2017-08');
    expect(lock.code).toBe(EXIT.ok);
    expect(lock.stdout).toContain('Period 2017-08 locked; 1 result locked.');
    expect((await marco(dir, 'period', 'lock', '1999')).code).toBe(EXIT.invalid);
    const audit = await marco(dir, 'audit', 'verify', '--json');
    expect(audit.code).toBe(EXIT.ok);
    expect(JSON.parse(audit.stdout)).toMatchObject({ brokenAt: null });
  });

  it('imports official statistics, lists sources and queries a series', async (context) => {
    const state = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
    const states = sharedFile('geo/cve_nom_estados.csv');
    const population = sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv');
    if (!state || !states || !population) return context.skip();
    expect((await marco(dir, 'import', 'inegi-geo-catalog', states)).code).toBe(EXIT.ok);
    const imported = await marco(dir, 'import', 'inegi-homicides-state', state, 'conapo-nothing.csv');
    expect(imported.code).toBe(EXIT.invalid); // the second file does not exist; the first was imported
    expect(imported.stdout).toContain('imported as inegi-homicides-state (gargiulo-state)');
    expect(imported.stderr).toContain('conapo-nothing.csv: no such file');
    const again = await marco(dir, 'import', 'inegi-homicides-state', state);
    expect(again.stdout).toContain('nothing changed');
    expect((await marco(dir, 'import', 'conapo-population-state', population)).code).toBe(EXIT.ok);
    const wrong = await marco(dir, 'import', 'inegi-homicides-state', population);
    expect(wrong.code).toBe(EXIT.invalid);
    expect(wrong.stderr).toContain('does not match any layout');
    expect((await marco(dir, 'import', 'no-such-source', state)).code).toBe(EXIT.invalid);

    const sources = await marco(dir, 'sources');
    expect(sources.stdout).toContain('inegi-homicides-state');
    expect(sources.stdout).toMatch(
      /vintage \d+: mexico-state-month-homicide-rates-2000-2022\.csv \(8,832 rows, 2000-01 to 2022-12\)/,
    );

    const csv = await marco(
      dir,
      'stats',
      '--measure',
      'homicides',
      '--geo',
      'MX',
      '--from',
      '2020',
      '--to',
      '2020',
      '--per',
      '100000',
      '--csv',
    );
    expect(csv.code).toBe(EXIT.ok);
    const [header, row] = csv.stdout.trim().split('\n');
    expect(header).toBe(
      'measure,unit,rate_per,geo,geo_level,name,period,period_start,period_end,value,rate,population,population_source,population_method,partial,covers_from,covers_to,partial_reason,method,source,vintages,filters',
    );
    const lines = (await sharedLines(state)).slice(1).map((l) => l.split('|'));
    const total = lines.filter((f) => f[1] === '2020').reduce((sum, f) => sum + Number(f[3]), 0);
    expect(row!.split(',').slice(0, 10)).toEqual([
      'homicides',
      'deaths',
      '100000',
      'MX',
      'country',
      'México',
      '2020',
      '2020-01-01',
      '2020-12-31',
      String(total),
    ]);
    // The web download of the same query is the same file, byte for byte: one layout for every surface.
    const stats = await openStats({ dataDir: dir });
    const records = await openRecords({ memory: true });
    try {
      const download = await createApp({ store: records, stats }).request(
        '/explore.csv?measure=homicides&geo=MX&from=2020&to=2020&per=100000',
      );
      expect(download.status).toBe(200);
      expect(await download.text()).toBe(csv.stdout);
    } finally {
      stats.close();
      await records.close();
    }
    const bad = await marco(dir, 'stats', '--measure', 'homicides', '--geo', 'MX', '--per', 'lots');
    expect(bad.code).toBe(EXIT.invalid);
    // Impossible queries are errors, not "no data": a window ending before it starts, an unknown place
    // (with the nearest codes), a filter the measure does not have.
    const backwards = await marco(
      dir,
      'stats',
      '--measure',
      'homicides',
      '--geo',
      'MX',
      '--from',
      '2020',
      '--to',
      '2010',
    );
    expect([backwards.code, backwards.stderr]).toEqual([
      EXIT.invalid,
      expect.stringContaining('"2010" ends before "2020" starts'),
    ]);
    const nowhere = await marco(dir, 'stats', '--measure', 'homicides', '--geo', '33');
    expect([nowhere.code, nowhere.stderr]).toEqual([
      EXIT.invalid,
      expect.stringContaining('no place "33" in the geography catalogue; nearest codes: 32 Zacatecas'),
    ]);
    const unfiltered = await marco(
      dir,
      'stats',
      '--measure',
      'homicides',
      '--geo',
      'MX',
      '--filter',
      'sex=Mujer',
    );
    expect([unfiltered.code, unfiltered.stderr]).toEqual([
      EXIT.invalid,
      expect.stringContaining('homicides has no dimensions to filter on'),
    ]);
    // A valid query with nothing to show says why.
    const early = await marco(dir, 'stats', '--measure', 'homicides', '--geo', 'MX', '--to', '1995');
    expect([early.code, early.stdout]).toEqual([
      EXIT.ok,
      expect.stringContaining('MX: the data cover January 2000 to December 2022, none of the periods asked.'),
    ]);
    const catalogue = await marco(dir, 'measures', '--json');
    expect(catalogue.code).toBe(EXIT.ok);
    const homicides = (
      JSON.parse(catalogue.stdout) as { id: string; sources: unknown[]; levels: string[] }[]
    ).find((m) => m.id === 'homicides')!;
    expect([homicides.sources, homicides.levels]).toEqual([
      [
        {
          source: 'inegi-homicides-state',
          level: 'state',
          granularity: 'month',
          from: '2000-01',
          to: '2022-12',
        },
      ],
      ['country', 'state'],
    ]);
    expect((await marco(dir, '--lang', 'es', 'measures')).stdout).toContain(
      '  fuentes: inegi-homicides-state (state, mes, 2000-01–2022-12)',
    );

    const claims = await marco(dir, 'claims', 'check');
    expect(claims.code).toBe(EXIT.ok);
    expect(claims.stdout).toMatch(/CONSISTENT mx-homicide-rate-2007: documented 8, computed 8\.\d+ \(\+\d/);
    expect(claims.stdout).toMatch(/\d+ consistent, \d+ discrepant, \d+ not checkable \(tolerance ±5%\)\./);
    const es = await marco(dir, '--lang', 'es', 'claims', 'check', '--tolerance', '0.01');
    expect(es.stdout).toContain('DISCREPANTE mx-homicides-2019');
  });

  it('refuses a filter value the measure does not have, and lists the valid ones, in both languages', async (context) => {
    const aid = sharedFile('usaid/us_foreign_aid_country.csv');
    if (!aid) return context.skip();
    const other = await mkdtemp(path.join(os.tmpdir(), 'marco-cli-filter-'));
    try {
      expect((await marco(other, 'import', 'usaid-foreign-aid', aid)).code).toBe(EXIT.ok);
      const ask = ['stats', '--measure', 'us_assistance_usd', '--geo', 'MX', '--by', 'fiscal_year'];
      const misspelt = await marco(other, ...ask, '--filter', 'transaction_type=Obligation');
      expect([misspelt.code, misspelt.stdout]).toEqual([EXIT.invalid, '']);
      expect(misspelt.stderr).toContain(
        'filter.transaction_type: "Obligation" is not a value of transaction_type in us_assistance_usd',
      );
      expect(misspelt.stderr).toMatch(
        /valid: .*"Disbursements".*"Obligations"|valid: .*"Obligations".*"Disbursements"/,
      );
      const es = await marco(other, '--lang', 'es', ...ask, '--filter', 'transaction_type=Obligation');
      expect(es.code).toBe(EXIT.invalid);
      expect(es.stderr).toContain('"Obligation" no es un valor de transaction_type en us_assistance_usd');
      expect(es.stderr).toMatch(/valores válidos: .*"Disbursements".*"Obligations"/);
      const right = await marco(
        other,
        ...ask,
        '--filter',
        'transaction_type=Obligations',
        '--from',
        'FY2019',
        '--to',
        'FY2019',
      );
      expect(right.code).toBe(EXIT.ok);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('imports a directory, recognising each file by its header whatever its name', async (context) => {
    const state = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
    const population = sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv');
    if (!state || !population) return context.skip();
    const folder = path.join(dir, 'downloads');
    await mkdir(path.join(folder, 'nested'), { recursive: true });
    await writeFile(path.join(folder, 'a.dat'), gzipSync(await readFile(state)));
    await writeFile(path.join(folder, 'nested', 'z.csv'), await readFile(population));
    await writeFile(path.join(folder, 'notes.txt'), 'not a dataset\n');
    const res = await marco(path.join(dir, 'fresh-stats'), 'import-dir', folder, '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(EXIT.ok);
    const report = JSON.parse(res.stdout) as { imported: { source: string }[]; unrecognised: string[] };
    // Population first (rates need it), then the homicides; the notes are listed, not imported.
    expect(report.imported.map((r) => r.source)).toEqual([
      'conapo-population-state',
      'inegi-homicides-state',
    ]);
    expect(report.unrecognised).toEqual([path.join(folder, 'notes.txt')]);
    expect((await marco(dir, 'import-dir', path.join(dir, 'no-such-dir'))).code).toBe(EXIT.invalid);
  });

  it('creates API tokens with roles, only for known agencies of the token’s country, and lists and revokes them', async () => {
    const create = (...args: string[]) =>
      marco(dir, 'token', 'create', '--user', 'ana', '--roles', 'reporter,approver', ...args);
    const ok = await create('--country', 'MX', '--agency', 'SSPC', '--expires-in', '30');
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.stdout).toMatch(/marco_[\w-]{20,}/);
    expect(ok.stdout).toContain('roles reporter, approver');
    const bad = await create('--country', 'CA', '--agency', 'NOPE');
    expect(bad.code).toBe(EXIT.invalid);
    expect(bad.stderr).toContain('--country');
    expect(bad.stderr).toContain('--agency');
    // An agency of the other country, an unknown role and an expiry out of range are refused.
    const inl = await create('--country', 'MX', '--agency', 'INL');
    expect([inl.code, inl.stderr]).toEqual([
      EXIT.invalid,
      expect.stringContaining('INL is an organisation of US, not of MX'),
    ]);
    const role = await marco(
      dir,
      'token',
      'create',
      '--user',
      'ana',
      '--country',
      'MX',
      '--agency',
      'SSPC',
      '--roles',
      'root',
    );
    expect([role.code, role.stderr]).toEqual([EXIT.invalid, expect.stringContaining('--roles "root"')]);
    const days = await create('--country', 'MX', '--agency', 'SSPC', '--expires-in', '400');
    expect([days.code, days.stderr]).toEqual([EXIT.invalid, expect.stringContaining('--expires-in "400"')]);

    const list = JSON.parse((await marco(dir, 'token', 'list', '--json')).stdout) as {
      id: number;
      user: string;
      roles: string[];
      expiresAt: string;
      revokedAt: string | null;
    }[];
    const mine = list.find((k) => k.user === 'ana' && k.roles.join() === 'reporter,approver')!;
    expect(mine.revokedAt).toBeNull();
    expect(JSON.stringify(list)).not.toMatch(/marco_|token_hash/);
    const revoked = await marco(dir, 'token', 'revoke', String(mine.id));
    expect(revoked.stdout).toContain(`Token ${mine.id} of ana is revoked.`);
    const after = JSON.parse((await marco(dir, 'token', 'list', '--json')).stdout) as typeof list;
    expect(after.find((k) => k.id === mine.id)!.revokedAt).not.toBeNull();
    expect((await marco(dir, 'token', 'revoke', '999999')).code).toBe(EXIT.notFound);
  });
});
