/**
 * The review queues on the example workspace, on each store: the Mexican approver is offered the U.S.
 * result awaiting approval and nothing of Mexico's own; the U.S. reporter follows it as submitted; a
 * returned result reaches its reporters with the comment; the filters narrow each list and offer only
 * the programs and periods the lists hold; a viewer is offered nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { reviewQueues } from '../../src/monitoring/queues.js';
import { resultEditor } from '../../src/monitoring/result-editor.js';
import { listResults, updateResult } from '../../src/records/result-repository.js';
import { exampleRecords } from '../server/example-app.js';
import { STORE_KINDS, type freshStore } from '../records/stores.js';

const approverMX: Official = { user: 'mateo', country: 'MX', agency: 'SSPC', roles: ['approver'] };
const reporterUS: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };
const viewerMX: Official = { user: 'vera', country: 'MX', agency: 'SSPC', roles: ['viewer'] };

describe.each(STORE_KINDS)('review queues on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await exampleRecords(kind, 'test');
  });
  afterAll(() => store?.dispose());

  const ids = (rs: { id: number }[]) => rs.map((r) => r.id);

  it('offers each official the lists of their roles', async () => {
    const submitted = (await listResults(store, reporterUS, { status: 'submitted' })).results.filter(
      (r) => r.country === 'US',
    );
    expect(submitted.length).toBe(1);
    const mx = await reviewQueues(store, approverMX);
    expect(ids(mx.awaiting)).toEqual(ids(submitted));
    expect([mx.returned, mx.submitted]).toEqual([[], []]);
    expect(mx.awaiting[0]!.indicatorName.es).toMatch(/^Instituciones penitenciarias/);
    const us = await reviewQueues(store, reporterUS);
    expect([us.awaiting, ids(us.submitted), us.returned]).toEqual([[], ids(submitted), []]);
    const none = await reviewQueues(store, viewerMX);
    expect([none.awaiting, none.returned, none.submitted]).toEqual([[], [], []]);
  });

  it('narrows by program, period and country, offering only what the lists hold', async () => {
    const all = await reviewQueues(store, approverMX);
    const r = all.awaiting[0]!;
    expect(all.choices).toEqual({
      programs: [{ code: r.program, title: r.programTitle }],
      periods: [r.period],
    });
    expect(
      ids((await reviewQueues(store, approverMX, { program: r.program, period: r.period })).awaiting),
    ).toEqual([r.id]);
    expect((await reviewQueues(store, approverMX, { period: '1999' })).awaiting).toEqual([]);
    expect((await reviewQueues(store, approverMX, { country: 'MX' })).awaiting).toEqual([]);
  });

  it('sends a returned result to its reporters with the comment', async () => {
    const r = (await reviewQueues(store, approverMX)).awaiting[0]!;
    const patch = {
      version: r.version,
      status: 'draft' as const,
      review_comment: 'Two institutions missing.',
    };
    await updateResult(store, r.id, patch, { actor: 'mateo' }, resultEditor(approverMX, patch, String(r.id)));
    const us = await reviewQueues(store, reporterUS);
    expect(ids(us.returned)).toEqual([r.id]);
    expect(us.returned[0]!.review).toMatchObject({ comment: 'Two institutions missing.', by: 'mateo' });
    expect((await reviewQueues(store, approverMX)).awaiting).toEqual([]);
    // A reporter of another agency of the same country does not own it.
    const other: Official = { user: 'otto', country: 'US', agency: 'USAID', roles: ['reporter'] };
    expect((await reviewQueues(store, other)).returned).toEqual([]);
  });

  it('refuses a return whose comment is only spaces', async () => {
    const r = (await listResults(store, reporterUS, { status: 'draft' })).results.find(
      (x) => x.country === 'US',
    )!;
    const resubmit = { version: r.version, status: 'submitted' as const };
    await updateResult(
      store,
      r.id,
      resubmit,
      { actor: 'rita' },
      resultEditor(reporterUS, resubmit, String(r.id)),
    );
    const now = (await reviewQueues(store, approverMX)).awaiting[0]!;
    const blank = { version: now.version, status: 'draft' as const, review_comment: '   ' };
    await expect(
      updateResult(store, now.id, blank, { actor: 'mateo' }, resultEditor(approverMX, blank, String(now.id))),
    ).rejects.toThrow(/comment/);
  });
});
