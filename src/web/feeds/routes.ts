/**
 * Atom feeds. `GET /programs/{code}/results.atom` is public: a program's approved results, newest first,
 * as anonymous readers see them (no official's name). `GET /feeds/inbox.atom?key=…` is one user's
 * notices, for a feed reader that cannot sign in: the key (from the notification settings page) is the
 * only credential, stored by its hash, and replaced whenever the user asks. An unknown or malformed key
 * gets the same 404 as a missing page, so keys cannot be probed.
 * @module
 */
import { z } from 'zod';
import { safeParseInput } from '../../domain/common-schema.js';
import { formatNumber, translator, type Locale } from '../../i18n/index.js';
import { notifyPending } from '../../notifications/notifier.js';
import { noticeText } from '../../notifications/notice-text.js';
import { VERSION } from '../../package.js';
import { feedKeyHash } from '../../records/notification-settings.js';
import { inboxOf, userOfFeedKey } from '../../records/notification-repository.js';
import { getProgram } from '../../records/program-repository.js';
import { listResults } from '../../records/result-repository.js';
import { NotFoundError } from '../../error.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage, placeLabel, placeNames } from '../places.js';
import { atomXml, type AtomEntry } from './atom.js';

/** Entries a feed holds: the newest. */
const FEED_ENTRIES = 50;

const FeedKey = z.object({ key: z.string().regex(/^mfk_[A-Za-z0-9_-]{32}$/) });

const atom = (ctx: PageContext, xml: string, cache: string) =>
  ctx.c.body(xml, 200, {
    'content-type': 'application/atom+xml; charset=utf-8',
    'cache-control': cache,
  });

const notFound = (ctx: PageContext) => {
  const page = notFoundPage(ctx.reader);
  return ctx.c.html(page.body, page.status);
};

async function programFeed(ctx: PageContext): Promise<Response> {
  const code = ctx.c.req.param('code')!;
  const locale = ctx.reader.locale;
  const t = translator(locale);
  let program;
  try {
    // Anonymous, whoever asks: a feed is fetched by readers that carry no session.
    program = await getProgram(ctx.store, null, code);
  } catch (error) {
    if (error instanceof NotFoundError) return notFound(ctx);
    throw error;
  }
  const origin = ctx.reader.url.origin;
  const names = await placeNames(ctx.stats);
  const { results } = await listResults(ctx.store, null, { program: code });
  const entries: AtomEntry[] = results
    .filter((r) => r.status === 'approved' || r.status === 'locked')
    .sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : b.id - a.id))
    .slice(0, FEED_ENTRIES)
    .map((r) => {
      const value =
        r.value === null ? '—' : formatNumber(locale, Number(r.value), { maximumFractionDigits: 2 });
      return {
        id: `${origin}/results/${r.id}`,
        title: t('web.feeds.resultTitle', {
          indicator: r.indicatorName[locale],
          place: placeLabel(t, r.place, names),
          period: r.period,
          value,
        }),
        updated: new Date(r.updated_at).toISOString(),
        summary: t('web.feeds.resultSummary', {
          program: program.title[locale],
          status: t(`web.resultStatus.${r.status}`),
        }),
        link: `${origin}/results/${r.id}/history?lang=${locale}`,
        category: r.indicator,
      };
    });
  const xml = atomXml({
    id: `${origin}/programs/${encodeURIComponent(code)}/results.atom`,
    title: t('web.feeds.programTitle', { program: program.title[locale] }),
    subtitle: t('web.feeds.programSubtitle'),
    self: `${origin}/programs/${encodeURIComponent(code)}/results.atom?lang=${locale}`,
    alternate: `${origin}/programs/${encodeURIComponent(code)}?lang=${locale}`,
    lang: locale,
    author: 'Marco',
    empty: new Date(program.updated_at ?? 0).toISOString(),
    entries,
    generator: { version: VERSION },
  });
  return atom(ctx, xml, 'public, max-age=300');
}

async function inboxFeed(ctx: PageContext): Promise<Response> {
  const parsed = safeParseInput(FeedKey, { key: ctx.c.req.query('key') });
  if (!parsed.success) return notFound(ctx);
  const user = await userOfFeedKey(ctx.store, feedKeyHash(parsed.data.key));
  if (!user) return notFound(ctx);
  await notifyPending(ctx.store, ctx.stats);
  const locale: Locale = ctx.c.req.query('lang') ? ctx.reader.locale : user.language;
  const t = translator(locale);
  const origin = ctx.reader.url.origin;
  const { notices } = await inboxOf(ctx.store, user.id, FEED_ENTRIES);
  const entries: AtomEntry[] = notices.map((n) => {
    const text = noticeText(locale, n.event, n.subject);
    return {
      id: `${origin}/inbox#notice-${n.id}`,
      title: text.title,
      updated: n.at,
      summary: text.detail,
      link: `${origin}${text.path}?lang=${locale}`,
      author: String(n.subject.actor ?? 'Marco'),
      category: n.event,
    };
  });
  const xml = atomXml({
    id: `${origin}/feeds/inbox/${user.id}`,
    title: t('web.feeds.inboxTitle', { name: user.display_name }),
    self: `${origin}/feeds/inbox.atom`,
    alternate: `${origin}/inbox?lang=${locale}`,
    lang: locale,
    author: 'Marco',
    empty: new Date(0).toISOString(),
    entries,
    generator: { version: VERSION },
  });
  // One person's notices: never kept by a shared cache, never indexed.
  ctx.c.header('x-robots-tag', 'noindex');
  return atom(ctx, xml, 'private, no-store');
}

export const FEED_PAGES: readonly PageRoute[] = [
  { path: '/programs/:code/results.atom', permission: 'read', handle: programFeed },
  { path: '/feeds/inbox.atom', permission: 'read', handle: inboxFeed },
];
