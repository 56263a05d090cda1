/**
 * Sending what the notifier queued: e-mails received by a real SMTP server started here on loopback
 * (`smtp-server`), in each reader's language and to the right address; webhook calls received by a real
 * HTTP server, signed so that the receiver's check passes; failures tried again later, then given up.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official, Role } from '../../src/access/viewer.js';
import { createAccount } from '../../src/accounts/users.js';
import { dispatchDue, MAX_ATTEMPTS, openMailTransport } from '../../src/notifications/dispatch.js';
import { notifyPending } from '../../src/notifications/notifier.js';
import { newWebhookSecret, verifyWebhook } from '../../src/notifications/webhook-signature.js';
import { deliveryCounts } from '../../src/records/delivery-repository.js';
import { createWebhook, saveSettings } from '../../src/records/notification-settings.js';
import { createResult } from '../../src/records/result-entry.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { noticeMail } from '../../src/web/notices/notice-mail.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { exampleRecords } from '../server/example-app.js';
import { decoded, smtpServer } from './smtp.js';

/** An HTTP server on loopback that keeps every call and answers with `status()`. */
async function hookServer(status: () => number) {
  const calls: { headers: IncomingMessage['headers']; body: string; path: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '' });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { calls, base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const PEOPLE: [string, 'US' | 'MX', string, Role[], string, 'en' | 'es'][] = [
  ['mateo', 'MX', 'SSPC', ['approver'], 'mateo@sspc.example', 'es'],
  ['marta', 'MX', 'SRE', ['approver'], 'marta@sre.example', 'en'],
  ['paz', 'MX', 'SSPC', ['approver'], 'paz@sspc.example', 'es'],
];

describe('sending notices by e-mail and webhook', () => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let good: Awaited<ReturnType<typeof hookServer>>;
  let bad: Awaited<ReturnType<typeof hookServer>>;
  const secret = newWebhookSecret();
  // The dispatcher's clock starts just after the notices were queued (at the wall clock's time) and is
  // moved on from there: a fixed date would find nothing due once the wall clock passed it.
  let clock = new Date();

  beforeAll(async () => {
    smtp = await smtpServer();
    good = await hookServer(() => 204);
    bad = await hookServer(() => 503);
    store = await exampleRecords('pglite');
    for (const [user, country, agency, roles, email, language] of PEOPLE) {
      const info = await createAccount(
        store,
        { user, name: user === 'mateo' ? 'Mateo Ríos' : user, country, agency, roles },
        PASSWORD,
        'test',
        USER_FIELDS,
      );
      // Paz gives an address but does not opt in: no e-mail for her.
      await saveSettings(store, { actor: user }, info.id, {
        email,
        language,
        emailNotifications: user !== 'paz',
      });
    }
    await notifyPending(store, undefined);
    await store.db.deleteFrom('deliveries').execute();
    await createWebhook(
      store,
      { actor: 'ada' },
      { url: `${good.base}/marco`, events: ['submitted'], country: 'MX' },
      secret,
    );
    await createWebhook(
      store,
      { actor: 'ada' },
      { url: `${bad.base}/down`, events: ['submitted'], country: 'MX' },
      newWebhookSecret(),
    );
    const rita: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };
    await createResult(
      store,
      { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place: '08', value: 4, status: 'submitted' },
      { actor: 'rita' },
      resultCreator(rita),
    );
    await notifyPending(store, undefined);
    clock = new Date(Date.now() + 1000);
  });
  afterAll(async () => {
    await store?.dispose();
    await smtp?.close();
    await good?.close();
    await bad?.close();
  });

  it('sends each opted-in approver one e-mail in their language, and signed webhook calls', async () => {
    const report = await dispatchDue(store, {
      mail: openMailTransport({
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: 'Marco <marco@oversight.example>',
      }),
      compose: (m) => noticeMail(m.language, m.name, m.event, m.subject, 'https://marco.example'),
      now: () => clock,
    });
    expect(report).toEqual({ sent: 3, retried: 1, failed: 0 });
    expect(smtp.received.map((m) => m.to).sort()).toEqual([['marta@sre.example'], ['mateo@sspc.example']]);
    const mateo = decoded(smtp.received.find((m) => m.to[0] === 'mateo@sspc.example')!.raw);
    const marta = decoded(smtp.received.find((m) => m.to[0] === 'marta@sre.example')!.raw);
    expect(mateo).toMatch(/Content-Language: es/);
    expect(mateo).toContain('Hola, Mateo Ríos:');
    expect(mateo).toContain('enviado a su aprobación por rita');
    expect(mateo).toMatch(/https:\/\/marco\.example\/review\/\d+\?lang=es/);
    expect(marta).toMatch(/Content-Language: en/);
    expect(marta).toContain('submitted for your approval by rita');
    expect(smtp.received.every((m) => m.from === 'marco@oversight.example')).toBe(true);

    expect(good.calls).toHaveLength(1);
    const call = good.calls[0]!;
    const timestamp = Number(call.headers['x-marco-timestamp']);
    expect(
      verifyWebhook(secret, timestamp, call.body, String(call.headers['x-marco-signature']), clock.getTime()),
    ).toBe(true);
    // A body changed in transit, or another secret, fails the receiver's check.
    expect(
      verifyWebhook(
        secret,
        timestamp,
        call.body.replace('rita', 'eve'),
        String(call.headers['x-marco-signature']),
        clock.getTime(),
      ),
    ).toBe(false);
    expect(
      verifyWebhook(
        newWebhookSecret(),
        timestamp,
        call.body,
        String(call.headers['x-marco-signature']),
        clock.getTime(),
      ),
    ).toBe(false);
    expect(JSON.parse(call.body)).toMatchObject({
      event: 'submitted',
      subject: { indicator: 'EX-ACA-ACCREDITED', actor: 'rita' },
    });
    expect(call.headers['x-marco-event']).toBe('submitted');
  });

  it('tries a failing webhook again later, keeps the error, and gives up after the last attempt', async () => {
    expect(
      await dispatchDue(store, {
        compose: () => {
          throw new Error('no mail now');
        },
        now: () => clock,
      }),
    ).toEqual({ sent: 0, retried: 0, failed: 0 });
    const failing = await store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(failing).toMatchObject({ attempts: 1, last_error: 'HTTP 503', failed_at: null });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      clock = new Date(clock.getTime() + 24 * 3600_000);
      await dispatchDue(store, {
        compose: () => {
          throw new Error('no mail now');
        },
        now: () => clock,
      });
    }
    expect(bad.calls).toHaveLength(MAX_ATTEMPTS);
    expect(await deliveryCounts(store)).toEqual({ delivered: 3, failed: 1, pending: 0 });
    expect(good.calls).toHaveLength(1);
  });
});
