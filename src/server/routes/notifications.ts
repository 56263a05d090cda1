/**
 * A signed-in official's notices as JSON, for tools that cannot read the Atom feed: the same notices as
 * the inbox page (`docs/notifications.md`), each with its text in the caller's language, and a way to
 * mark them read. The caller's notices are those of the user with the token's user name; a token whose
 * user has no account has none.
 * @module
 */
import { z } from 'zod';
import { notifyPending } from '../../notifications/notifier.js';
import { noticeText } from '../../notifications/notice-text.js';
import { inboxOf, markRead } from '../../records/notification-repository.js';
import { LangQuery } from '../api-schemas.js';
import { route } from '../route.js';
import type { RecordsStore } from '../../records/database.js';
import * as R from '../responses/index.js';

const ReadBody = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z
    .object({
      ids: z
        .array(z.string().regex(/^[1-9]\d{0,17}$/))
        .min(1)
        .max(1000),
    })
    .strict(),
]);

async function userIdOf(store: RecordsStore, user: string): Promise<number | null> {
  const row = await store.db
    .selectFrom('users')
    .select('id')
    .where('user_name', '=', user)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row?.id ?? null;
}

export const notices = route({
  method: 'get',
  path: '/notifications',
  operationId: 'listNotifications',
  response: R.NoticeList,
  tag: 'notifications',
  permission: 'read:official',
  summary:
    'Your notices, newest first (100): submitted, returned, approved, locked and anomaly, each with its title, detail and page in your language, and how many are unread',
  query: LangQuery,
  async handle({ store, stats, viewer, locale }) {
    const id = await userIdOf(store, viewer!.user);
    if (id === null) return { notices: [], unread: 0, total: 0 };
    await notifyPending(store, stats);
    const inbox = await inboxOf(store, id);
    return {
      ...inbox,
      notices: inbox.notices.map((n) => ({ ...n, ...noticeText(locale, n.event, n.subject) })),
    };
  },
});

export const readNotices = route({
  method: 'post',
  path: '/notifications/read',
  operationId: 'markNotificationsRead',
  response: R.NoticesRead,
  tag: 'notifications',
  permission: 'read:official',
  summary: 'Mark your notices read: `{"ids": [...]}` or `{"all": true}`; answers how many changed',
  body: ReadBody,
  async handle({ store, viewer, body, write }) {
    const id = await userIdOf(store, viewer!.user);
    if (id === null) return { marked: 0 };
    const at = (write.now ?? (() => new Date()))().toISOString();
    return { marked: await markRead(store, id, 'all' in body ? 'all' : body.ids, at) };
  },
});
