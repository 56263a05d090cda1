/**
 * `marco serve` sends notices by e-mail: started as a real process on the embedded stores with
 * MARCO_SMTP_URL pointing at an SMTP server started here, it e-mails the Mexican approver, in Spanish,
 * when a U.S. reporter submits a result through the API. A wrong mail setting stops the start before the
 * port is taken, naming the variable and hiding the SMTP password.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/users.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/error.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { openRecords } from '../../src/records/database.js';
import { saveSettings } from '../../src/records/notification-settings.js';
import { createToken } from '../../src/records/token-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { exampleWorkspace } from '../fixtures/workspace.js';
import { decoded, smtpServer } from './smtp.js';

describe('marco serve with an SMTP server', () => {
  let dir: string;
  let token = '';
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-serve-mail-'));
    smtp = await smtpServer();
    const records = await openRecords({ dataDir: path.join(dir, 'data') });
    await loadBuiltins(records, 'test');
    await loadWorkspace(records, await exampleWorkspace(), { actor: 'test' });
    const mateo = await createAccount(
      records,
      { user: 'mateo', name: 'Mateo', country: 'MX', agency: 'SSPC', roles: ['approver'] },
      PASSWORD,
      'test',
      USER_FIELDS,
    );
    await saveSettings(records, { actor: 'mateo' }, mateo.id, {
      email: 'mateo@sspc.example',
      language: 'es',
      emailNotifications: true,
    });
    token = (
      await createToken(records, { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] }, 'test')
    ).token;
    await records.close();
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('e-mails the approver when a result is submitted through the API', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts'),
        '--data-dir',
        path.join(dir, 'data'),
        'serve',
        '--port',
        '0',
      ],
      {
        cwd: PACKAGE_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: '',
          MARCO_USER: 'server',
          LANG: 'en_US.UTF-8',
          MARCO_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          MARCO_MAIL_FROM: 'Marco <marco@oversight.example>',
          MARCO_PUBLIC_URL: 'https://marco.example',
          MARCO_NOTICE_SECONDS: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const m = /serving on (http:\/\/\S+?)\/? \(/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`serve ended: ${stderr}`)));
      });
      const res = await fetch(`${base}/api/v1/results`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          indicator: 'EX-ACA-ACCREDITED',
          period: '2018-01',
          place: '08',
          value: 4,
          status: 'submitted',
        }),
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: number };
      // The example workspace's own submissions are news to him as well: find the mail of this one.
      const link = `https://marco.example/review/${id}?lang=es`;
      const ours = () => smtp.received.find((m) => decoded(m.raw).includes(link));
      for (let i = 0; i < 100 && !ours(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(ours()?.to).toEqual(['mateo@sspc.example']);
      expect(decoded(ours()!.raw)).toMatch(/Content-Language: es[\s\S]*enviado a su aprobación por rita/);
      expect(smtp.received.every((m) => m.to.join() === 'mateo@sspc.example')).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  }, 60_000);

  it('refuses a wrong mail setting before opening anything', async () => {
    const data = path.join(dir, 'fresh');
    let stderr = '';
    const code = await main(['node', 'marco', '--data-dir', data, 'serve', '--port', '0'], {
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
      env: {
        MARCO_USER: 'tester',
        LANG: 'en_US.UTF-8',
        MARCO_SMTP_URL: 'http://user:hunter2@mail.example',
        MARCO_MAIL_FROM: 'marco@x.example',
      } as NodeJS.ProcessEnv,
    });
    expect(code).toBe(EXIT.invalid);
    expect(stderr).toContain('MARCO_SMTP_URL=http://user:***@mail.example');
    expect(stderr).not.toContain('hunter2');
    expect(existsSync(data) ? await readdir(data) : []).toEqual([]);
  });
});
