/**
 * An anomaly in a followed place: new statistics arrive (the real state homicide file, as it stood after
 * May 2008), and whoever follows Chihuahua is told of its May 2008 surge, with the figures the anomaly
 * test computes; whoever follows another place, or nothing, is not.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/viewer.js';
import { createAccount } from '../../src/accounts/users.js';
import { importAudited } from '../../src/custody/statistics-custody.js';
import { findAnomalies } from '../../src/stats/anomalies.js';
import { notifyPending } from '../../src/notifications/notifier.js';
import { noticeText } from '../../src/notifications/notice-text.js';
import { inboxOf } from '../../src/records/notification-repository.js';
import { setFollowing } from '../../src/records/notification-settings.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');

(STATE && STATES ? describe : describe.skip)('anomalies in followed places', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  const ids = new Map<string, number>();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-anomaly-notices-'));
    stats = await openStats({ dataDir: dir });
    records = await openRecords({ memory: true });
    await loadBuiltins(records, 'test');
    await importFile(stats, sourceById('inegi-geo-catalog')!, STATES!, { version: 'test' });
    const people: [string, Role[]][] = [
      ['lena', ['viewer']],
      ['omar', ['viewer']],
      ['pia', ['viewer']],
      ['yara', ['viewer']],
    ];
    for (const [user, roles] of people)
      ids.set(
        user,
        (
          await createAccount(
            records,
            { user, name: user, country: 'MX', agency: 'SSPC', roles },
            PASSWORD,
            'test',
            USER_FIELDS,
          )
        ).id,
      );
    await setFollowing(records, { actor: 'lena' }, ids.get('lena')!, '08', true);
    await setFollowing(records, { actor: 'omar' }, ids.get('omar')!, '02', true);
    await setFollowing(records, { actor: 'yara' }, ids.get('yara')!, '31', true);
    await notifyPending(records, stats);
  });
  afterAll(async () => {
    stats?.close();
    await records?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the followers of Chihuahua of its May 2008 surge when the data through May arrive', async () => {
    // The file as INEGI's series stood at the end of May 2008: every line up to that month.
    const lines = await sharedLines(STATE!);
    const through = [
      lines[0]!,
      ...lines.slice(1).filter((l) => {
        const [, y, m] = l.split('|');
        return Number(y) * 12 + Number(m) <= 2008 * 12 + 5;
      }),
    ];
    const file = path.join(dir, 'homicides-through-2008-05.csv');
    await writeFile(file, `${through.join('\n')}\n`);
    await importAudited(stats, records, sourceById('inegi-homicides-state')!, file, {
      version: 'test',
      importedBy: 'steward',
      origin: 'test',
    });
    const report = await notifyPending(records, stats);
    expect(report.notices).toBeGreaterThan(0);

    const expected = (
      await findAnomalies(stats, { measure: 'homicides', geo: ['08'], from: '2008-03', to: '2008-05' })
    ).anomalies;
    const may = expected.find((a) => a.period === '2008-05')!;
    expect(may.direction).toBe('spike');
    const lena = (await inboxOf(records, ids.get('lena')!)).notices;
    expect(lena.map((n) => n.key).sort()).toEqual(
      expected.map((a) => `anomaly:homicides:08:${a.period}`).sort(),
    );
    const notice = lena.find((n) => n.key === 'anomaly:homicides:08:2008-05')!;
    expect(notice).toMatchObject({
      event: 'anomaly',
      subject: {
        place: '08',
        name: 'Chihuahua',
        month: '2008-05',
        value: may.value,
        expected: may.expected,
        actor: 'steward',
      },
    });
    const en = noticeText('en', 'anomaly', notice.subject);
    expect(en.title).toBe(`Chihuahua: Homicides (INEGI deaths) rose to ${may.value} in May 2008`);
    expect(en.path).toBe('/places/08');
    expect(noticeText('es', 'anomaly', notice.subject).title).toMatch(
      /^Chihuahua: .+ subió a \d+ en mayo de 2008$/,
    );

    // Omar follows Baja California: only its own anomalies in those months, if any, never Chihuahua's.
    const omar = (await inboxOf(records, ids.get('omar')!)).notices;
    expect(omar.every((n) => (n.subject as { place: string }).place === '02')).toBe(true);
    expect((await inboxOf(records, ids.get('pia')!)).notices).toEqual([]);
  });

  it('tells the follower of Yucatán of a spike planted in an import, and of nothing without it', async () => {
    // The real file through June 2019, as it is and with Yucatán's June (a handful of homicides a month)
    // set to 60: only the planted file brings the June anomaly.
    const lines = await sharedLines(STATE!);
    const through = [
      lines[0]!,
      ...lines.slice(1).filter((l) => {
        const [, y, m] = l.split('|');
        return Number(y) * 12 + Number(m) <= 2019 * 12 + 6;
      }),
    ];
    const june = through.findIndex((l) => l.startsWith('31|2019|6|'));
    const real = Number(through[june]!.split('|')[3]);
    expect(real).toBeLessThan(15);
    const importLines = async (name: string, text: string[]) => {
      const file = path.join(dir, name);
      await writeFile(file, `${text.join('\n')}\n`);
      await importAudited(stats, records, sourceById('inegi-homicides-state')!, file, {
        version: 'test',
        importedBy: 'steward',
        origin: 'test',
      });
      await notifyPending(records, stats);
      return (await inboxOf(records, ids.get('yara')!)).notices.map((n) => n.key);
    };
    const KEY = 'anomaly:homicides:31:2019-06';
    expect(await importLines('homicides-through-2019-06.csv', through)).not.toContain(KEY);

    const planted = [...through];
    const fields = planted[june]!.split('|');
    fields[3] = '60';
    planted[june] = fields.join('|');
    const keys = await importLines('homicides-through-2019-06-planted.csv', planted);
    expect(keys).toContain(KEY);
    const notice = (await inboxOf(records, ids.get('yara')!)).notices.find((n) => n.key === KEY)!;
    const subject = notice.subject as { value: number; expected: number; direction: string; name: string };
    expect(subject).toMatchObject({ value: 60, direction: 'spike', name: 'Yucatán' });
    expect(subject.expected).toBeLessThan(15);
    expect(noticeText('es', 'anomaly', notice.subject).title).toBe(
      'Yucatán: Homicidios (defunciones INEGI) subió a 60 en junio de 2019',
    );
    // Nobody else follows Yucatán: the others hear nothing of it.
    for (const user of ['lena', 'omar', 'pia'])
      expect((await inboxOf(records, ids.get(user)!)).notices.map((n) => n.key)).not.toContain(KEY);
  });
});
