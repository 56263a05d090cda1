/**
 * The inbox: `GET /inbox` reads the audit log up to now (the notifier's pass, cheap when nothing is new)
 * and lists the reader's notices; `POST /inbox/read` marks one notice (`id`) or all (`all=1`) read. A
 * user reads and marks only their own notices.
 * @module
 */
import { z } from 'zod';
import { safeParseInput } from '../../domain/common-schema.js';
import { translator } from '../../i18n/index.js';
import { notifyPending } from '../../notifications/notifier.js';
import { inboxOf, markRead } from '../../records/notification-repository.js';
import { checkedForm, doneNotice, RECORD_ID } from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { messagePage } from '../session/login-page.js';
import { renderInbox } from './inbox-page.js';

/** Notices the page lists: the newest. */
const INBOX_ROWS = 100;

const ReadForm = z.union([z.object({ all: z.literal('1') }), z.object({ id: z.string().regex(RECORD_ID) })]);

const Done = z.object({ done: z.literal('read'), count: z.coerce.number().int().min(0) });

const userIdOf = (ctx: PageContext) => ctx.session!.official.userId;

export const INBOX_PAGES: readonly PageRoute[] = [
  {
    path: '/inbox',
    permission: 'read:official',
    async handle(ctx) {
      await notifyPending(ctx.store, ctx.stats, ctx.now ? { now: ctx.now } : {});
      const inbox = await inboxOf(ctx.store, userIdOf(ctx), INBOX_ROWS);
      // The count in the navigation as of this page, not as of the session's first read.
      const reader = { ...ctx.reader, session: { ...ctx.reader.session!, unread: inbox.unread } };
      const done = doneNotice(ctx, Done, (t, d) => t('web.inbox.done', { count: d.count }));
      return ctx.c.html(renderInbox(reader, inbox, done?.text));
    },
  },
  {
    method: 'post',
    path: '/inbox/read',
    permission: 'read:official',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const parsed = safeParseInput(ReadForm, { ...('all' in form ? { all: form.all } : { id: form.id }) });
      if (!parsed.success) {
        const t = translator(ctx.reader.locale);
        return ctx.c.html(messagePage(ctx.reader, t('web.inbox.title'), t('web.inbox.badForm')), 400);
      }
      const at = (ctx.now ?? (() => new Date()))().toISOString();
      const count = await markRead(
        ctx.store,
        userIdOf(ctx),
        'all' in parsed.data ? 'all' : [parsed.data.id],
        at,
      );
      return ctx.c.redirect(`/inbox?done=read&count=${count}`, 303);
    },
  },
];
