/**
 * Notifications from the audit log, on each store: who is told of a submission, a return, an approval
 * and a lock (and who is not), the e-mails and webhook calls queued for them, one pass at a time, all or
 * nothing, and never twice.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official, Role } from '../../src/access/viewer.js';
import { createAccount } from '../../src/accounts/users.js';
import { lockPeriod } from '../../src/monitoring/period-lock.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { resultEditor } from '../../src/monitoring/result-editor.js';
import { notifyPending } from '../../src/notifications/notifier.js';
import { newWebhookSecret } from '../../src/notifications/webhook-signature.js';
import { createWebhook, saveSettings } from '../../src/records/notification-settings.js';
import { inboxOf, markRead, unreadCount } from '../../src/records/notification-repository.js';
import { createResult } from '../../src/records/result-entry.js';
import { updateResult, type ResultPatch } from '../../src/records/result-repository.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { STORE_KINDS } from '../records/stores.js';
import { exampleRecords } from '../server/example-app.js';

const PEOPLE: [string, 'US' | 'MX', string, Role[], string | null, 'en' | 'es'][] = [
  ['rita', 'US', 'INL', ['reporter'], 'rita@state.example', 'en'],
  ['uma', 'US', 'USAID', ['reporter'], 'uma@usaid.example', 'en'],
  ['abe', 'US', 'INL', ['approver'], null, 'en'],
  ['mateo', 'MX', 'SSPC', ['approver'], 'mateo@sspc.example', 'es'],
  ['sol', 'MX', 'SSPC', ['reporter'], null, 'es'],
  ['ada', 'MX', 'SSPC', ['admin'], null, 'es'],
  ['val', 'US', 'INL', ['viewer'], null, 'en'],
];
const official = (user: string): Official => {
  const [, country, agency, roles] = PEOPLE.find((p) => p[0] === user)!;
  return { user, country, agency, roles };
};

describe.each(STORE_KINDS)('notifications on %s', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  const ids = new Map<string, number>();
  let result = 0;
  let hookUS = 0;
  let hookMX = 0;
  const told = async (user: string) => (await inboxOf(store, ids.get(user)!)).notices;
  const keys = async (user: string) => (await told(user)).map((n) => `${n.event} ${n.key}`);
  /** `user` changes the result as the web and the API do, on the version they read. */
  const act = async (user: string, change: Omit<ResultPatch, 'version'>) => {
    const { version } = await store.db
      .selectFrom('results')
      .select('version')
      .where('id', '=', result)
      .executeTakeFirstOrThrow();
    const patch = { ...change, version };
    await updateResult(
      store,
      result,
      patch,
      { actor: user },
      resultEditor(official(user), patch, String(result)),
    );
  };
  const deliveries = () => store.db.selectFrom('deliveries').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    store = await exampleRecords(kind);
    for (const [user, country, agency, roles, email, language] of PEOPLE) {
      const info = await createAccount(
        store,
        { user, name: user, country, agency, roles },
        PASSWORD,
        'test',
        USER_FIELDS,
      );
      ids.set(user, info.id);
      await saveSettings(store, { actor: user }, info.id, {
        email,
        language,
        emailNotifications: email !== null,
      });
    }
    hookUS = (
      await createWebhook(
        store,
        { actor: 'ada' },
        { url: 'http://127.0.0.1:9/us', events: ['submitted', 'approved'], country: 'US' },
        newWebhookSecret(),
      )
    ).id;
    hookMX = (
      await createWebhook(
        store,
        { actor: 'ada' },
        { url: 'http://127.0.0.1:9/mx', events: ['submitted', 'locked'], country: 'MX' },
        newWebhookSecret(),
      )
    ).id;
    // What the example workspace's own load brought is read first: the tests look at what follows.
    await notifyPending(store, undefined);
    await store.db.deleteFrom('deliveries').execute();
    await store.db.updateTable('notifications').set({ read_at: new Date().toISOString() }).execute();
  });
  afterAll(() => store?.dispose());

  it('tells the counterpart’s approvers of a submission, and nobody else', async () => {
    const before = new Map(
      await Promise.all(PEOPLE.map(async ([u]) => [u, (await told(u)).length] as const)),
    );
    result = (
      await createResult(
        store,
        { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place: '08', value: 4, status: 'submitted' },
        { actor: 'rita' },
        resultCreator(official('rita')),
      )
    ).id;
    const report = await notifyPending(store, undefined);
    expect(report.notices).toBe(1);
    const [notice] = await told('mateo');
    expect(notice).toMatchObject({ event: 'submitted', key: `result:${result}:submitted`, read: false });
    expect(notice!.subject).toMatchObject({
      result,
      indicator: 'EX-ACA-ACCREDITED',
      period: '2018-01',
      place: '08',
      value: 4,
      actor: 'rita',
    });
    for (const [user] of PEOPLE.filter(([u]) => u !== 'mateo'))
      expect((await told(user)).length, user).toBe(before.get(user));
    // Mateo opted in to e-mail; both countries' webhooks take submissions and may see this one.
    const queued = await deliveries();
    expect(queued.map((d) => [d.channel, d.webhook_id, (d.payload as { to?: string }).to ?? null])).toEqual([
      ['email', null, 'mateo@sspc.example'],
      ['webhook', hookUS, null],
      ['webhook', hookMX, null],
    ]);
    expect(queued[1]!.payload).toMatchObject({ event: 'submitted', subject: { result } });
  });

  it('tells the reporters of the result’s own agency of a return, with the comment', async () => {
    await act('mateo', { status: 'draft', review_comment: 'Attach the roster.' });
    await notifyPending(store, undefined);
    const [latest] = await told('rita');
    expect(latest).toMatchObject({
      event: 'returned',
      subject: { comment: 'Attach the roster.', actor: 'mateo' },
    });
    // Uma reports for USAID, not INL; Abe approves and does not report; Mateo returned it himself.
    expect(await keys('uma')).not.toContain(`returned result:${result}:returned`);
    expect(await keys('abe')).not.toContain(`returned result:${result}:returned`);
    expect(await keys('mateo')).not.toContain(`returned result:${result}:returned`);
  });

  it('tells them of the approval after the resubmission, and counts and clears what is unread', async () => {
    await act('rita', { value: 5, status: 'submitted' });
    await act('mateo', { status: 'approved' });
    await notifyPending(store, undefined);
    // The resubmission is news again for Mateo.
    expect((await keys('mateo')).filter((k) => k === `submitted result:${result}:submitted`)).toHaveLength(2);
    expect((await keys('rita')).filter((k) => !k.startsWith('threshold')).slice(0, 2)).toEqual([
      `approved result:${result}:approved`,
      `returned result:${result}:returned`,
    ]);
    // Five accreditations against FY2018's target turn the indicator red: its reporters hear of it too.
    expect(await keys('rita')).toContain('threshold threshold:EX-ACA-ACCREDITED:FY2018:red');
    expect(await unreadCount(store, ids.get('rita')!)).toBe(3);
    const approved = (await told('rita')).find((n) => n.event === 'approved');
    expect(await markRead(store, ids.get('rita')!, [approved!.id], new Date().toISOString())).toBe(1);
    expect(await unreadCount(store, ids.get('rita')!)).toBe(2);
    // Nobody marks another's notices read.
    expect(await markRead(store, ids.get('uma')!, 'all', new Date().toISOString())).toBe(0);
    expect(await unreadCount(store, ids.get('rita')!)).toBe(2);
  });

  it('tells every reporter and approver of a lock, and writes a pass all or nothing', async () => {
    const period = await store.db
      .selectFrom('periods')
      .select(['code', 'country'])
      .where('code', '=', '2018-01')
      .executeTakeFirstOrThrow();
    const admin: Official = { user: 'ada', country: period.country, agency: 'SSPC', roles: ['admin'] };
    await lockPeriod(store, admin, '2018-01', 'Closing January', { actor: 'ada' });
    const cursor = async () =>
      (await store.db.selectFrom('notification_cursor').select('last_entry').executeTakeFirstOrThrow())
        .last_entry;
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const [at, n] = [await cursor(), await count()];
    // The pass fails at its last statement, the cursor's move: none of its notices or deliveries stay.
    await sql`create function refuse_move() returns trigger language plpgsql as $$ begin raise exception 'killed'; end $$`.execute(
      store.db,
    );
    await sql`create trigger refuse_move before update on notification_cursor for each row execute function refuse_move()`.execute(
      store.db,
    );
    await expect(notifyPending(store, undefined)).rejects.toThrow(/killed/);
    expect([await cursor(), await count()]).toEqual([at, n]);
    await sql`drop trigger refuse_move on notification_cursor`.execute(store.db);
    await sql`drop function refuse_move()`.execute(store.db);
    const report = await notifyPending(store, undefined);
    // Rita, Uma, Abe, Mateo and Sol; not Ada, who locked it, nor Val, a viewer.
    expect(report.notices).toBe(5);
    for (const user of ['rita', 'uma', 'abe', 'mateo', 'sol'])
      expect((await told(user))[0], user).toMatchObject({
        event: 'locked',
        key: 'period:2018-01',
        subject: { reason: 'Closing January' },
      });
    expect(await keys('ada')).not.toContain('locked period:2018-01');
    expect(await keys('val')).not.toContain('locked period:2018-01');
    // Read again from the same place, the same entries add nothing.
    await sql`update notification_cursor set last_entry = ${at}`.execute(store.db);
    const hooks = (await deliveries()).length;
    expect(await notifyPending(store, undefined)).toMatchObject({ notices: 0, deliveries: 0 });
    expect((await deliveries()).length).toBe(hooks);
    expect(
      (await deliveries())
        .filter((d) => d.webhook_id === hookMX)
        .map((d) => (d.payload as { event: string }).event),
    ).toEqual(['submitted', 'submitted', 'locked']);
  });
});
