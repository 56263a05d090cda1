/**
 * Approving a program's period at once, on each store, through the service and `POST /api/v1/approvals`:
 * all or none. A result changed since the approver read it, one of the approver's own country, or a
 * repeated one refuses the whole batch, naming the result, and nothing is approved; a batch that passes
 * is audited result by result and published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { ConflictError, ValidationError } from '../../src/error.js';
import { approveBatch, BatchRefused } from '../../src/monitoring/bulk-approval.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { createResult } from '../../src/records/result-entry.js';
import { listResults } from '../../src/records/result-repository.js';
import type { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { caller, exampleApp } from '../server/example-app.js';

const reporterUS: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };
const approverMX: Official = { user: 'mateo', country: 'MX', agency: 'SSPC', roles: ['approver'] };
const approverUS: Official = { user: 'abe', country: 'US', agency: 'INL', roles: ['approver'] };

describe.each(STORE_KINDS)('bulk approval on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let mx: string;
  beforeAll(async () => {
    ({ store, app, mx } = await exampleApp(kind));
    // Three more states' counts for January 2018, submitted with the national one.
    for (const [place, value] of [
      ['08', 4],
      ['02', 3],
      ['19', 5],
    ] as const)
      await createResult(
        store,
        { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place, value, status: 'submitted' },
        { actor: 'rita' },
        resultCreator(reporterUS),
      );
  });
  afterAll(() => store?.dispose());

  const batch = async () =>
    (
      await listResults(store, approverMX, {
        indicator: 'EX-ACA-ACCREDITED',
        period: '2018-01',
        status: 'submitted',
      })
    ).results.map((r) => ({ id: r.id, version: r.version }));

  it('approves none when one result changed since it was read, or is of the approver’s own country', async () => {
    const items = await batch();
    expect(items).toHaveLength(4);
    const before = await countRows(store);
    const stale = [...items.slice(0, 2), { ...items[2]!, version: items[2]!.version + 1 }, items[3]!];
    const error = await approveBatch(store, approverMX, stale, { actor: 'mateo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchRefused);
    expect((error as BatchRefused).id).toBe(items[2]!.id);
    expect((error as BatchRefused).refusal).toBeInstanceOf(ConflictError);
    expect((error as BatchRefused).messageIn('es')).toMatch(
      new RegExp(`^no se aprobó nada: el resultado ${items[2]!.id} detuvo el lote`),
    );
    const own = await approveBatch(store, approverUS, items, { actor: 'abe' }).catch((e: unknown) => e);
    expect([(own as BatchRefused).status, (own as BatchRefused).id]).toEqual([403, items[0]!.id]);
    const twice = await approveBatch(store, approverMX, [items[0]!, items[0]!], { actor: 'mateo' }).catch(
      (e: unknown) => e,
    );
    expect(twice).toBeInstanceOf(ValidationError);
    expect(await countRows(store)).toEqual(before);
  });

  it('approves the whole batch through the API, audited result by result, and publishes it', async () => {
    const call = caller(app);
    const items = await batch();
    const refused = await call('POST', '/api/v1/approvals', mx, { results: [] });
    expect(refused.status).toBe(422);
    const before = await countRows(store);
    const done = await call('POST', '/api/v1/approvals', mx, { results: items });
    expect([done.status, done.body.approved]).toEqual([200, 4]);
    expect((await countRows(store)).audit_log! - before.audit_log!).toBe(4);
    const published = await call('GET', '/api/v1/results?indicator=EX-ACA-ACCREDITED&period=2018-01');
    expect((published.body as unknown as { place: string }[]).map((r) => r.place).sort()).toEqual([
      '02',
      '08',
      '19',
      'MX',
    ]);
  });
});
