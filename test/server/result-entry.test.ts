/**
 * Entering a new result through `POST /api/v1/results`, on each store: a reporter of the indicator's
 * country enters a draft, which the public does not see and the audit log records; every refusal (another
 * country's indicator, a result entered before, a period of another frequency, an undeclared or locked
 * period, an undeclared dimension, a place the spine does not know, a wrong body) says what and where, in
 * the reader's language, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { createResult } from '../../src/records/result-entry.js';
import type { createApp } from '../../src/server/app.js';
import { ValidationError } from '../../src/error.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { caller, exampleApp } from './example-app.js';
import { CHIHUAHUA_RATE_RESULT } from '../fixtures/api-bodies.js';

const rate = CHIHUAHUA_RATE_RESULT;

describe.each(STORE_KINDS)('result entry on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let us: string;
  let mx: string;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    ({ store, app, us, mx } = await exampleApp(kind));
    call = caller(app);
  });
  afterAll(() => store?.dispose());

  it('enters a draft owned like its indicator, audited, and unpublished', async () => {
    const before = await countRows(store);
    const made = await call('POST', '/api/v1/results', mx, rate);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      indicator: 'EX-HOM-RATE-08',
      period: '2019',
      place: '08',
      disaggregation: { sex: 'female' },
      value: (250 / 1_900_000) * 100_000,
      status: 'draft',
      country: 'MX',
      agency: 'SSPC',
      version: 1,
      updated_by: 'mateo',
    });
    const after = await countRows(store);
    expect([after.results! - before.results!, after.audit_log! - before.audit_log!]).toEqual([1, 1]);
    const entry = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect([entry.actor, entry.action, entry.entity, entry.entity_key]).toEqual([
      'mateo',
      'create',
      'result',
      'EX-HOM-RATE-08|2019|08|[["sex","female"]]',
    ]);
    const anonymous = await call('GET', '/api/v1/results?indicator=EX-HOM-RATE-08&period=2019');
    expect(JSON.stringify(anonymous.body)).not.toContain('female');
  });

  it('refuses, changing nothing, what the rules or the schema refuse', async () => {
    const before = await countRows(store);
    const again = await call('POST', '/api/v1/results?lang=es', mx, rate);
    expect([again.status, again.body.error?.code]).toEqual([409, 'conflict']);
    expect(again.body.error?.message).toMatch(/ya existe \(número \d+\): edítelo/);

    const otherCountry = await call('POST', '/api/v1/results', us, { ...rate, period: '2020' });
    expect([otherCountry.status, otherCountry.body.error?.code]).toEqual([403, 'forbidden']);

    const month = await call('POST', '/api/v1/results', mx, { ...rate, period: '2017-01' });
    expect(month.status).toBe(422);
    expect(month.body.error?.message).toContain(
      'period: indicator EX-HOM-RATE-08 is reported in periods such as 2024, FY2024, and 2017-01 is not one',
    );

    const undeclared = await call('POST', '/api/v1/results', mx, { ...rate, period: '2031' });
    expect(undeclared.body.error?.message).toContain('period: period "2031" is not declared');

    const dimension = await call('POST', '/api/v1/results', mx, {
      ...rate,
      disaggregation: { age: '15-29' },
    });
    expect(dimension.body.error?.message).toContain(
      'disaggregation.age: indicator EX-HOM-RATE-08 is not disaggregated by "age" (it declares sex)',
    );

    const locked = await call('POST', '/api/v1/results', us, {
      indicator: 'EX-ACA-ACCREDITED',
      period: '2016-08',
      place: '08',
      value: 3,
    });
    expect([locked.status, locked.body.error?.code]).toEqual([409, 'refused']);
    expect(locked.body.error?.message).toContain('period FY2016 is locked');

    const typed = await call('POST', '/api/v1/results', mx, { ...rate, numerator: 'many', colour: 'red' });
    expect(typed.status).toBe(422);
    expect(typed.body.error?.message).toMatch(/numerator: expected a number/);
    expect(typed.body.error?.message).toMatch(/unknown field "colour"/);

    const differs = await call('POST', '/api/v1/results', mx, { ...rate, period: '2020', value: 7 });
    expect(differs.body.error?.message).toContain('value: value 7 differs from numerator/denominator');

    const unknown = await call('POST', '/api/v1/results', mx, { ...rate, indicator: 'EX-NOPE' });
    expect(unknown.body.error?.message).toContain('indicator: unknown indicator "EX-NOPE"');
    const anonymous = await call('POST', '/api/v1/results', undefined, rate);
    expect(anonymous.status).toBe(401);
    expect(await countRows(store)).toEqual(before);
  });

  it('takes a shorter period for a level, and submits it for approval at once', async () => {
    // Accredited prisons are counted twice a year, in January and August: a month dates the count.
    const made = await call('POST', '/api/v1/results', us, {
      indicator: 'EX-ACA-ACCREDITED',
      period: '2017-08',
      place: '08',
      value: 3,
      evidence: 'ACA list of accredited facilities, August 2017',
      status: 'submitted',
    });
    expect([made.status, made.body.status, made.body.country]).toEqual([201, 'submitted', 'US']);
  });

  it('checks the place against the geography spine when there is one', async () => {
    const reporter: Official = { user: 'mateo', country: 'MX', agency: 'SSPC', roles: ['reporter'] };
    const places = new Map([['08037', { code: '08037', level: 'municipality', name: 'Juárez' }]]);
    const error = await createResult(
      store,
      { ...rate, place: '08038' },
      { actor: 'mateo' },
      resultCreator(reporter, places),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({ path: 'place' });
    expect((error as ValidationError).issues[0]!.message).toContain('08037');
  });
});
